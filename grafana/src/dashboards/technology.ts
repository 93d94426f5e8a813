import type { DashboardSpec } from '../panel-spec.js';
import { ranking } from '../patterns.js';
import { DAYS, DB, dailySeries, named } from '../sql.js';

/** People only (is_person = 1: the client classes enrich.people counts, browsers and apps by default), except the bots panel. */
export const technology: DashboardSpec = {
  uid: 'siftlog-technology',
  title: 'siftlog / Technology',
  description: 'Browsers, operating systems and device types of visitors, and the bots that came.',
  panels: [
    ranking({
      kind: 'piechart', title: 'Device types', description: 'Visitors by device type: desktop, mobile, tablet, TV, console…',
      table: 'clients_daily', label: 'device', labelSql: named('device_type', 'device'), value: 'visitors',
      valueSql: 'uniqCombinedMerge(visitors)', where: 'is_person = 1',
    }),
    ranking({
      kind: 'bargauge', title: 'Browsers', description: 'Visitors by browser (one name per product; in-app browsers by app).',
      table: 'clients_daily', label: 'browser_name', labelSql: named('browser', 'browser_name'), value: 'visitors',
      valueSql: 'uniqCombinedMerge(visitors)', where: 'is_person = 1', limit: 15,
    }),
    ranking({
      kind: 'bargauge', title: 'Operating systems', description: 'Visitors by operating system.',
      table: 'clients_daily', label: 'os_name', labelSql: named('os', 'os_name'), value: 'visitors',
      valueSql: 'uniqCombinedMerge(visitors)', where: 'is_person = 1', limit: 15,
    }),
    {
      title: 'Device types over time',
      description: 'Visitors per device type.',
      sql: `${dailySeries(`${named('device_type', 'device')}, uniqCombinedMerge(visitors) AS visitors`)}
FROM ${DB}.clients_daily
WHERE ${DAYS} AND is_person = 1
GROUP BY time, device
ORDER BY time, device`,
      shape: { kind: 'timeseries', labels: ['device'], values: ['visitors'], bars: true, stacked: true },
      width: 24,
    },
    {
      title: 'Browser versions',
      description: 'Visitors and pageviews by browser, version and operating system.',
      sql: `SELECT browser, browser_version AS version, os, uniqCombinedMerge(visitors) AS visitors, sum(pageviews) AS pageviews
FROM ${DB}.clients_daily
WHERE ${DAYS} AND is_person = 1
GROUP BY browser, version, os
ORDER BY visitors DESC, browser, version, os
LIMIT 200`,
      shape: {
        kind: 'table',
        columns: [
          { name: 'browser', title: 'Browser' },
          { name: 'version', title: 'Version' },
          { name: 'os', title: 'OS' },
          { name: 'visitors', title: 'Visitors', unit: 'short' },
          { name: 'pageviews', title: 'Pageviews', unit: 'short' },
        ],
      },
      width: 12,
    },
    {
      title: 'Bots',
      description: 'Requests by bot: crawlers, monitors, feed readers, scripts, and agents that sent no user agent.',
      sql: `SELECT ${named('bot_name', 'bot')}, sum(hits) AS hits
FROM ${DB}.clients_daily
WHERE ${DAYS} AND is_bot = 1
GROUP BY bot
ORDER BY hits DESC, bot
LIMIT 200`,
      shape: {
        kind: 'table',
        columns: [
          { name: 'bot', title: 'Bot' },
          { name: 'hits', title: 'Requests', unit: 'short' },
        ],
      },
      width: 12,
    },
  ],
};
