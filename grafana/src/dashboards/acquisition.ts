import type { DashboardSpec, PanelSpec } from '../panel-spec.js';
import { ranking } from '../patterns.js';
import { DAYS, DB, dailySeries, named } from '../sql.js';

/** Visits are counted at their first request, so a visit belongs to the source it arrived from. */
export const acquisition: DashboardSpec = {
  uid: 'siftlog-acquisition',
  title: 'siftlog / Acquisition',
  description: 'Where visits come from: channels, referring sites, search engines and keywords, campaigns.',
  panels: [
    ranking({
      kind: 'piechart', title: 'Visits by channel',
      description: 'Direct, search, social, e-mail or other sites, from the referrer of the first request of each visit.',
      table: 'sources_daily', label: 'channel', labelSql: named('referrer_class', 'channel'), value: 'visits', valueSql: 'sum(visits)',
    }),
    {
      title: 'Channels over time',
      description: 'Visits per channel.',
      sql: `${dailySeries(`${named('referrer_class', 'channel')}, sum(visits) AS visits`)}
FROM ${DB}.sources_daily
WHERE ${DAYS}
GROUP BY time, channel
ORDER BY time, channel`,
      shape: { kind: 'timeseries', labels: ['channel'], values: ['visits'], bars: true, stacked: true },
      width: 16,
    },
    ranking({
      kind: 'bargauge', title: 'Referring sites',
      description: 'Other sites whose links brought visits (search engines and social networks included).',
      table: 'sources_daily', label: 'referrer_host', value: 'visits', valueSql: 'sum(visits)', where: "referrer_host != ''", limit: 15,
    }),
    {
      title: 'Search keywords',
      description: 'Keywords of searches that led here, where the engine still sends them. E-mails and addresses in them read {email}, {ip}.',
      sql: `SELECT search_keyword AS keyword, referrer_source AS engine, sum(visits) AS visits,
  uniqCombinedMerge(visitors) AS visitors
FROM ${DB}.sources_daily
WHERE ${DAYS} AND search_keyword != ''
GROUP BY keyword, engine
HAVING visits > 0
ORDER BY visits DESC, keyword
LIMIT 200`,
      shape: {
        kind: 'table',
        columns: [
          { name: 'keyword', title: 'Keyword' },
          { name: 'engine', title: 'Engine' },
          { name: 'visits', title: 'Visits', unit: 'short' },
          { name: 'visitors', title: 'Visitors', unit: 'short' },
        ],
      },
      width: 16,
    },
    {
      title: 'Search engines and social networks',
      description: 'Visits by the search engine, social network or mail service that sent them.',
      sql: `SELECT referrer_class AS channel, referrer_source AS source, sum(visits) AS visits,
  uniqCombinedMerge(visitors) AS visitors
FROM ${DB}.sources_daily
WHERE ${DAYS} AND referrer_source != ''
GROUP BY channel, source
HAVING visits > 0
ORDER BY visits DESC, source`,
      shape: {
        kind: 'table',
        columns: [
          { name: 'channel', title: 'Channel' },
          { name: 'source', title: 'Source' },
          { name: 'visits', title: 'Visits', unit: 'short' },
          { name: 'visitors', title: 'Visitors', unit: 'short' },
        ],
      },
      width: 8,
    },
    {
      title: 'Campaigns',
      description: 'Visits tagged with utm_source, utm_medium or utm_campaign.',
      sql: `SELECT utm_campaign AS campaign, utm_source AS source, utm_medium AS medium, sum(visits) AS visits,
  uniqCombinedMerge(visitors) AS visitors, sum(pageviews) AS pageviews
FROM ${DB}.campaigns_daily
WHERE ${DAYS}
GROUP BY campaign, source, medium
ORDER BY visits DESC, campaign, source, medium
LIMIT 200`,
      shape: {
        kind: 'table',
        columns: [
          { name: 'campaign', title: 'Campaign' },
          { name: 'source', title: 'Source' },
          { name: 'medium', title: 'Medium' },
          { name: 'visits', title: 'Visits', unit: 'short' },
          { name: 'visitors', title: 'Visitors', unit: 'short' },
          { name: 'pageviews', title: 'Pageviews', unit: 'short' },
        ],
      },
      width: 16,
    },
    {
      title: 'Campaign visits over time',
      description: 'Visits per campaign.',
      sql: `${dailySeries(`${named('utm_campaign', 'campaign', '(none)')}, sum(visits) AS visits`)}
FROM ${DB}.campaigns_daily
WHERE ${DAYS}
GROUP BY time, campaign
ORDER BY time, campaign`,
      shape: { kind: 'timeseries', labels: ['campaign'], values: ['visits'], bars: true, stacked: true },
      width: 24,
    },
    goalConversions('entry page', 'page', "if(entry_page = '', '(no page)', entry_page) AS page"),
    goalConversions('source', 'source', "if(referrer_source != '', referrer_source, referrer_class) AS source"),
    goalConversions('campaign', 'campaign', "if(utm_campaign = '', '(none)', utm_campaign) AS campaign"),
    {
      title: 'E-mail opens and clicks',
      description: 'Per mailing: opens and clicks, and distinct recipients (a keyed hash per mailing and day, so over several days the daily uniques add up; the recipient is never stored). Every open counts, image proxies included.',
      sql: `SELECT campaign, sum(opens) AS opens, uniqCombinedMerge(openers) AS unique_opens, sum(clicks) AS clicks,
  uniqCombinedMerge(clickers) AS unique_clicks
FROM ${DB}.email_daily
WHERE ${DAYS}
GROUP BY campaign
HAVING opens + clicks > 0
ORDER BY opens DESC, campaign
LIMIT 200`,
      shape: {
        kind: 'table',
        columns: [
          { name: 'campaign', title: 'Mailing' },
          { name: 'opens', title: 'Opens', unit: 'short' },
          { name: 'unique_opens', title: 'Unique opens', unit: 'short' },
          { name: 'clicks', title: 'Clicks', unit: 'short' },
          { name: 'unique_clicks', title: 'Unique clicks', unit: 'short' },
        ],
      },
      width: 12,
    },
    {
      title: 'E-mail clicks by link',
      description: 'Clicks per mailing and target link (scheme, host and path), with distinct clickers.',
      sql: `SELECT campaign, link, sum(clicks) AS clicks, uniqCombinedMerge(clickers) AS unique_clicks
FROM ${DB}.email_daily
WHERE ${DAYS} AND link != ''
GROUP BY campaign, link
HAVING clicks > 0
ORDER BY clicks DESC, campaign, link
LIMIT 200`,
      shape: {
        kind: 'table',
        columns: [
          { name: 'campaign', title: 'Mailing' },
          { name: 'link', title: 'Link' },
          { name: 'clicks', title: 'Clicks', unit: 'short' },
          { name: 'unique_clicks', title: 'Unique clicks', unit: 'short' },
        ],
      },
      width: 12,
    },
  ],
};

