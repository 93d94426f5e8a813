import type { DashboardSpec } from '../panel-spec.js';
import { ranking, trafficStat } from '../patterns.js';
import { DB, HOUR_BUCKET, HOURS, named } from '../sql.js';

export const overview: DashboardSpec = {
  uid: 'siftlog-overview',
  title: 'siftlog / Overview',
  description: 'Visitors, visits, pageviews and bots of the chosen sites over the time range.',
  panels: [
    trafficStat({
      title: 'Visitors',
      description: 'Distinct visitors. Visitor ids change every day, so a person who came on three days counts three times.',
      value: 'visitors', expression: 'uniqCombinedMerge(visitors)',
    }),
    trafficStat({
      title: 'Visits', description: 'Runs of requests by one visitor with no gap over 30 minutes; bots excluded.',
      value: 'visits', expression: 'sum(visits)',
    }),
    trafficStat({ title: 'Pageviews', description: 'Requests for pages (not assets) by people.', value: 'pageviews', expression: 'sum(pageviews)' }),
    trafficStat({
      title: 'Views per visit', description: 'Pageviews divided by visits.',
      value: 'views_per_visit', expression: 'round(sum(pageviews) / nullIf(sum(visits), 0), 2)', decimals: 2,
    }),
    trafficStat({
      title: 'Bounce rate', description: 'Share of visits with one pageview.',
      value: 'bounce_rate', expression: 'sum(bounces) / nullIf(sum(visits), 0)', unit: 'percentunit', decimals: 1,
      waitsFor: { table: 'traffic_hourly', columns: ['bounces'], note: 'visits of one pageview, per site and hour (issue 12: bounces)' },
    }),
    trafficStat({
      title: 'Visit duration (median)', description: 'Median time from the first to the last request of a visit.',
      value: 'median_visit_seconds', expression: 'quantileMerge(0.5)(visit_seconds)', unit: 's',
      waitsFor: {
        table: 'traffic_hourly', columns: ['visit_seconds'],
        note: 'quantile state of visit durations, per site and hour of the visit start (issue 12: visit duration states)',
      },
    }),
    trafficStat({
      title: 'Bot share', description: 'Share of all requests made by bots (flagged, never dropped).',
      value: 'bot_share', expression: 'sum(bot_hits) / nullIf(sum(hits), 0)', unit: 'percentunit', decimals: 1,
    }),
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
    ranking({
      kind: 'bargauge', title: 'Top pages', description: 'Pages by pageviews.',
      table: 'pages_daily', label: 'path', value: 'pageviews', valueSql: 'sum(pageviews)', limit: 10,
    }),
    ranking({
      kind: 'bargauge', title: 'Channels', description: 'Visits by where they came from: direct, search, social, e-mail or other sites.',
      table: 'sources_daily', label: 'channel', labelSql: named('referrer_class', 'channel'), value: 'visits', valueSql: 'sum(visits)',
    }),
    ranking({
      kind: 'bargauge', title: 'Top countries', description: 'Visitors by country.',
      table: 'geo_daily', label: 'country_name', labelSql: named('country', 'country_name'),
      value: 'visitors', valueSql: 'uniqCombinedMerge(visitors)', limit: 10,
    }),
  ],
};
