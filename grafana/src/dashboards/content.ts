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
  sum(hits) AS hits, sum(bytes) AS bytes
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
      kind: 'bargauge', title: 'Entry pages', description: 'Pages where visits start.',
      table: 'pages_daily', label: 'path', value: 'entries', valueSql: 'sum(entries)', limit: 15,
    }),
    ranking({
      kind: 'bargauge', title: 'Exit pages', description: 'Pages where visits end.',
      table: 'pages_daily', label: 'path', value: 'exits', valueSql: 'sum(exits)', limit: 15,
      waitsFor: { table: 'pages_daily', columns: ['exits'], note: 'visits that ended on the page, per site, day and path (issue 12: exits per page)' },
    }),
    ranking({
      kind: 'bargauge', title: 'Most fetched by bots', description: 'Paths by bot requests: crawlers, monitors, scripts.',
      table: 'pages_daily', label: 'path', value: 'bot_hits', valueSql: 'sum(bot_hits)', limit: 15,
    }),
  ],
};