/**
 * Visits that reached each goal by one first touch of the visit (its entry page, source or campaign), with the
 * rate. goals_daily counts, per goal, every people's visit of the day (the denominator) and those that reached it.
 */
function goalConversions(by: string, alias: string, labelSql: string): PanelSpec {
  return {
    title: `Goal conversions by ${by}`,
    description: `People's visits that reached each goal, by the ${by} of the visit (first touch), and the share of visits that did.`,
    sql: `SELECT goal, ${labelSql}, sum(conversions) AS conversions, sum(visits) AS visits,
  conversions / nullIf(visits, 0) AS conversion_rate
FROM ${DB}.goals_daily
WHERE ${DAYS}
GROUP BY goal, ${alias}
ORDER BY conversions DESC, visits DESC, goal, ${alias}
LIMIT 200`,
    shape: {
      kind: 'table',
      columns: [
        { name: 'goal', title: 'Goal' },
        { name: alias, title: by[0].toUpperCase() + by.slice(1) },
        { name: 'conversions', title: 'Conversions', unit: 'short' },
        { name: 'visits', title: 'Visits', unit: 'short' },
        { name: 'conversion_rate', title: 'Conversion rate', unit: 'percentunit' },
      ],
    },
    width: by === 'entry page' ? 24 : 12,
  };
}
