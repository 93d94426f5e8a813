import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import t from 'tap';
import type { Hit } from '../../../src/enrich/hit.js';
import type { VisitRecord } from '../../../src/sessions/visit.js';
import { CHROME_UA, FIREFOX_UA, line, SAFARI_UA, summary, VisitPipeline } from '../../support/visit-pipeline.js';
import { tempDir } from '../../helpers/cli.js';

// Runs every SQL block of docs/visits.md — the proposed tables, their per-day builds and the queries — on the
// embedded engine, over one day whose visits, bounces, durations, exits, goals, conversions, response times,
// opens and clicks are worked out by hand below.

const DOC = readFileSync(new URL('../../../docs/visits.md', import.meta.url), 'utf8');
const SQL = new Map([...DOC.matchAll(/<!-- sql:([\w-]+) -->\n```sql\n([\s\S]*?)\n```/g)].map((m) => [m[1], m[2]]));
const used = new Set<string>();
function sql(name: string): string {
  const text = SQL.get(name);
  if (text === undefined) throw new Error(`docs/visits.md has no sql:${name} block`);
  used.add(name);
  return text;
}

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const PROXY = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
const at = (ip: string, time: string, request: string, status: number, referrer: string, agent: string, seconds: string) =>
  `${line(ip, `30/Nov/2026:${time}`, request, status, referrer, agent)} ${seconds}`;

// nginx combined + $request_time, one server, 30 November 2026 (UTC).
const DAY = [
  at('203.0.113.50', '08:00:00', 'GET /t/open.gif?c=nov&r=r-111', 200, '-', PROXY, '0.001'),
  at('203.0.113.50', '08:30:00', 'GET /t/open.gif?c=nov&r=r-111', 200, '-', PROXY, '0.001'),
  at('203.0.113.51', '08:40:00', 'GET /t/open.gif?c=nov&r=r-222', 200, '-', PROXY, '0.001'),
  // Visit A: from a Google search, signs up.
  at('203.0.113.10', '09:00:00', 'GET /', 200, 'https://www.google.com/search?q=log+analytics', FIREFOX_UA, '0.020'),
  at('203.0.113.10', '09:00:01', 'GET /css/site.css', 200, 'https://www.example.com/', FIREFOX_UA, '0.002'),
  at('203.0.113.10', '09:02:00', 'GET /pricing', 200, 'https://www.example.com/', FIREFOX_UA, '0.030'),
  at('203.0.113.10', '09:05:00', 'POST /signup', 302, 'https://www.example.com/pricing', FIREFOX_UA, '0.150'),
  at('203.0.113.10', '09:05:01', 'GET /welcome', 200, 'https://www.example.com/pricing', FIREFOX_UA, '0.040'),
  // Visit C: from Hacker News, one page and its image.
  at('198.51.100.20', '10:00:00', 'GET /blog/hello', 200, 'https://news.ycombinator.com/', SAFARI_UA, '0.015'),
  at('198.51.100.20', '10:00:02', 'GET /blog/hello/cover.png', 200, 'https://www.example.com/blog/hello', SAFARI_UA, '0.003'),
  // Visit D: a click in the November mailing, then a sign-up.
  at('192.0.2.30', '10:59:58', 'GET /t/click?c=nov&r=r-222&u=https%3A%2F%2Fwww.example.com%2F%3Futm_campaign%3Dnov', 302,
    'https://mail.google.com/', CHROME_UA, '0.002'),
  at('192.0.2.30', '11:00:00', 'GET /?utm_source=newsletter&utm_medium=email&utm_campaign=nov', 200, '-', CHROME_UA, '0.018'),
  at('192.0.2.30', '11:01:00', 'GET /pricing', 200, 'https://www.example.com/', CHROME_UA, '0.035'),
  at('192.0.2.30', '11:03:00', 'POST /signup', 302, 'https://www.example.com/pricing', CHROME_UA, '0.120'),
  at('192.0.2.30', '11:03:01', 'GET /welcome', 200, 'https://www.example.com/signup', CHROME_UA, '0.045'),
  // Visit E: a crawler, one failing page.
  at('66.249.66.1', '12:00:00', 'GET /', 200, '-', GOOGLEBOT, '0.010'),
  at('66.249.66.1', '12:00:05', 'GET /pricing', 500, '-', GOOGLEBOT, '2.500'),
  // Visit B: A's reader again, hours later.
  at('203.0.113.10', '14:00:00', 'GET /docs', 200, '-', FIREFOX_UA, '0.025'),
  // Visit F: another reader clicks the mailing's pricing link.
  at('203.0.113.60', '15:00:00', 'GET /t/click?c=nov&r=r-111&u=https%3A%2F%2Fwww.example.com%2Fpricing', 302, '-', FIREFOX_UA, '0.002'),
  at('203.0.113.60', '15:00:01', 'GET /pricing', 200, '-', FIREFOX_UA, '0.040'),
];
// A second server whose format logs no duration (combined), and a script.
const UNTIMED = [line('198.51.100.99', '30/Nov/2026:16:00:00', 'GET /legacy', 200, '-', 'curl/8.5.0')];

