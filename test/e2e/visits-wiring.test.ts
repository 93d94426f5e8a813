import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { ReferrerClassifier } from '../../src/enrich/referrer.js';
import { defaultConfig, type PipelineConfig } from '../../src/pipeline/config.js';
import { ingest, type IngestSummary } from '../../src/pipeline/ingest.js';
import { SiteCalendar } from '../../src/privacy/calendar.js';
import { audit } from '../../src/privacy/audit.js';
import { compileAllowList } from '../../src/privacy/query.js';
import { DATABASE } from '../../src/sink/clickhouse/schema.js';
import { Store } from '../../src/sink/clickhouse/store.js';
import { resolveInputs } from '../../src/sources/inputs.js';
import { tempDir } from '../helpers/cli.js';
import { CHROME_UA, line, SAFARI_UA } from '../support/visit-pipeline.js';
import { copyTemplateStore } from '../helpers/store-template.js';

// The run loop wired to the visit stage (docs/visits.md, "Wiring"), on one store loaded by three runs whose
// numbers are worked out by hand below: two servers' logs read side by side, a visit across midnight, a visit
// across two runs, a format without durations, exclusions, client classes, and re-runs that change nothing.

const NO_LOOKUPS = { geo: null, company: null, referrers: new ReferrerClassifier(), campaigns: true };
const NOW = () => Date.UTC(2026, 11, 1, 12);
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const timed = (text: string, seconds: string) => `${text} ${seconds}`;
const d30 = (time: string) => `30/Nov/2026:${time}`;
const d01 = (time: string) => `01/Dec/2026:${time}`;

// Server 1 and server 2 of www.example.com (nginx combined + $request_time), 30 November (UTC).
// Visit A (Firefox) moves between the servers: its first request is on server 2, so reading server 1
// first without merging would make /docs its entry page.
const SERVER1 = [
  timed(line('203.0.113.10', d30('10:02:00'), 'GET /docs', 200), '0.020'),
  timed(line('203.0.113.10', d30('10:06:00'), 'GET /welcome', 200), '0.040'),
  timed(line('192.0.2.5', d30('10:30:00'), 'GET /healthz', 200, '-', CHROME_UA), '0.001'), // excluded: paths[0]
  timed(line('198.51.100.7', d30('10:31:00'), 'GET /', 200, '-', 'UptimeRobot/2.0'), '0.001'), // excluded: user_agents[0]
  // Visit B (Safari) starts before midnight and goes on after it.
  timed(line('198.51.100.20', d30('23:50:00'), 'GET /blog', 200, '-', SAFARI_UA), '0.010'),
  timed(line('198.51.100.20', d01('00:10:00'), 'GET /about', 200, '-', SAFARI_UA), '0.030'),
];
const SERVER2 = [
  timed(line('203.0.113.10', d30('10:00:00'), 'GET /', 200, 'https://www.google.com/search?q=logs'), '0.010'),
  timed(line('203.0.113.10', d30('10:04:00'), 'GET /pricing', 200), '0.500'),
  // A crawler (class bot) and a script (class library): hits, not people.
  timed(line('66.249.66.1', d30('11:00:00'), 'GET /', 200, '-', GOOGLEBOT), '0.010'),
  timed(line('198.51.100.99', d30('12:00:00'), 'GET /feed', 200, '-', 'curl/8.5.0'), '2.000'),
];
// The next run, from a server whose format logs no duration (combined): visit B goes on, visit C starts.
const NEXT = [
  line('198.51.100.20', d01('00:20:00'), 'GET /contact', 200, '-', SAFARI_UA),
  line('203.0.113.77', d01('00:30:00'), 'GET /', 200, '-', CHROME_UA),
];

function configOf(format: string): PipelineConfig {
  const config = defaultConfig();
  config.format = format as PipelineConfig['format'];
  config.goals = [{ name: 'welcome', path: '/welcome' }];
  config.exclude = { networks: [], paths: ['/healthz'], user_agents: ['UptimeRobot'], statuses: [] };
  return config;
}

