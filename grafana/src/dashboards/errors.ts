import type { DashboardSpec } from '../panel-spec.js';
import { trafficStat } from '../patterns.js';
import { DAYS, DB, HOUR_BUCKET, HOURS } from '../sql.js';

export const errors: DashboardSpec = {
  uid: 'siftlog-errors',
  title: 'siftlog / Errors & performance',
  description: 'Status classes, failing paths, bytes sent and response times.',
  panels: [
    trafficStat({
      title: 'Client errors (4xx)', description: 'Share of all requests answered 4xx: missing pages, refused requests.',
      value: 'client_error_share', expression: 'sum(status_4xx) / nullIf(sum(hits), 0)', unit: 'percentunit', decimals: 2,
    }),
    trafficStat({
      title: 'Server errors (5xx)', description: 'Share of all requests answered 5xx: the server failed.',
      value: 'server_error_share', expression: 'sum(status_5xx) / nullIf(sum(hits), 0)', unit: 'percentunit', decimals: 2,
    }),
    trafficStat({ title: 'Requests', description: 'Every request, people and bots.', value: 'hits', expression: 'sum(hits)', unit: 'short' }),
    trafficStat({
      title: 'Bytes sent', description: 'Response bytes as the server logged them.', value: 'bytes', expression: 'sum(bytes)', unit: 'decbytes',
    }),
    {
      title: 'Status classes',
      description: 'Requests answered without error (1xx-3xx), with a client error (4xx) and with a server error (5xx).',
      sql: `SELECT ${HOUR_BUCKET},
  sum(hits) - sum(status_4xx) - sum(status_5xx) AS ok, sum(status_4xx) AS client_errors, sum(status_5xx) AS server_errors
FROM ${DB}.traffic_hourly
WHERE ${HOURS}
GROUP BY time
ORDER BY time`,
      shape: { kind: 'timeseries', labels: [], values: ['ok', 'client_errors', 'server_errors'], stacked: true },
      width: 16,
    },
    {
      title: 'Bytes sent over time',
      description: 'Response bytes per bucket.',
      sql: `SELECT ${HOUR_BUCKET}, sum(bytes) AS bytes
FROM ${DB}.traffic_hourly
WHERE ${HOURS}
GROUP BY time
ORDER BY time`,
      shape: { kind: 'timeseries', labels: [], values: ['bytes'], unit: 'decbytes' },
      width: 8,
    },
    {
      title: 'Failing paths',
      description: 'Paths answered 4xx or 5xx, people and bots alike, with their share of the path\'s requests.',
      sql: `SELECT path, sum(errors) AS errors, sum(hits) AS hits, errors / hits AS error_share
FROM ${DB}.pages_daily
WHERE ${DAYS}
GROUP BY path
HAVING errors > 0
ORDER BY errors DESC, path
LIMIT 200`,
      shape: {
        kind: 'table',
        columns: [
          { name: 'path', title: 'Path' },
          { name: 'errors', title: 'Errors', unit: 'short' },
          { name: 'hits', title: 'Requests', unit: 'short' },
          { name: 'error_share', title: 'Error share', unit: 'percentunit' },
        ],
      },
      width: 24,
    },
    {
      title: 'Response time',
      description: 'Median, 90th and 99th percentile of response times, every request (bots too); formats that log a duration only, buckets without one are gaps.',
      sql: `WITH quantilesTimingMerge(0.5, 0.9, 0.99)(response_ms) AS q
SELECT ${HOUR_BUCKET}, q[1] AS p50, q[2] AS p90, q[3] AS p99
FROM ${DB}.responses_hourly
WHERE ${HOURS}
GROUP BY time
HAVING sum(timed) > 0
ORDER BY time`,
      shape: { kind: 'timeseries', labels: [], values: ['p50', 'p90', 'p99'], unit: 'ms' },
      width: 24,
    },
    {
      title: 'Slowest paths',
      description: 'Paths by their 90th percentile response time (exact below 1024 ms, 16 ms steps above).',
      sql: `WITH quantilesTimingMerge(0.5, 0.9, 0.99)(response_ms) AS q
SELECT path, q[1] AS p50, q[2] AS p90, q[3] AS p99, sum(timed) AS timed, sum(hits) AS hits
FROM ${DB}.responses_hourly
WHERE ${HOURS}
GROUP BY path
HAVING timed > 0
ORDER BY p90 DESC, path
LIMIT 50`,
      shape: {
        kind: 'table',
        columns: [
          { name: 'path', title: 'Path' },
          { name: 'p50', title: 'Median', unit: 'ms' },
          { name: 'p90', title: 'p90', unit: 'ms' },
          { name: 'p99', title: 'p99', unit: 'ms' },
          { name: 'timed', title: 'Timed requests', unit: 'short' },
          { name: 'hits', title: 'Requests', unit: 'short' },
        ],
      },
      width: 12,
    },
    {
      title: 'Status classes by path',
      description: 'Paths with errors: requests per status class (2xx, 3xx, 4xx, 5xx), server errors first.',
      sql: `SELECT path, sumIf(hits, status_class = '2xx') AS s2xx, sumIf(hits, status_class = '3xx') AS s3xx,
  sumIf(hits, status_class = '4xx') AS s4xx, sumIf(hits, status_class = '5xx') AS s5xx
FROM ${DB}.responses_hourly
WHERE ${HOURS}
GROUP BY path
HAVING s4xx + s5xx > 0
ORDER BY s5xx DESC, s4xx DESC, path
LIMIT 200`,
      shape: {
        kind: 'table',
        columns: [
          { name: 'path', title: 'Path' },
          { name: 's2xx', title: '2xx', unit: 'short' },
          { name: 's3xx', title: '3xx', unit: 'short' },
          { name: 's4xx', title: '4xx', unit: 'short' },
          { name: 's5xx', title: '5xx', unit: 'short' },
        ],
      },
      width: 12,
    },
  ],
};
