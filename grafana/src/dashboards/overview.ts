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
      title: 'Visits', description: 'Runs of requests by one visitor with no gap over 30 minutes; people only (browsers and apps), bots apart.',
      value: 'visits', expression: 'sum(visits)',
    }),
    trafficStat({ title: 'Pageviews', description: 'Requests for pages (not assets) answered 2xx, by people only.', value: 'pageviews', expression: 'sum(pageviews)' }),
    trafficStat({
      title: 'Views per visit', description: 'Pageviews divided by the visits that viewed a page.',
      value: 'views_per_visit', expression: 'round(sum(pageviews) / nullIf(sum(page_visits), 0), 2)', decimals: 2,
    }),
    trafficStat({
      title: 'Bounce rate',
      description: 'Share of visits with exactly one pageview, among visits that viewed a page (a feed fetch cannot bounce).',
      value: 'bounce_rate', expression: 'sum(bounces) / nullIf(sum(page_visits), 0)', unit: 'percentunit', decimals: 1,
    }),
    trafficStat({
      title: 'Visit duration (median)',
      description: 'Median time from the first to the last request of a visit that viewed a page, by the hour it started.',
      value: 'median_visit_seconds', expression: 'quantileTimingMerge(0.5)(visit_seconds)', unit: 's',
    }),
    trafficStat({
      title: 'Visit duration (mean)', description: 'Mean time from the first to the last request of a visit that viewed a page.',
      value: 'mean_visit_seconds', expression: 'round(sum(visit_seconds_sum) / nullIf(sum(page_visits), 0), 1)', unit: 's', decimals: 1,
    }),
    trafficStat({
      title: 'Bot requests', description: 'Requests by bots: crawlers, monitors, scripts. Flagged, never dropped, never counted as people.',
      value: 'bot_hits', expression: 'sum(bot_hits)', unit: 'short',
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
