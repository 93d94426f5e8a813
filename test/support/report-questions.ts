import type { ClickHouseClient } from '@clickhouse/client';
import type { Block, Compared, MapBlock, RankingBlock, SeriesBlock, TotalsBlock, ValueFormat } from '../../src/report/model.js';
import { WEEK, WEEK_BEFORE } from './report-log.js';

export type Days = { from: string; to: string };
export const days = (column: string, p: Days) => `${column} BETWEEN '${p.from}' AND '${p.to}'`;
export const n = (v: unknown) => Number(v);
/** A rate or percentile over nothing (NULL, NaN in ClickHouse's JSON) is unknown. */
export const known = (v: unknown) => (v === null || v === undefined || !Number.isFinite(Number(v)) ? null : Number(v));

/**
 * A measure as a user would ask for it: [id, label, SQL aggregate, format (count when left out)]. A count
 * missing from the previous period is 0; a rate or percentile there is unknown (null).
 */
export type Asked = [string, string, string, ValueFormat?];
export const VISITORS: Asked = ['visitors', 'visitors', 'uniqCombinedMerge(visitors)'];
export const PAGEVIEWS: Asked = ['pageviews', 'pageviews', 'sum(pageviews)'];
export const VISITS: Asked = ['visits', 'visits', 'sum(visits)'];
export const HITS: Asked = ['hits', 'hits', 'sum(hits)'];
export const ENTRIES: Asked = ['entries', 'entries', 'sum(entries)'];
const SOURCE_MEASURES = [VISITS, VISITORS, PAGEVIEWS];
const GOAL_MEASURES: Asked[] = [['conversions', 'conversions', 'sum(conversions)'],
  ['conversion_rate', 'conversion rate', '100 * sum(conversions) / sum(visits)', 'percent'], ['visits', 'visits', 'sum(visits)']];
const TIMED: Asked = ['timed', 'timed requests', 'sum(timed)'];
const P50: Asked = ['p50', 'median', 'quantileTimingMerge(0.5)(response_ms)', 'ms'];
const P90: Asked = ['p90', 'p90', 'quantileTimingMerge(0.9)(response_ms)', 'ms'];
const P99: Asked = ['p99', 'p99', 'quantileTimingMerge(0.99)(response_ms)', 'ms'];
const withNote = (block: RankingBlock, note: string): RankingBlock => ({ ...block, note });
export const or = (fallback: string) => ([k]: string[]) => k || fallback;

export interface TopQuestion {
  id: string;
  title: string;
  keyLabel: string;
  table: string;
  day?: string;
  keys: string[];
  where?: string;
  /** The first orders the list. */
  measures: Asked[];
  label: (keys: string[]) => string;
  site?: string | null;
}

/**
 * The report's questions asked again in plain SQL of the same store, each period on its own, the way a
 * user would through `siftlog sql`: what every block of the report for WEEK (against WEEK_BEFORE) must hold.
 */