t.test('the run loop builds visits through the visit stage, across servers, midnight and runs', async (t) => {
  const dir = tempDir(t);
  const files = { s1: join(dir, 'server1.log'), s2: join(dir, 'server2.log'), next: join(dir, 'next.log') };
  writeFileSync(files.s1, `${SERVER1.join('\n')}\n`);
  writeFileSync(files.s2, `${SERVER2.join('\n')}\n`);
  writeFileSync(files.next, `${NEXT.join('\n')}\n`);
  const store = await Store.open({ dir: copyTemplateStore(join(dir, 'store')) });
  t.teardown(() => store.close());
  await store.migrate();
  const select = async (query: string) => (await store.client.query({ query, format: 'JSONEachRow' })).json<Record<string, unknown>>();
  const run = async (inputs: string[], format: string, force = false): Promise<IngestSummary> =>
    ingest(await resolveInputs(inputs), configOf(format), store, NO_LOOKUPS, { now: NOW, force });
  const visits = () => select(`SELECT toString(start) AS start, toString(end) AS end, duration, pageviews, hits, entry_page, exit_page,
      bounce, referrer_class, is_person, is_bot, goals, is_open FROM ${DATABASE}.visits ORDER BY start`);

  const first = await run([files.s1, files.s2], 'combined_timed');
  t.same(first.excludedByRule, { 'paths[0]': 1, 'user_agents[0]': 1 }, 'excluded lines counted by rule, never by address');
  t.equal(first.excluded, 2);
  t.equal(first.parsed, 8, 'excluded lines are not parsed further');
  t.same(first.visits, { visits: 3, provisional: 1, lateHits: 0, lateVisits: 0, forcedReleases: 0 },
    'A, the crawler and the script closed; B open at the end of the run');
  t.same(await visits(), [
    { start: '2026-11-30 10:00:00', end: '2026-11-30 10:06:00', duration: 360, pageviews: 4, hits: 4, entry_page: '/', exit_page: '/welcome',
      bounce: 0, referrer_class: 'search', is_person: 1, is_bot: 0, goals: ['welcome'], is_open: 0 },
    { start: '2026-11-30 11:00:00', end: '2026-11-30 11:00:00', duration: 0, pageviews: 1, hits: 1, entry_page: '/', exit_page: '/',
      bounce: 1, referrer_class: 'direct', is_person: 0, is_bot: 1, goals: [], is_open: 0 },
    { start: '2026-11-30 12:00:00', end: '2026-11-30 12:00:00', duration: 0, pageviews: 1, hits: 1, entry_page: '/feed', exit_page: '/feed',
      bounce: 1, referrer_class: 'direct', is_person: 0, is_bot: 0, goals: [], is_open: 0 },
    { start: '2026-11-30 23:50:00', end: '2026-12-01 00:10:00', duration: 1200, pageviews: 2, hits: 2, entry_page: '/blog', exit_page: '/about',
      bounce: 0, referrer_class: 'direct', is_person: 1, is_bot: 0, goals: [], is_open: 1 },
  ], 'the two servers merged in time order: A enters at / (server 2) and leaves at /welcome (server 1); B is one visit over midnight');
  const requests = await select(`SELECT toString(ts) AS ts, path, is_entry, client_class, is_person, is_bot, duration_ms,
      toString(visitor_id) AS id FROM ${DATABASE}.requests ORDER BY ts`);
  t.same(requests.map((r) => [r.ts, r.path, r.is_entry, r.client_class, r.is_person, r.is_bot, r.duration_ms]), [
    ['2026-11-30 10:00:00', '/', 1, 'browser', 1, 0, 10], ['2026-11-30 10:02:00', '/docs', 0, 'browser', 1, 0, 20],
    ['2026-11-30 10:04:00', '/pricing', 0, 'browser', 1, 0, 500], ['2026-11-30 10:06:00', '/welcome', 0, 'browser', 1, 0, 40],
    ['2026-11-30 11:00:00', '/', 1, 'bot', 0, 1, 10], ['2026-11-30 12:00:00', '/feed', 1, 'library', 0, 0, 2000],
    ['2026-11-30 23:50:00', '/blog', 1, 'browser', 1, 0, 10], ['2026-12-01 00:10:00', '/about', 0, 'browser', 1, 0, 30],
  ], 'rows in time order with is_entry from the visits; the class in its own column, is_bot only for the crawler');
  t.not(requests[7].id, requests[6].id, 'after midnight the request carries its own day\'s visitor id (one visit all the same)');

  const next = await run([files.next], 'combined');
  t.same(next.visits, { visits: 0, provisional: 2, lateHits: 0, lateVisits: 0, forcedReleases: 0 });
  const afterNext = await visits();
  t.equal(afterNext.length, 5, 'B is still one visit: the next run continued it from the published state');
  t.same(afterNext[3], {
    start: '2026-11-30 23:50:00', end: '2026-12-01 00:20:00', duration: 1800, pageviews: 3, hits: 3, entry_page: '/blog', exit_page: '/contact',
    bounce: 0, referrer_class: 'direct', is_person: 1, is_bot: 0, goals: [], is_open: 1,
  });
  t.same(await select(`SELECT path, duration_ms FROM ${DATABASE}.requests WHERE toDate(ts) = '2026-12-01' AND duration_ms IS NULL ORDER BY path`),
    [{ path: '/', duration_ms: null }, { path: '/contact', duration_ms: null }], 'a format without durations stores NULL, not 0');

  const trends = () => Promise.all([
    select(`SELECT toString(hour) AS hour, sum(hits) AS hits, sum(pageviews) AS pageviews, sum(visits) AS visits, uniqCombinedMerge(visitors) AS visitors,
        sum(bot_hits) AS bot_hits, sum(page_visits) AS page_visits, sum(bounces) AS bounces, sum(visit_seconds_sum) AS seconds,
        quantileTimingMerge(0.5)(visit_seconds) AS median FROM ${DATABASE}.traffic_hourly GROUP BY hour ORDER BY hour`),
    select(`SELECT toString(day) AS day, path, sum(hits) AS hits, sum(pageviews) AS pageviews, sum(entries) AS entries, sum(exits) AS exits,
        sum(bounces) AS bounces FROM ${DATABASE}.pages_daily GROUP BY day, path ORDER BY day, path`),
    select(`SELECT toString(day) AS day, client_class, is_person, is_bot, sum(hits) AS hits FROM ${DATABASE}.clients_daily
        GROUP BY ALL ORDER BY ALL`),
    select(`SELECT toString(day) AS day, goal, entry_page, referrer_class, sum(visits) AS visits, sum(conversions) AS conversions
        FROM ${DATABASE}.goals_daily GROUP BY ALL ORDER BY ALL`),
    select(`SELECT toString(hour) AS hour, path, status_class, sum(hits) AS hits, sum(timed) AS timed,
        quantilesTimingMerge(0.5, 0.99)(response_ms) AS ms FROM ${DATABASE}.responses_hourly GROUP BY ALL ORDER BY ALL`),
    select(`SELECT * EXCEPT (run_id) FROM ${DATABASE}.visits ORDER BY start`),
  ]);
  const published = await trends();
  const [traffic, pages, clients, goals, responses] = published;
  t.same(traffic.map((r) => [r.hour, r.hits, r.pageviews, r.visits, r.visitors, r.bot_hits, r.page_visits, r.bounces, r.seconds, r.median]), [
    ['2026-11-30 10:00:00', '4', '4', '1', '1', '0', '1', '0', '360', 360],
    ['2026-11-30 11:00:00', '1', '0', '0', '0', '1', '0', '0', '0', null],
    ['2026-11-30 12:00:00', '1', '0', '0', '0', '0', '0', '0', '0', null],
    ['2026-11-30 23:00:00', '1', '1', '1', '1', '0', '1', '0', '1800', 1800],
    ['2026-12-01 00:00:00', '3', '3', '1', '2', '0', '1', '1', '0', 0],
  ], 'people only in page views, visits and visitors; visit measures by the hour the visit started, B counted once with its whole duration');
  t.same(pages.filter((r) => Number(r.entries) + Number(r.exits) > 0).map((r) => [r.day, r.path, Number(r.entries), Number(r.exits), Number(r.bounces)]), [
    ['2026-11-30', '/', 1, 0, 0], ['2026-11-30', '/blog', 1, 0, 0], ['2026-11-30', '/contact', 0, 1, 0],
    ['2026-11-30', '/welcome', 0, 1, 0], ['2026-12-01', '/', 1, 1, 1],
  ], 'entries and exits of people\'s visits, by the day the visit started');
  t.same(clients.map((r) => [r.day, r.client_class, r.is_person, r.is_bot, r.hits]), [
    ['2026-11-30', 'bot', 0, 1, '1'], ['2026-11-30', 'browser', 1, 0, '5'], ['2026-11-30', 'library', 0, 0, '1'],
    ['2026-12-01', 'browser', 1, 0, '3'],
  ], 'every class keeps its hits under its class');
  t.same(goals, [
    { day: '2026-11-30', goal: 'welcome', entry_page: '/', referrer_class: 'search', visits: '1', conversions: '1' },
    { day: '2026-11-30', goal: 'welcome', entry_page: '/blog', referrer_class: 'direct', visits: '1', conversions: '0' },
  ], 'conversions of people\'s visits, with every visit of the day as the denominator');
  t.same(responses.filter((r) => r.path === '/feed' || r.path === '/contact').map((r) => [r.path, r.hits, r.timed, r.ms]), [
    ['/feed', '1', '1', [2000, 2000]], ['/contact', '1', '0', [null, null]],
  ], 'response times of every request; none for a format without them');

  // Loading either run's inputs again changes no table: the visits are merged by (site, visitor, start).
  await run([files.next], 'combined', true);
  t.same(await trends(), published, 'the next run\'s log loaded again (--force): identical tables');
  await run([files.s1, files.s2], 'combined_timed', true);
  t.same(await trends(), published, 'the first run\'s logs loaded again (--force): identical tables');

  // The new integer columns are counts, times and keyed hashes, not addresses: a value in the IPv4 range
  // (a hash of 3232235777, a 194-day visit) is no finding.
  await store.client.command({ query: `INSERT INTO ${DATABASE}.requests (ts, site, email_kind, email_recipient) VALUES (1796000000, 'x', 'open', 3232235777)` });
  await store.client.command({ query: `INSERT INTO ${DATABASE}.visits (site, start, end, duration) VALUES ('x', 1796000000, 1796000000, 16777217)` });
  const report = await audit({
    client: store.client, database: DATABASE, quarantineDir: store.quarantineDir, stateDir: store.stateDir,
    policy: { ipv4Prefix: 24, ipv6Prefix: 48, allowKey: compileAllowList(['utm_*']) }, saltWindowDays: 2, calendar: new SiteCalendar('UTC'), now: NOW,
  });
  t.same(report.findings, [], 'audit: visits, visit state and the new requests columns hold nothing address-like');
});
