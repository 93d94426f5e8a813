/**
 * Every dashboard panel's SQL, expanded the way Grafana and the ClickHouse plugin expand it, runs against an
 * embedded store loaded once with two small logs written for it, and returns the columns its panel type needs:
 * May 2024 (two sites, companies, bots) and 30 November – 1 December 2026 (visits, goals, e-mail, durations).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { DASHBOARDS } from '../../grafana/src/dashboards/index.js';
import { expectedColumns, type PanelSpec } from '../../grafana/src/panel-spec.js';
import { SITE_VARIABLE_SQL } from '../../grafana/src/render.js';
import { DB } from '../../grafana/src/sql.js';
import { openLookups } from '../../src/enrich/lookups.js';
import { PipelineSchema } from '../../src/pipeline/config.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { createPrivacyViews } from '../../src/sink/clickhouse/privacy-views.js';
import { DATABASE } from '../../src/sink/clickhouse/schema.js';
import { Store } from '../../src/sink/clickhouse/store.js';
import { resolveInputs } from '../../src/sources/inputs.js';
import { tempDir } from '../helpers/cli.js';
import { NEXT, SERVER_A, SERVER_B } from '../support/two-servers.js';
import {
  expandMacropro, expandSqlutil, interpolateVariables, type MacroContext, type VariableValues,
} from '../support/grafana-macros.js';
import { copyTemplateStore } from '../helpers/store-template.js';

const REGISTRY = join(import.meta.dirname, '..', '..', 'fixtures', 'registries', 'example.csv');
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0';
const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const CHROME_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';
const LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

const line = (site: string, ip: string, day: number, time: string, target: string, referrer: string, ua: string, status = 200) =>
  `${site}:443 ${ip} - - [${day}/May/2024:${time} +0000] "GET ${target} HTTP/1.1" ${status} 100 "${referrer}" "${ua}"`;
const www = (ip: string, day: number, time: string, target: string, referrer: string, ua: string, status = 200) =>
  line('www.example.com', ip, day, time, target, referrer, ua, status);

// Three visitors of Example Holdings (the registry's 198.51.100.0/24) on the 13th, two on the 14th: five over the
// two days, so the company passes the small-group rule (3); every other organisation has one visitor and is hidden.
const LOG = [
  www('198.51.100.7', 13, '10:00:00', '/', 'https://www.google.com/search?q=siftlog+pricing', FIREFOX),
  www('198.51.100.7', 13, '10:00:05', '/style.css', 'https://www.example.com/', FIREFOX),
  www('198.51.100.7', 13, '10:01:00', '/pricing', 'https://www.example.com/', FIREFOX),
  www('198.51.100.8', 13, '10:30:00', '/', '-', CHROME_MAC),
  www('198.51.100.8', 13, '10:31:00', '/docs', 'https://www.example.com/', CHROME_MAC),
  www('198.51.100.9', 13, '11:00:00', '/landing?utm_source=newsletter&utm_medium=email&utm_campaign=spring', '-', IPHONE),
  www('8.8.8.8', 13, '12:00:00', '/', 'https://l.facebook.com/', ANDROID),
  www('1.1.1.1', 13, '12:10:00', '/missing', '-', FIREFOX, 404),
  www('9.9.9.9', 13, '12:20:00', '/api/report', 'https://news.ycombinator.com/item?id=1', LINUX, 500),
  www('66.249.66.1', 13, '13:00:00', '/robots.txt', '-', GOOGLEBOT, 404),
  www('66.249.66.1', 13, '13:00:05', '/', '-', GOOGLEBOT),
  line('shop.example.com', '8.8.4.4', 13, '14:00:00', '/cart', '-', FIREFOX),
  www('198.51.100.7', 14, '09:00:00', '/pricing', '-', FIREFOX),
  www('198.51.100.20', 14, '09:30:00', '/docs', 'https://news.ycombinator.com/', CHROME_WIN),
  www('66.249.66.1', 14, '10:00:00', '/', '-', GOOGLEBOT),
].join('\n');

// 30 November and 1 December 2026 on www.example.com, the fixture of test/e2e/queries.test.ts (numbers worked out
// there, per day): two servers' logs with durations ($request_time), read together; then a run whose format logs
// none. People's visits: 1 (Google search "log analytics", / → /pricing → /welcome, 301 s, signs up), 2 (Hacker
// News, /blog/hello, a bounce, 0 s), 3 (a click in mailing "nov", /?utm_campaign=nov → /pricing, 182 s, signs up),
// 4 (/docs at 23:50 → /missing → /docs/install after midnight → signs up in the next run, 1800 s), and on the 1st
// visit 5 (/pricing, a bounce, 0 s). A crawler; three opens of "nov" by two recipients, one click.
const TWO_DAYS: MacroContext = { from: new Date('2024-05-13T00:00:00Z'), to: new Date('2024-05-14T23:59:59.999Z'), intervalMs: 86_400_000 };
const SECOND_DAY: MacroContext = { ...TWO_DAYS, from: new Date('2024-05-14T00:00:00Z') };
const WWW: VariableValues = { site: ['www.example.com'] };
const VISIT_DAYS: MacroContext = { from: new Date('2026-11-30T00:00:00Z'), to: new Date('2026-12-01T23:59:59.999Z'), intervalMs: 86_400_000 };
/** Both logs: every panel has rows to show. */
const EVERYTHING: MacroContext = { ...VISIT_DAYS, from: TWO_DAYS.from };