const VISITS_BY_HAND = [
  '/ → /welcome 3pv 5h 301s search:Google "log analytics" goals=signup Firefox/Windows/desktop',
  '/blog/hello → /blog/hello 1pv 2h 2s bounce social:Hacker News Safari/iOS/mobile',
  '/ → /welcome 3pv 5h 183s direct utm=newsletter/email/nov goals=signup Chrome/Linux/desktop',
  '/ → / 1pv 2h 5s bounce direct //bot (not a person)',
  '/docs → /docs 1pv 1h 0s bounce direct Firefox/Windows/desktop',
  '/pricing → /pricing 1pv 2h 1s bounce direct Firefox/Windows/desktop (open)',
  '/legacy → /legacy 1pv 1h 0s bounce direct curl//other (not a person) (open)',
];

const RUN = '00000000-0000-4000-8000-000000000001';
type EmbeddedConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

function requestRow(h: Hit) {
  const a = h.anon;
  return {
    ts: Math.floor(a.time / 1000), site: a.site, path: a.path, status: a.status, bytes: a.bytes, is_page: h.isPage ? 1 : 0, is_bot: h.client.isBot ? 1 : 0,
    is_entry: h.isEntry ? 1 : 0, is_person: h.client.isPerson ? 1 : 0, visitor_id: a.visitorId, duration_ms: a.durationMs,
    email_kind: a.email?.kind ?? '', email_campaign: a.email?.campaign ?? '', email_recipient: a.email?.recipient || '0', email_link: a.email?.link ?? '',
  };
}

function visitRow(v: VisitRecord) {
  return {
    site: v.site, visitor_id: v.visitorId, start: Math.floor(v.start / 1000), end: Math.floor(v.end / 1000), duration: v.durationSeconds,
    pageviews: v.pageviews, hits: v.hits, entry_page: v.entryPage, exit_page: v.exitPage, bounce: v.bounce ? 1 : 0,
    referrer_class: v.referrerClass, referrer_source: v.referrerSource, referrer_host: v.referrerHost, search_keyword: v.searchKeyword,
    utm_source: v.campaign.source, utm_medium: v.campaign.medium, utm_campaign: v.campaign.campaign, utm_term: v.campaign.term,
    utm_content: v.campaign.content, country: v.country, org: v.org, org_category: v.orgCategory, browser: v.browser, os: v.os,
    device_type: v.deviceType, is_bot: v.isBot ? 1 : 0, is_person: v.isPerson ? 1 : 0, goals: v.goals, late_hits: v.lateHits, is_open: v.open ? 1 : 0, run_id: RUN,
  };
}

