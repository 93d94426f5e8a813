import type { DashboardSpec } from '../panel-spec.js';
import { DAYS, DB, HOUR_BUCKET, HOURS, named } from '../sql.js';

export const overview: DashboardSpec = {
  uid: 'siftlog-overview',
  title: 'siftlog / Overview',
  description: 'Visitors, visits, pageviews and bots of the chosen sites over the time range.',
  panels: [
    {
      title: 'Visitors',
      description: 'Distinct visitors. Visitor ids change every day, so a person who came on three days counts three times.',
      sql: `SELECT uniqCombinedMerge(visitors) AS visitors
FROM ${DB}.traffic_hourly
WHERE ${HOURS}`,
      shape: { kind: 'stat', value: 'visitors' },
    },
    {
      title: 'Visits',
      description: 'Runs of requests by one visitor with no gap over 30 minutes; bots excluded.',
      sql: `SELECT sum(visits) AS visits
FROM ${DB}.traffic_hourly
WHERE ${HOURS}`,
      shape: { kind: 'stat', value: 'visits' },
    },
    {
      title: 'Pageviews',
      description: 'Requests for pages (not assets) by people.',
      sql: `SELECT sum(pageviews) AS pageviews
FROM ${DB}.traffic_hourly
WHERE ${HOURS}`,
      shape: { kind: 'stat', value: 'pageviews' },
    },
    {
      title: 'Views per visit',
      description: 'Pageviews divided by visits.',
      sql: `SELECT round(sum(pageviews) / nullIf(sum(visits), 0), 2) AS views_per_visit
FROM ${DB}.traffic_hourly
WHERE ${HOURS}`,
      shape: { kind: 'stat', value: 'views_per_visit', decimals: 2 },
    },
    {
      title: 'Bounce rate',
      description: 'Share of visits with one pageview.',
      sql: `SELECT sum(bounces) / nullIf(sum(visits), 0) AS bounce_rate
FROM ${DB}.traffic_hourly
WHERE ${HOURS}`,
      shape: { kind: 'stat', value: 'bounce_rate', unit: 'percentunit', decimals: 1 },
      waitsFor: { table: 'traffic_hourly', columns: ['bounces'], note: 'visits of one pageview, per site and hour (issue 12: bounces)' },
    },
    {
      title: 'Visit duration (median)',
      description: 'Median time from the first to the last request of a visit.',
      sql: `SELECT quantileMerge(0.5)(visit_seconds) AS median_visit_seconds
FROM ${DB}.traffic_hourly
WHERE ${HOURS}`,
      shape: { kind: 'stat', value: 'median_visit_seconds', unit: 's' },
      waitsFor: {
        table: 'traffic_hourly', columns: ['visit_seconds'],
        note: 'quantile state of visit durations, per site and hour of the visit start (issue 12: visit duration states)',
      },
    },
    {
      title: 'Bot share',
      description: 'Share of all requests made by bots (flagged, never dropped).',
      sql: `SELECT sum(bot_hits) / nullIf(sum(hits), 0) AS bot_share
FROM ${DB}.traffic_hourly
WHERE ${HOURS}`,
      shape: { kind: 'stat', value: 'bot_share', unit: 'percentunit', decimals: 1 },
    },
    {
      title: 'Visitors, visits and pageviews',
      description: 'People over time, in buckets of the chosen period.',
      sql: `SELECT ${HOUR_BUCKET},
  uniqCombinedMerge(visitors) AS visitors, sum(visits) AS visits, sum(pageviews) AS pageviews
FROM ${DB}.traffic_hourly
WHERE ${HOURS}
GROUP BY time
ORDER BY time`,
      shape: { kind: 'timeseries', labels: [], values: ['visitors', 'visits', 'pageviews'] },
      width: 16,
    },
    {
      title: 'Requests: people and bots',
      description: 'Every request, split into people and bots.',
      sql: `SELECT ${HOUR_BUCKET},
  sum(hits) - sum(bot_hits) AS people, sum(bot_hits) AS bots
FROM ${DB}.traffic_hourly
WHERE ${HOURS}
GROUP BY time
ORDER BY time`,
      shape: { kind: 'timeseries', labels: [], values: ['people', 'bots'], stacked: true },
      width: 8,
    },
    {
      title: 'Top pages',
      description: 'Pages by pageviews.',
      sql: `SELECT path, sum(pageviews) AS pageviews
FROM ${DB}.pages_daily
WHERE ${DAYS}
GROUP BY path
HAVING pageviews > 0
ORDER BY pageviews DESC, path
LIMIT 10`,
      shape: { kind: 'bargauge', label: 'path', value: 'pageviews' },
    },
    {
      title: 'Channels',
      description: 'Visits by where they came from: direct, search, social, e-mail or other sites.',
      sql: `SELECT ${named('referrer_class', 'channel')}, sum(visits) AS visits
FROM ${DB}.sources_daily
WHERE ${DAYS}
GROUP BY channel
HAVING visits > 0
ORDER BY visits DESC, channel`,
      shape: { kind: 'bargauge', label: 'channel', value: 'visits' },
    },
    {
      title: 'Top countries',
      description: 'Visitors by country.',
      sql: `SELECT ${named('country', 'country_name')}, uniqCombinedMerge(visitors) AS visitors
FROM ${DB}.geo_daily
WHERE ${DAYS}
GROUP BY country_name
HAVING visitors > 0
ORDER BY visitors DESC, country_name
LIMIT 10`,
      shape: { kind: 'bargauge', label: 'country_name', value: 'visitors' },
    },
  ],
};