interface Result {
  meta: { name: string; type: string }[];
  data: unknown[][];
}

const dir = tempDir(t, 'siftlog-grafana-');
const store = await Store.open({ dir: copyTemplateStore(join(dir, 'store')) });
t.teardown(() => store.close());
await store.migrate();
await createPrivacyViews(store.client, 3);
{
  const logFile = join(dir, 'access.log');
  writeFileSync(logFile, `${LOG}\n`);
  const config = PipelineSchema.parse({ enrich: { registries: [REGISTRY] } });
  await ingest(await resolveInputs([logFile]), config, store, await openLookups(config.enrich));
  const files = { a: join(dir, 'a.log'), b: join(dir, 'b.log'), next: join(dir, 'next.log') };
  writeFileSync(files.a, `${SERVER_A.join('\n')}\n`);
  writeFileSync(files.b, `${SERVER_B.join('\n')}\n`);
  writeFileSync(files.next, `${NEXT.join('\n')}\n`);
  const visitConfig = (format: string) => PipelineSchema.parse({
    format, site: 'www.example.com', goals: [{ name: 'signup', path: '/signup', method: 'POST' }],
    email: { open: '/t/open.gif?c={campaign}&r={recipient}', click: '/t/click?c={campaign}&r={recipient}&u={url}' },
  });
  const now = () => Date.UTC(2026, 11, 1, 12);
  const timedConfig = visitConfig('combined_timed');
  await ingest(await resolveInputs([files.a, files.b]), timedConfig, store, await openLookups(timedConfig.enrich), { now });
  const plainConfig = visitConfig('combined');
  await ingest(await resolveInputs([files.next]), plainConfig, store, await openLookups(plainConfig.enrich), { now });
}

/** The SQL the server receives: variables replaced, then the macros; both plugin expanders must agree. */
function expand(sql: string, ctx: MacroContext, values: VariableValues): string {
  const withValues = interpolateVariables(sql, values);
  const bySqlutil = expandSqlutil(withValues, ctx);
  const byMacropro = expandMacropro(withValues, ctx);
  if (bySqlutil !== byMacropro) throw new Error(`the plugin's expanders disagree:\n${bySqlutil}\n---\n${byMacropro}`);
  return bySqlutil;
}

async function run(sql: string, ctx = TWO_DAYS, values = WWW): Promise<Result> {
  const result = await store.client.query({
    query: expand(sql, ctx, values), format: 'JSONCompact', clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
  });
  return result.json<unknown[]>() as unknown as Promise<Result>;
}