t.test('the proposed tables answer every documented query with the numbers worked out by hand', async (t) => {
  const dir = tempDir(t, 'siftlog-tables-');
  const goals = [{ name: 'signup', path: '/signup', method: 'POST', status: ['2xx', '3xx'] }];
  const email = { open: '/t/open.gif?c={campaign}&r={recipient}', click: '/t/click?c={campaign}&r={recipient}&u={url}' };
  const timed = new VisitPipeline({ stateDir: join(dir, 'state'), format: 'combined_timed', goals, email }).pushAll(DAY);
  timed.finish();
  const untimed = new VisitPipeline({ stateDir: join(dir, 'state'), goals, email }).pushAll(UNTIMED);
  untimed.finish();
  t.same([...timed.rejected, ...untimed.rejected], []);
  const visits = [...timed.visits, ...untimed.visits].sort((a, b) => a.start - b.start);
  t.same(visits.map(summary), VISITS_BY_HAND);

  const connection = createChdbConnection({ path: join(dir, 'clickhouse') });
  const client = createClient({ connection: connection as unknown as EmbeddedConnection });
  t.teardown(() => client.close());
  const run = (query: string, params: Record<string, unknown> = {}) => client.command({ query, query_params: params });
  const rows = async (name: string, params: Record<string, unknown>) =>
    (await client.query({ query: sql(name), query_params: params, format: 'JSONEachRow' })).json<Record<string, unknown>>();

  await run('CREATE DATABASE IF NOT EXISTS siftlog');
  // Today's tables as far as the builds and queries read them (`requests` and the two trend tables the
  // documented ALTERs extend), with today's traffic_hourly build from requests — people counted by is_person,
  // as the client-class wiring will count them.
  await run(`CREATE TABLE siftlog.requests (ts DateTime('UTC'), site LowCardinality(String), path String, status UInt16, bytes UInt64,
    is_page UInt8, is_bot UInt8, is_entry UInt8, is_person UInt8, visitor_id UInt64) ENGINE = MergeTree PARTITION BY toYYYYMMDD(ts) ORDER BY (site, ts)`);
  await run(`CREATE TABLE siftlog.traffic_hourly (site LowCardinality(String), hour DateTime('UTC'), hits SimpleAggregateFunction(sum, UInt64),
    pageviews SimpleAggregateFunction(sum, UInt64), visits SimpleAggregateFunction(sum, UInt64), visitors AggregateFunction(uniqCombined, UInt64),
    bytes SimpleAggregateFunction(sum, UInt64), status_4xx SimpleAggregateFunction(sum, UInt64), status_5xx SimpleAggregateFunction(sum, UInt64),
    bot_hits SimpleAggregateFunction(sum, UInt64)) ENGINE = AggregatingMergeTree PARTITION BY toYYYYMM(hour) ORDER BY (site, hour)`);
  await run(`CREATE TABLE siftlog.pages_daily (site LowCardinality(String), day Date, path String, hits SimpleAggregateFunction(sum, UInt64),
    pageviews SimpleAggregateFunction(sum, UInt64), entries SimpleAggregateFunction(sum, UInt64), visitors AggregateFunction(uniqCombined, UInt64),
    bytes SimpleAggregateFunction(sum, UInt64), errors SimpleAggregateFunction(sum, UInt64), bot_hits SimpleAggregateFunction(sum, UInt64))
    ENGINE = AggregatingMergeTree PARTITION BY toYYYYMM(day) ORDER BY (site, day, path)`);
  for (const change of ['requests-columns', 'traffic_hourly-columns', 'pages_daily-columns']) await run(sql(change));
  for (const table of ['visits', 'goals_daily', 'responses_hourly', 'email_daily']) await run(sql(table));
  await client.insert({ table: 'siftlog.requests', values: [...timed.hits, ...untimed.hits].map(requestRow), format: 'JSONEachRow' });
  await client.insert({ table: 'siftlog.visits', values: visits.map(visitRow), format: 'JSONEachRow' });
  await run(`INSERT INTO siftlog.traffic_hourly (site, hour, hits, pageviews, visits, visitors, bytes, status_4xx, status_5xx, bot_hits)
    SELECT site, toStartOfHour(ts) AS h, count(), countIf(is_page = 1 AND is_person = 1), countIf(is_entry = 1 AND is_person = 1),
      uniqCombinedStateIf(visitor_id, is_person = 1), sum(bytes), countIf(status >= 400 AND status < 500), countIf(status >= 500), countIf(is_bot = 1)
    FROM siftlog.requests WHERE toDate(ts) = {day:Date} GROUP BY site, h`, { day: '2026-11-30' });
  for (const build of ['traffic_hourly-visits', 'pages_daily-visits', 'goals_daily', 'responses_hourly', 'email_daily']) {
    await run(sql(`build-${build}`), { day: '2026-11-30' });
  }

  const day = { site: 'www.example.com', from: '2026-11-30', to: '2026-11-30' };
  // People only: visits A, B, C, D, F by four readers; 9 page views; B, C and F bounced; durations 301, 0, 2, 183
  // and 1 s: mean 97.4, median 2 (quantileTiming: the value at floor(level × n) of the sorted values).
  t.same(await rows('query-visits', day), [{
    day: '2026-11-30', visitors: '4', visits: '5', pageviews: '9', visits_with_pages: '5', views_per_visit: 1.8, bounce_rate: 0.6,
    mean_visit_seconds: 97, median_visit_seconds: 2,
  }]);
  t.same(await rows('query-entry-pages', day), [
    { path: '/', entry_count: '2', bounce_rate: 0 },
    { path: '/blog/hello', entry_count: '1', bounce_rate: 1 },
    { path: '/docs', entry_count: '1', bounce_rate: 1 },
    { path: '/pricing', entry_count: '1', bounce_rate: 1 },
  ]);
  t.same(await rows('query-exit-pages', day), [
    { path: '/welcome', exit_count: '2' }, { path: '/blog/hello', exit_count: '1' }, { path: '/docs', exit_count: '1' },
    { path: '/pricing', exit_count: '1' },
  ]);

  const signup = (touch: string) => ({ ...day, goal: 'signup', touch });
  const rate = (conversions: number, visits: number, r: number) => ({ conversion_count: String(conversions), visit_count: String(visits), conversion_rate: r });
  t.same(await rows('query-conversions-by-entry-page', signup('visit')), [
    { page: '/', ...rate(2, 2, 1) }, { page: '/blog/hello', ...rate(0, 1, 0) }, { page: '/docs', ...rate(0, 1, 0) }, { page: '/pricing', ...rate(0, 1, 0) },
  ]);
  t.same(await rows('query-conversions-by-entry-page', signup('visitor')), [
    { page: '/', ...rate(2, 3, 0.6667) }, { page: '/blog/hello', ...rate(0, 1, 0) }, { page: '/pricing', ...rate(0, 1, 0) },
  ], 'visit B (entry /docs) counts for how its reader first came that day: / from Google');
  t.same(await rows('query-conversions-by-source', signup('visit')), [
    { channel: 'direct', source: '', ...rate(1, 3, 0.3333) },
    { channel: 'search', source: 'Google', ...rate(1, 1, 1) },
    { channel: 'social', source: 'Hacker News', ...rate(0, 1, 0) },
  ]);
  t.same(await rows('query-conversions-by-source', signup('visitor')), [
    { channel: 'direct', source: '', ...rate(1, 2, 0.5) },
    { channel: 'search', source: 'Google', ...rate(1, 2, 0.5) },
    { channel: 'social', source: 'Hacker News', ...rate(0, 1, 0) },
  ]);
  t.same(await rows('query-conversions-by-keyword', signup('visit')), [{ keyword: 'log analytics', ...rate(1, 1, 1) }]);
  t.same(await rows('query-conversions-by-keyword', signup('visitor')), [{ keyword: 'log analytics', ...rate(1, 2, 0.5) }]);
  for (const touch of ['visit', 'visitor']) {
    t.same(await rows('query-conversions-by-campaign', signup(touch)), [
      { campaign: 'nov', campaign_source: 'newsletter', campaign_medium: 'email', ...rate(1, 1, 1) },
    ]);
  }

  // Response times, every request. By hour: 08 the pixel 1, 1, 1 ms; 09 visit A 20, 2, 30, 150, 40; 10 visit C 15
  // and 3, the click 2; 11 visit D 18, 35, 120, 45; 12 the crawler 10 and 2,500; 14: 25; 15: 2 and 40; 16 /legacy,
  // logged without a duration: no quantile, NULL.
  t.same((await rows('query-response-times', { site: day.site, day: day.from })).map((r) => [String(r.hour).slice(11, 13), r.timed_count, r.p50_p90_p99_ms]), [
    ['08', '3', [1, 1, 1]], ['09', '5', [30, 150, 150]], ['10', '3', [3, 15, 15]], ['11', '4', [45, 120, 120]],
    ['12', '2', [2500, 2500, 2500]], ['14', '1', [25, 25, 25]], ['15', '2', [40, 40, 40]], ['16', '0', [null, null, null]],
  ]);
  t.same(await rows('query-slowest-paths', { site: day.site, day: day.from, min_timed: 3 }), [
    { path: '/pricing', requests: '4', timed_count: '4', p50_p90_p99_ms: [40, 2500, 2500] },
    { path: '/', requests: '3', timed_count: '3', p50_p90_p99_ms: [18, 20, 20] },
    { path: '/t/open.gif', requests: '3', timed_count: '3', p50_p90_p99_ms: [1, 1, 1] },
  ], '/pricing took 30, 35, 40 and 2,500 ms; / 20, 18 and 10');
  t.same(await rows('query-failing-paths', { site: day.site, day: day.from }), [
    { path: '/pricing', requests: '4', server_errors: '1', client_errors: '0', server_error_rate: 0.25 },
  ]);

  // The November mailing: 3 opens by 2 recipients (r-111 twice); 2 clicks by 2 recipients, one per link.
  t.same(await rows('query-email-campaigns', day), [
    { campaign: 'nov', open_count: '3', unique_opens: '2', click_count: '2', unique_clicks: '2', click_to_open_rate: 1 },
  ]);
  t.same(await rows('query-email-links', day), [
    { campaign: 'nov', link: 'https://www.example.com/', click_count: '1', unique_clicks: '1' },
    { campaign: 'nov', link: 'https://www.example.com/pricing', click_count: '1', unique_clicks: '1' },
  ]);
  const stored = await client.query({ query: 'SELECT * FROM siftlog.requests', format: 'TabSeparated' });
  const text = await stored.text();
  for (const planted of ['r-111', 'r-222', 'GoogleImageProxy', 'utm_campaign%3D']) t.notOk(text.includes(planted), `no "${planted}" stored`);

  t.same([...SQL.keys()].filter((name) => !used.has(name)), [], 'every SQL block of docs/visits.md ran');
});