export function reportQuestions(client: ClickHouseClient) {
  async function ask(query: string): Promise<Record<string, unknown>[]> {
    return (await client.query({ query, format: 'JSONEachRow' })).json<Record<string, unknown>>();
  }
  const both = (current: number[], previous: (number | null)[]): Compared[] => current.map((c, i) => ({ current: c, previous: previous[i] }));

  /** A site filter written the plain way. */
  const onSite = (site: string | null) => (site === null ? '1' : `site = '${site}'`);

  async function expectTotals(site: string | null): Promise<TotalsBlock> {
    // Sums from the README's traffic_daily view; visitors merged over the whole period from the hourly table.
    const q = async (p: Days) => {
      const [sums] = await ask(`SELECT sum(visits) AS visits, sum(pageviews) AS pageviews, sum(hits) AS hits, sum(bytes) AS bytes,
        sum(bot_hits) AS bot_hits FROM siftlog.traffic_daily WHERE ${onSite(site)} AND ${days('day', p)}`);
      const [uniq] = await ask(`SELECT uniqCombinedMerge(visitors) AS visitors FROM siftlog.traffic_hourly
        WHERE ${onSite(site)} AND ${days('toDate(hour)', p)}`);
      return [n(uniq.visitors), n(sums.visits), n(sums.pageviews), n(sums.hits), n(sums.bytes), n(sums.bot_hits)];
    };
    return {
      kind: 'totals', id: 'traffic-totals', title: 'Totals',
      measures: [
        { id: 'visitors', label: 'visitors', format: 'count' }, { id: 'visits', label: 'visits', format: 'count' },
        { id: 'pageviews', label: 'pageviews', format: 'count' }, { id: 'hits', label: 'hits', format: 'count' },
        { id: 'bytes', label: 'data sent', format: 'bytes' }, { id: 'bot_hits', label: 'bot hits', format: 'count' },
      ],
      values: both(await q(WEEK), await q(WEEK_BEFORE)),
    };
  }

  async function expectSeries(site: string | null): Promise<SeriesBlock> {
    // Visitor ids are per site (the site is in the keyed hash): over all sites a day's visitors are the sum.
    const rows = await ask(`SELECT toString(day) AS day, sum(visitors) AS visitors, sum(visits) AS visits, sum(pageviews) AS pageviews
      FROM siftlog.traffic_daily WHERE ${onSite(site)} AND ${days('day', { from: WEEK_BEFORE.from, to: WEEK.to })} GROUP BY day`);
    const at = (day: string) => rows.find((r) => r.day === day);
    const value = (day: string, m: string) => n(at(day)?.[m] ?? 0);
    const points = Array.from({ length: 7 }, (_, i) => {
      const day = `2015-05-${String(11 + i).padStart(2, '0')}`;
      const before = `2015-05-${String(4 + i).padStart(2, '0')}`;
      return { at: day, previousAt: before, values: ['visitors', 'visits', 'pageviews'].map((m) => ({ current: value(day, m), previous: value(before, m) })) };
    });
    return {
      kind: 'series', id: 'traffic-series', title: 'Visitors, visits and pageviews per day', unit: 'day',
      measures: [{ id: 'visitors', label: 'visitors', format: 'count' }, { id: 'visits', label: 'visits', format: 'count' },
        { id: 'pageviews', label: 'pageviews', format: 'count' }],
      points,
    };
  }


  /** Headline numbers of one table, each period asked on its own. */
  async function expectPlainTotals(id: string, title: string, table: string, day: string, measures: Asked[], site: string | null = null): Promise<TotalsBlock> {
    const q = async (p: Days) => {
      const [row] = await ask(`SELECT ${measures.map(([, , sql], i) => `${sql} AS v${i}`).join(', ')} FROM siftlog.${table}
        WHERE ${onSite(site)} AND ${days(day, p)}`);
      return measures.map(([, , , format], i) => (format === undefined || format === 'count' ? n(row[`v${i}`]) : known(row[`v${i}`])));
    };
    const [current, previous] = [await q(WEEK), await q(WEEK_BEFORE)];
    return {
      kind: 'totals', id, title, measures: measures.map(([mid, label, , format]) => ({ id: mid, label, format: format ?? 'count' })),
      values: current.map((c, i) => ({ current: c ?? 0, previous: previous[i] })),
    };
  }

  /** A top 10: the period's list in one query, the previous period's values of those rows in another. */
  async function expectTop(q: TopQuestion): Promise<RankingBlock> {
    const day = q.day ?? 'day';
    const filter = `${onSite(q.site ?? null)}${q.where ? ` AND ${q.where}` : ''}`;
    const keys = q.keys.map((k, i) => `${k} AS k${i}`).join(', ');
    const groups = q.keys.map((_, i) => `k${i}`).join(', ');
    const values = q.measures.map(([, , sql], i) => `${sql} AS v${i}`).join(', ');
    const current = await ask(`SELECT ${keys}, ${values} FROM siftlog.${q.table} WHERE ${filter} AND ${days(day, WEEK)}
      GROUP BY ${groups} HAVING v0 > 0 ORDER BY v0 DESC, ${groups} LIMIT 10`);
    const previous = await ask(`SELECT ${keys}, ${values} FROM siftlog.${q.table} WHERE ${filter} AND ${days(day, WEEK_BEFORE)} GROUP BY ${groups}`);
    const [{ listed }] = await ask(`SELECT count() AS listed FROM (SELECT ${keys}, ${values} FROM siftlog.${q.table}
      WHERE ${filter} AND ${days(day, WEEK)} GROUP BY ${groups} HAVING v0 > 0)`);
    const keyOf = (r: Record<string, unknown>) => q.keys.map((_, i) => String(r[`k${i}`]));
    return {
      kind: 'ranking', id: q.id, title: q.title, keyLabel: q.keyLabel,
      measures: q.measures.map(([id, label, , format]) => ({ id, label, format: format ?? 'count' })),
      rows: current.map((r) => {
        const k = keyOf(r);
        const was = previous.find((p) => keyOf(p).join('\n') === k.join('\n'));
        return {
          keys: k, label: q.label(k),
          values: q.measures.map(([, , , format], i) => ({
            current: n(r[`v${i}`]), previous: format === undefined || format === 'count' ? n(was?.[`v${i}`] ?? 0) : known(was?.[`v${i}`]),
          })),
        };
      }),
      more: n(listed) - current.length,
    };
  }


  async function expectCompanies(): Promise<RankingBlock> {
    const between = (p: Days) => `siftlog.companies_between(first = '${p.from}', last = '${p.to}')`;
    const current = await ask(`SELECT org, org_category, sum(visitors) AS visitors, sum(pageviews) AS pageviews, sum(visits) AS visits
      FROM ${between(WEEK)} GROUP BY org, org_category ORDER BY visitors DESC, org, org_category`);
    const previous = await ask(`SELECT org, org_category, sum(visitors) AS visitors, sum(pageviews) AS pageviews, sum(visits) AS visits
      FROM ${between(WEEK_BEFORE)} GROUP BY org, org_category`);
    const m = ['visitors', 'pageviews', 'visits'];
    return {
      kind: 'ranking', id: 'companies-top', title: 'Companies and networks', keyLabel: 'organisation (category)',
      measures: m.map((id) => ({ id, label: id, format: 'count' })),
      rows: current.slice(0, 10).map((r) => {
        const was = previous.find((p) => p.org === r.org && p.org_category === r.org_category);
        return {
          keys: [String(r.org), String(r.org_category)], label: `${r.org} (${r.org_category || 'unknown'})`,
          values: m.map((id) => ({ current: n(r[id]), previous: was ? n(was[id]) : null })),
        };
      }),
      more: Math.max(0, current.length - 10),
      note: 'Only organisations with at least k visitors in a period are shown (small-group rule); "?" is a previous period under k.',
    };
  }

  /** Every country with visitors in the week, for the map: no top-10 cut. */
  async function expectMap(): Promise<MapBlock> {
    const q = (p: Days) => ask(`SELECT country, uniqCombinedMerge(visitors) AS visitors FROM siftlog.geo_daily
      WHERE country != '' AND ${days('day', p)} GROUP BY country ORDER BY visitors DESC, country`);
    const [current, previous] = [await q(WEEK), await q(WEEK_BEFORE)];
    return {
      kind: 'map', id: 'countries-map', title: 'Visitors by country', measure: { id: 'visitors', label: 'visitors', format: 'count' },
      countries: current.filter((r) => n(r.visitors) > 0).map((r) => ({
        code: String(r.country), label: `${r.country} ${new Intl.DisplayNames(['en'], { type: 'region' }).of(String(r.country))}`,
        value: { current: n(r.visitors), previous: n(previous.find((p) => p.country === r.country)?.visitors ?? 0) },
      })),
    };
  }

  /** The whole report for all sites, asked block by block. */
  async function expectAllSites(): Promise<Block[]> {
    return [
      await expectTotals(null),
      await expectSeries(null),
      await expectTop({ id: 'traffic-sites', title: 'Sites', keyLabel: 'site', table: 'traffic_hourly', day: 'toDate(hour)', keys: ['site'],
        measures: [VISITORS, VISITS, PAGEVIEWS, HITS], label: or('') }),
      await expectPlainTotals('visits-totals', 'Visits', 'traffic_hourly', 'toDate(hour)', [
        VISITS, ['page_visits', 'visits with a page', 'sum(page_visits)'],
        ['views_per_visit', 'views per visit', 'sum(pageviews) / sum(page_visits)', 'ratio'],
        ['bounce_rate', 'bounce rate', '100 * sum(bounces) / sum(page_visits)', 'percent'],
        ['median_duration', 'median duration', 'quantileTimingMerge(0.5)(visit_seconds)', 'seconds'],
        ['mean_duration', 'mean duration', 'sum(visit_seconds_sum) / sum(page_visits)', 'seconds'],
      ]),
      await expectTop({ id: 'pages-top', title: 'Top pages', keyLabel: 'page', table: 'pages_daily', keys: ['path'],
        measures: [PAGEVIEWS, VISITORS, ENTRIES], label: or('') }),
      await expectTop({ id: 'pages-entry', title: 'Entry pages', keyLabel: 'page', table: 'pages_daily', keys: ['path'],
        measures: [ENTRIES, ['bounces', 'bounces', 'sum(bounces)'], ['bounce_rate', 'bounce rate', '100 * sum(bounces) / sum(entries)', 'percent']],
        label: or('') }),
      await expectTop({ id: 'pages-exit', title: 'Exit pages', keyLabel: 'page', table: 'pages_daily', keys: ['path'],
        measures: [['exits', 'exits', 'sum(exits)'], PAGEVIEWS], label: or('') }),
      await expectTop({ id: 'sources-classes', title: 'Referrer classes', keyLabel: 'class', table: 'sources_daily', keys: ['referrer_class'],
        measures: SOURCE_MEASURES, label: or('unknown') }),
      await expectTop({ id: 'sources-top', title: 'Top sources', keyLabel: 'source', table: 'sources_daily',
        keys: [`if(referrer_source = '', referrer_host, referrer_source)`, 'referrer_class'], where: `referrer_class != 'direct'`,
        measures: SOURCE_MEASURES, label: ([s, c]) => `${s} (${c})` }),
      await expectTop({ id: 'sources-keywords', title: 'Search keywords', keyLabel: 'keyword', table: 'sources_daily', keys: ['search_keyword'],
        where: `search_keyword != ''`, measures: SOURCE_MEASURES, label: or('') }),
      await expectTop({ id: 'campaigns-top', title: 'Campaigns', keyLabel: 'campaign (source / medium)', table: 'campaigns_daily',
        keys: ['utm_campaign', 'utm_source', 'utm_medium'], measures: SOURCE_MEASURES, label: ([c, s, m]) => `${c} (${s} / ${m})` }),
      await expectTop({ id: 'goals-top', title: 'Goals', keyLabel: 'goal', table: 'goals_daily', keys: ['goal'], measures: GOAL_MEASURES, label: or('') }),
      await expectTop({ id: 'goals-entry', title: 'Conversions by entry page', keyLabel: 'entry page → goal', table: 'goals_daily',
        keys: ['goal', `if(entry_page = '', '(no page)', entry_page)`], measures: GOAL_MEASURES, label: ([g, k]) => `${k} → ${g}` }),
      await expectTop({ id: 'goals-source', title: 'Conversions by source', keyLabel: 'source → goal', table: 'goals_daily',
        keys: ['goal', `if(referrer_source != '', referrer_source, if(referrer_class = '', 'unknown', referrer_class))`], measures: GOAL_MEASURES,
        label: ([g, k]) => `${k} → ${g}` }),
      await expectTop({ id: 'goals-campaign', title: 'Conversions by campaign', keyLabel: 'campaign → goal', table: 'goals_daily',
        keys: ['goal', 'utm_campaign'], where: `utm_campaign != ''`, measures: GOAL_MEASURES, label: ([g, k]) => `${k} → ${g}` }),
      withNote(await expectTop({ id: 'email-campaigns', title: 'Mailings', keyLabel: 'mailing', table: 'email_daily', keys: ['campaign'],
        measures: [['opens', 'opens', 'sum(opens)'], ['unique_opens', 'unique opens', 'uniqCombinedMerge(openers)'], ['clicks', 'clicks', 'sum(clicks)'],
          ['unique_clicks', 'unique clicks', 'uniqCombinedMerge(clickers)']], label: or('') }),
        'Unique opens and clicks are counted per mailing and day: over several days the daily uniques add up.'),
      await expectTop({ id: 'email-links', title: 'Clicked links', keyLabel: 'link (mailing)', table: 'email_daily', keys: ['link', 'campaign'],
        where: `link != ''`, measures: [['clicks', 'clicks', 'sum(clicks)'], ['unique_clicks', 'unique clicks', 'uniqCombinedMerge(clickers)']],
        label: ([l, c]) => `${l} (${c})` }),
      await expectMap(),
      await expectTop({ id: 'countries-top', title: 'Countries', keyLabel: 'country', table: 'geo_daily', keys: ['country'],
        measures: [VISITORS, PAGEVIEWS], label: ([c]) => `${c} ${new Intl.DisplayNames(['en'], { type: 'region' }).of(c)}` }),
      await expectTop({ id: 'countries-cities', title: 'Cities', keyLabel: 'city', table: 'geo_daily', keys: ['city', 'country'],
        where: `city != ''`, measures: [VISITORS, PAGEVIEWS], label: ([city, c]) => `${city} (${c})` }),
      await expectCompanies(),
      await expectTop({ id: 'clients-browsers', title: 'Browsers', keyLabel: 'browser', table: 'clients_daily', keys: ['browser'],
        where: 'is_person = 1', measures: [VISITORS, PAGEVIEWS], label: or('unknown') }),
      await expectTop({ id: 'clients-os', title: 'Operating systems', keyLabel: 'system', table: 'clients_daily', keys: ['os'],
        where: 'is_person = 1', measures: [VISITORS, PAGEVIEWS], label: or('unknown') }),
      await expectTop({ id: 'clients-devices', title: 'Device types', keyLabel: 'device', table: 'clients_daily', keys: ['device_type'],
        where: 'is_person = 1', measures: [VISITORS, PAGEVIEWS], label: or('unknown') }),
      {
        kind: 'totals', id: 'status-totals', title: 'Errors',
        measures: [{ id: 'status_4xx', label: 'client errors (4xx)', format: 'count' }, { id: 'status_5xx', label: 'server errors (5xx)', format: 'count' }],
        values: await (async () => {
          const q = async (p: Days) => (await ask(`SELECT sum(status_4xx) AS a, sum(status_5xx) AS b FROM siftlog.traffic_daily WHERE ${days('day', p)}`))[0];
          const [c, p] = [await q(WEEK), await q(WEEK_BEFORE)];
          return both([n(c.a), n(c.b)], [n(p.a), n(p.b)]);
        })(),
      },
      await expectTop({ id: 'status-failing', title: 'Failing paths', keyLabel: 'path', table: 'pages_daily', keys: ['path'],
        measures: [['errors', 'errors (4xx, 5xx)', 'sum(errors)'], HITS], label: or('') }),
      await expectPlainTotals('performance-totals', 'Response times', 'responses_hourly', 'toDate(hour)', [TIMED, P50, P90, P99]),
      await expectTop({ id: 'performance-slowest', title: 'Slowest paths', keyLabel: 'path', table: 'responses_hourly', day: 'toDate(hour)',
        keys: ['path'], measures: [P90, P50, P99, TIMED], label: or('') }),
      await expectTop({ id: 'performance-classes', title: 'Status classes', keyLabel: 'class', table: 'responses_hourly', day: 'toDate(hour)',
        keys: ['status_class'], measures: [HITS], label: or('') }),
      await expectTop({ id: 'bots-top', title: 'Bots', keyLabel: 'bot', table: 'clients_daily', keys: ['bot_name'],
        where: 'is_bot = 1', measures: [HITS], label: or('unnamed') }),
    ];
  }

  return { ask, expectTotals, expectSeries, expectTop, expectPlainTotals, expectAllSites };
}