const panel = (dashboard: string, title: string): PanelSpec => {
  const found = DASHBOARDS.find((d) => d.title.endsWith(dashboard))?.panels.find((p) => p.title === title);
  if (found === undefined) throw new Error(`no panel ${dashboard} / ${title}`);
  return found;
};
const rows = async (dashboard: string, title: string, ctx = TWO_DAYS, values = WWW) => (await run(panel(dashboard, title).sql, ctx, values)).data;

const NUMERIC = /^(Nullable\()?(U?Int(8|16|32|64|128|256)|Float(32|64)|Decimal)/;
const TIME = /^(Nullable\()?(DateTime|Date)/;
const TEXT = /^(LowCardinality\()?(Nullable\()?String/;

t.test('every panel of every dashboard runs and returns rows with the columns its panel type needs', async (t) => {
  for (const dashboard of DASHBOARDS) {
    for (const spec of dashboard.panels) {
      t.test(`${dashboard.title} / ${spec.title}`, async (t) => {
        const { meta, data } = await run(spec.sql, EVERYTHING);
        const shape = spec.shape;
        t.same(meta.map((c) => c.name), expectedColumns(shape), 'columns');
        t.ok(data.length > 0, 'returns rows');
        const types = meta.map((c) => c.type);
        switch (shape.kind) {
          case 'stat':
            t.equal(data.length, 1, 'one row');
            t.match(types[0], NUMERIC, 'a number');
            t.not(data[0][0], null, 'not empty');
            break;
          case 'timeseries': {
            t.match(types[0], TIME, 'time first');
            for (const label of types.slice(1, 1 + shape.labels.length)) t.match(label, TEXT, 'labels are text');
            for (const value of types.slice(1 + shape.labels.length)) t.match(value, NUMERIC, 'values are numbers');
            const times = data.map((r) => String(r[0]));
            t.same(times, [...times].sort(), 'ascending time');
            break;
          }
          case 'bargauge':
          case 'piechart':
          case 'geomap':
            t.match(types[0], TEXT, 'a label');
            t.match(types[1], NUMERIC, 'a number');
            break;
          case 'table':
            break;
        }
      });
    }
  }
});

t.test('the site variable lists the sites of the hourly trend table', async (t) => {
  t.same((await run(SITE_VARIABLE_SQL)).data, [['shop.example.com'], ['www.example.com']]);
});

t.test('Overview numbers are the fixture\'s, counted by hand; the site and the time range filter them', async (t) => {
  const stat = async (title: string, ctx = TWO_DAYS, values = WWW) => (await rows('Overview', title, ctx, values))[0][0];
  t.equal(await stat('Visitors'), 8, 'six people on the 13th, two on the 14th (ids change every day)');
  t.equal(await stat('Visits'), 8);
  t.equal(await stat('Pageviews'), 8, 'pages answered 2xx, people only: no asset, no 404, no 500, no bot');
  t.equal(await stat('Views per visit'), 1.33, '8 pageviews over the 6 visits that viewed a page (the 404 and the 500 visits viewed none)');
  t.equal(await stat('Bot share'), 3 / 14);
  t.equal(await stat('Visits', SECOND_DAY), 2, '$__timeFilter(hour) keeps the 14th only');
  t.equal(await stat('Visitors', TWO_DAYS, { site: ['shop.example.com'] }), 1, 'the site variable picks the rows');
  t.equal(await stat('Visitors', TWO_DAYS, { site: ['shop.example.com', 'www.example.com'] }), 9);
  t.same(await rows('Overview', 'Top pages'), [['/', 3], ['/docs', 2], ['/pricing', 2], ['/landing', 1]]);
  t.same(await rows('Overview', 'Top pages', SECOND_DAY), [['/docs', 1], ['/pricing', 1]], '$__dateFilter(day) keeps the 14th only');
  t.same(await rows('Overview', 'Channels'), [['direct', 4], ['social', 3], ['search', 1]], 'Hacker News counts as social');
  t.same(await rows('Overview', 'Visitors, visits and pageviews'), [
    ['2024-05-13 00:00:00', 6, 6, 6], ['2024-05-14 00:00:00', 2, 2, 2],
  ], 'one bucket per day at a one-day interval');
});

t.test('Errors & performance counts status classes and failing paths', async (t) => {
  t.same(await rows('Errors & performance', 'Status classes'), [['2024-05-13 00:00:00', 8, 2, 1], ['2024-05-14 00:00:00', 3, 0, 0]]);
  t.same(await rows('Errors & performance', 'Failing paths'), [['/api/report', 1, 1, 1], ['/missing', 1, 1, 1], ['/robots.txt', 1, 1, 1]]);
  t.equal((await rows('Errors & performance', 'Client errors (4xx)'))[0][0], 2 / 14);
});

t.test('Acquisition: sources, keywords and campaigns of the visits\' first requests', async (t) => {
  t.same(await rows('Acquisition', 'Search engines and social networks'), [
    ['social', 'Hacker News', 2, 2], ['social', 'Facebook', 1, 1], ['search', 'Google', 1, 1],
  ]);
  t.same(await rows('Acquisition', 'Search keywords'), [['siftlog pricing', 'Google', 1, 1]]);
  t.same(await rows('Acquisition', 'Campaigns'), [['spring', 'newsletter', 'email', 1, 1, 1]]);
  t.same(await rows('Acquisition', 'Referring sites'), [['news.ycombinator.com', 2], ['l.facebook.com', 1], ['www.google.com', 1]]);
});

t.test('Audience shows an organisation only when 3 or more visitors came from it in the range', async (t) => {
  t.same(await rows('Audience', 'Visitors by country'), [['US', 2], ['AU', 1]], 'the map gets ISO codes only: no blank country');
  t.same(await rows('Audience', 'Organisations'), [['Example Holdings', 'business', 'example-holdings.com', 5, 5, 7]]);
  t.same(await rows('Audience', 'Organisation categories'), [['business', 5]]);
  t.same(await rows('Audience', 'Organisations', SECOND_DAY), [], 'two visitors on the 14th alone: hidden');
});

t.test('Technology: people by device, bots apart', async (t) => {
  t.same(await rows('Technology', 'Bots'), [['Googlebot', 3]]);
  t.same(await rows('Technology', 'Device types'), [['desktop', 6], ['mobile', 2]]);
});

t.test('no dashboard reads requests or the company table below the small-group rule', async (t) => {
  const tables = new Set<string>();
  const sqls = [SITE_VARIABLE_SQL, ...DASHBOARDS.flatMap((d) => d.panels.map((p) => p.sql))];
  for (const sql of sqls) for (const m of sql.matchAll(/\bsiftlog\.(\w+)/g)) tables.add(m[1]);
  t.same([...tables].sort(), [
    'campaigns_daily', 'clients_daily', 'companies_between', 'email_daily', 'geo_daily', 'goals_daily', 'pages_daily',
    'responses_hourly', 'sources_daily', 'traffic_hourly',
  ]);
  for (const sql of sqls) t.notMatch(sql, /\b(requests|companies_daily_state|networks_\w+)\b/, 'only trend tables and privacy views');
  t.equal(DB, DATABASE, 'the dashboards query the database the schema creates');
});

t.test('Overview: visits, bounce rate and visit durations of people\'s visits, by the day they started', async (t) => {
  const stat = async (title: string) => (await rows('Overview', title, VISIT_DAYS))[0][0];
  t.equal(await stat('Visitors'), 6, 'four on the 30th, two on the 1st (visit 4\'s visitor again, with that day\'s id, and visit 5\'s)');
  t.equal(await stat('Visits'), 5);
  t.equal(await stat('Pageviews'), 9, '7 on the 30th, /docs/install and /pricing on the 1st');
  t.equal(await stat('Views per visit'), 1.8, '9 pageviews over 5 visits with a page');
  t.equal(await stat('Bounce rate'), 0.4, 'visits 2 and 5 of 5');
  t.equal(await stat('Visit duration (median)'), 182, 'of 0, 0, 182, 301, 1800: the value at index ⌊0.5 · 5⌋');
  t.equal(await stat('Visit duration (mean)'), 456.6, '2283 s over 5 visits');
  t.equal(await stat('Bot requests'), 5, 'the crawler\'s two and the image proxy\'s three pixel fetches');
});

t.test('Content: entry and exit pages of people\'s visits, with bounces', async (t) => {
  t.same(await rows('Content', 'Exit pages', VISIT_DAYS), [['/pricing', 2], ['/blog/hello', 1], ['/docs/install', 1], ['/welcome', 1]],
    'visit 4 leaves at /docs/install; visits 3 and 5 at /pricing');
  t.same(await rows('Content', 'Entry pages', VISIT_DAYS), [['/', 2], ['/blog/hello', 1], ['/docs', 1], ['/pricing', 1]]);
  t.same(await rows('Content', 'Entry pages and bounces', VISIT_DAYS), [
    ['/', 2, 0, 0], ['/blog/hello', 1, 1, 1], ['/docs', 1, 0, 0], ['/pricing', 1, 1, 1],
  ]);
});

t.test('Acquisition: goal conversions by the visit\'s first touch, and e-mail opens and clicks', async (t) => {
  t.same(await rows('Acquisition', 'Goal conversions by entry page', VISIT_DAYS), [
    ['signup', '/', 2, 2, 1], ['signup', '/docs', 1, 1, 1], ['signup', '/blog/hello', 0, 1, 0],
  ], 'no goal was reached by a visit of the 1st, so that day has no goal rows');
  t.same(await rows('Acquisition', 'Goal conversions by source', VISIT_DAYS), [
    ['signup', 'direct', 2, 2, 1], ['signup', 'Google', 1, 1, 1], ['signup', 'Hacker News', 0, 1, 0],
  ], 'the campaign visit came without a referrer: direct');
  t.same(await rows('Acquisition', 'Goal conversions by campaign', VISIT_DAYS), [
    ['signup', '(none)', 2, 3, 2 / 3], ['signup', 'nov', 1, 1, 1],
  ]);
  t.same(await rows('Acquisition', 'E-mail opens and clicks', VISIT_DAYS), [['nov', 3, 2, 1, 1]], 'r-111 opened twice');
  t.same(await rows('Acquisition', 'E-mail clicks by link', VISIT_DAYS), [['nov', 'https://www.example.com/', 1, 1]]);
});

t.test('Errors & performance: response-time quantiles where the format logs a duration, slowest and failing paths', async (t) => {
  // Timed requests of the 30th, every client: 1 1 1 2 5 10 15 18 20 25 30 35 40 120 150 2500 ms (16); quantileTiming's
  // level q is the sorted value at index ⌊q · 16⌋: 8 → 20, 14 → 150, 15 → 2500. The 1st: /docs/install's 45 ms only.
  t.same(await rows('Errors & performance', 'Response time', VISIT_DAYS), [
    ['2026-11-30 00:00:00', 20, 150, 2500], ['2026-12-01 00:00:00', 45, 45, 45],
  ]);
  t.same((await rows('Errors & performance', 'Slowest paths', VISIT_DAYS)).slice(0, 3), [
    ['/pricing', 35, 2500, 2500, 3, 4], ['/signup', 150, 150, 150, 2, 3], ['/docs/install', 45, 45, 45, 1, 1],
  ], 'the next run\'s requests count, untimed');
  t.same(await rows('Errors & performance', 'Status classes by path', VISIT_DAYS), [['/pricing', 3, 0, 0, 1], ['/missing', 0, 0, 1, 0]]);
  t.same(await rows('Errors & performance', 'Response time', SECOND_DAY), [], 'May 2024\'s format logs no duration: no point');
});
