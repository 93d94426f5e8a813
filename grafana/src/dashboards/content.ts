import type { DashboardSpec } from '../panel-spec.js';
import { ranking } from '../patterns.js';
import { DAYS, DB, dailySeries } from '../sql.js';

export const content: DashboardSpec = {
  uid: 'siftlog-content',
  title: 'siftlog / Content',
  description: 'Which pages people read, where their visits start and end, and what bots fetch.',
  panels: [
    {
      title: 'Pages',
      description: 'Every page with pageviews in the range. Paths are scrubbed: e-mails, tokens and ids read {email}, {token}, {id}.',
      sql: `SELECT path, sum(pageviews) AS pageviews, uniqCombinedMerge(visitors) AS visitors, sum(entries) AS entries,
  sum(exits) AS exits, sum(hits) AS hits, sum(bytes) AS bytes
FROM ${DB}.pages_daily
WHERE ${DAYS}
GROUP BY path
HAVING pageviews > 0
ORDER BY pageviews DESC, path
LIMIT 500`,
      shape: {
        kind: 'table',
        columns: [
          { name: 'path', title: 'Page' },
          { name: 'pageviews', title: 'Pageviews', unit: 'short' },
          { name: 'visitors', title: 'Visitors', unit: 'short' },
          { name: 'entries', title: 'Entries', unit: 'short' },
          { name: 'exits', title: 'Exits', unit: 'short' },
          { name: 'hits', title: 'Requests', unit: 'short' },
          { name: 'bytes', title: 'Bytes sent', unit: 'decbytes' },
        ],
      },
      width: 24,
      height: 12,
    },
    {
      title: 'Top pages over time',
      description: 'Pageviews of the five most viewed pages of the range.',
      sql: `${dailySeries('path, sum(pageviews) AS pageviews')}
FROM ${DB}.pages_daily
WHERE ${DAYS} AND path IN (
  SELECT path FROM ${DB}.pages_daily
  WHERE ${DAYS}
  GROUP BY path
  ORDER BY sum(pageviews) DESC, path
  LIMIT 5)
GROUP BY time, path
ORDER BY time, path`,
      shape: { kind: 'timeseries', labels: ['path'], values: ['pageviews'] },
      width: 24,
    },
    ranking({
      kind: 'bargauge', title: 'Entry pages', description: 'Pages where people\'s visits start (their first pageview).',
      table: 'pages_daily', label: 'path', value: 'entries', valueSql: 'sum(entries)', limit: 15,
    }),
    ranking({
      kind: 'bargauge', title: 'Exit pages', description: 'Pages where people\'s visits end (their last pageview).',
      table: 'pages_daily', label: 'path', value: 'exits', valueSql: 'sum(exits)', limit: 15,
    }),
    {
      title: 'Entry pages and bounces',
      description: 'Pages where visits start, with the visits that viewed nothing else (bounces) and their share.',
      sql: `SELECT path, sum(entries) AS entries, sum(bounces) AS bounces, bounces / entries AS bounce_rate
FROM ${DB}.pages_daily
WHERE ${DAYS}
GROUP BY path
HAVING entries > 0
ORDER BY entries DESC, path
LIMIT 200`,
      shape: {
        kind: 'table',
        columns: [
          { name: 'path', title: 'Entry page' },
          { name: 'entries', title: 'Entries', unit: 'short' },
          { name: 'bounces', title: 'Bounces', unit: 'short' },
          { name: 'bounce_rate', title: 'Bounce rate', unit: 'percentunit' },
        ],
      },
      width: 24,
    },
    ranking({
      kind: 'bargauge', title: 'Most fetched by bots', description: 'Paths by bot requests: crawlers, monitors, scripts.',
      table: 'pages_daily', label: 'path', value: 'bot_hits', valueSql: 'sum(bot_hits)', limit: 15,
    }),
  ],
};
