import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { ReferrerClassifier } from '../../src/enrich/referrer.js';
import { defaultConfig, type PipelineConfig } from '../../src/pipeline/config.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { nativeInserts } from '../../src/sink/clickhouse/encoder.js';
import { DATABASE } from '../../src/sink/clickhouse/schema.js';
import { Store } from '../../src/sink/clickhouse/store.js';
import { VISIT_COLUMNS, VISIT_STATE_COLUMNS } from '../../src/sink/clickhouse/visit-columns.js';
import { resolveInputs } from '../../src/sources/inputs.js';
import { tempDir } from '../helpers/cli.js';
import { CHROME_UA, line, lineTime, SAFARI_UA } from '../support/visit-pipeline.js';
import { copyTemplateStore } from '../helpers/store-template.js';

// Visit rows go to the embedded engine as Native blocks built from the column table (visit-columns.ts), and
// as JSONEachRow rows to a server (and with SIFTLOG_ROW_FORMAT=TabSeparated). The same log loaded both ways
// into one store (its salts, hence its visitor ids, stay the same) must give the same `visits` and
// `visit_state` byte for byte, and the rows worked out by hand below.

const NO_LOOKUPS = { geo: null, company: null, referrers: new ReferrerClassifier(), campaigns: true };
// Both days' salts are still kept (salt_window_days 2): the run again draws the same visitor ids.
const NOW = () => Date.UTC(2026, 11, 1, 23, 59);
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const at = (day: number, minute: number) => {
  const date = new Date(Date.UTC(2026, 10, day, 0, minute));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${date.getUTCMonth() === 10 ? 'Nov' : 'Dec'}/2026:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:00`;
};

/** A visit-heavy log: 60 visitors over two days (30 November and 1 December), every one with its own mix of pages, goals, referrers and campaigns. */
function visitLog(): string[] {
  const lines: string[] = [];
  for (let v = 0; v < 60; v++) {
    const client = `203.0.${113 + (v % 3)}.${10 + v}`;
    const agent = v % 7 === 0 ? SAFARI_UA : v % 11 === 0 ? GOOGLEBOT : CHROME_UA;
    const day = 30 + (v % 2);
    const start = (v * 23) % 1300;
    const referrer = v % 4 === 0 ? `https://www.google.com/search?q=log+${v % 3}` : v % 4 === 1 ? 'https://news.example.org/item' : '-';
    const campaign = v % 5 === 0 ? `?utm_source=mail&utm_medium=email&utm_campaign=winter${v % 2}&utm_term=t${v % 3}&utm_content=c` : '';
    const pages = [`/${campaign}`, '/pricing', '/signup', '/welcome', '/docs/Zürich', '/about'].slice(0, 1 + (v % 6));
    if (v % 9 === 0) pages.reverse();
    for (const [i, page] of pages.entries()) lines.push(line(client, at(day, start + i * 3), `GET ${page}`, 200, i === 0 ? referrer : '-', agent));
    // A second visit after the timeout for every third visitor; an asset request in it.
    if (v % 3 === 0) {
      lines.push(line(client, at(day, start + 90), 'GET /welcome', 200, '-', agent));
      lines.push(line(client, at(day, start + 91), 'GET /app.css', 200, '-', agent));
    }
  }
  // Still open when the run ends: provisional rows, and the state the next run resumes from.
  lines.push(line('198.51.100.20', at(31, 1435), 'GET /signup', 200, '-', SAFARI_UA));
  lines.push(line('198.51.100.20', at(31, 1438), 'GET /welcome', 200, '-', SAFARI_UA));
  return lines.sort((a, b) => lineTime(a) - lineTime(b));
}

function config(): PipelineConfig {
  const c = defaultConfig();
  c.format = 'combined';
  c.goals = [{ name: 'signup', path: '/signup' }, { name: 'welcome', path: '/welcome' }, { name: 'docs', path: '/docs/*' }];
  return c;
}

t.test('visit rows staged as Native blocks equal the JSONEachRow ones byte for byte, and the rows worked out by hand', async (t) => {
  const dir = tempDir(t);
  const log = join(dir, 'access.log');
  writeFileSync(log, `${visitLog().join('\n')}\n`);
  const store = await Store.open({ dir: copyTemplateStore(join(dir, 'store')) });
  t.teardown(() => store.close());
  await store.migrate();
  const text = async (query: string) => (await store.client.query({ query, format: 'TabSeparated' })).text();
  const select = async (query: string) => (await store.client.query({ query, format: 'JSONEachRow' })).json<Record<string, unknown>>();

  const live = async (table: string) => (await select(`SELECT name, type FROM system.columns WHERE database = '${DATABASE}' AND table = '${table}'
      ORDER BY position`)).map((c) => `${c.name} ${c.type}`);
  t.strictSame(VISIT_COLUMNS.map((c) => `${c.name} ${c.type}`), await live('visits'), 'the visits column table is the migrated table, in order');
  t.strictSame(VISIT_STATE_COLUMNS.map((c) => `${c.name} ${c.type}`), await live('visit_state'), 'the visit_state column table is the migrated table');

  const tables = () => Promise.all([
    text(`SELECT * EXCEPT (run_id) FROM ${DATABASE}.visits ORDER BY site, start, visitor_id`),
    text(`SELECT * EXCEPT (run_id) FROM ${DATABASE}.visit_state ORDER BY day`),
  ]);
  // Which tables took encoded batches (the Native path), watched on the real store.
  const encoded: string[] = [];
  const insertEncoded = store.insertEncoded.bind(store);
  store.insertEncoded = (table, columns, format, body) => {
    encoded.push(`${table.replace(/^.*\./, '').replace(/__\w+$/, '')} ${format}`);
    return insertEncoded(table, columns, format, body);
  };
  const load = async (native: boolean) => {
    encoded.length = 0;
    const env = native ? {} : { SIFTLOG_ROW_FORMAT: 'TabSeparated' };
    t.equal(nativeInserts(store.mode, env), native);
    const saved = process.env.SIFTLOG_ROW_FORMAT;
    if (native) delete process.env.SIFTLOG_ROW_FORMAT;
    else process.env.SIFTLOG_ROW_FORMAT = 'TabSeparated';
    try {
      return await ingest(await resolveInputs([log]), config(), store, NO_LOOKUPS, { now: NOW, force: true });
    } finally {
      if (saved === undefined) delete process.env.SIFTLOG_ROW_FORMAT;
      else process.env.SIFTLOG_ROW_FORMAT = saved;
    }
  };

  const asJson = await load(false);
  t.strictSame([...new Set(encoded)].filter((e) => e.includes('visit')), [], 'SIFTLOG_ROW_FORMAT=TabSeparated: visit rows as JSONEachRow');
  const [visitsJson, stateJson] = await tables();
  const asNative = await load(true);
  t.strictSame([...new Set(encoded)].filter((e) => e.includes('visit')), ['visits_run Native', 'visit_state_run Native'], 'visit rows as Native blocks');
  const [visitsNative, stateNative] = await tables();
  t.same(asNative.visits, asJson.visits);
  t.same(asNative.visits, { visits: 80, provisional: 1, lateHits: 0, lateVisits: 0, forcedReleases: 0 });
  t.equal(visitsNative.split('\n').length - 1, 81, 'one row per visit: 60 first visits, 20 second ones, one still open');
  t.equal(visitsNative, visitsJson, 'visits: the same bytes either way');
  t.equal(stateNative, stateJson, 'visit_state: the same bytes either way');

  // By hand (see visitLog): visitor 0 (Safari, from Google, campaign winter0) and its second visit; visitors 4, 6
  // and 8 (Chrome); visitor 9, its pages in reverse, the goals in the order reached.
  const row = (where: string) => select(`SELECT toString(start) AS start, toString(end) AS end, duration, pageviews, hits, entry_page, exit_page,
      bounce, referrer_class, referrer_source, referrer_host, search_keyword, utm_source, utm_medium, utm_campaign, utm_term, utm_content,
      browser, device_type, is_bot, is_person, goals, late_hits, is_open FROM ${DATABASE}.visits WHERE ${where} ORDER BY start`);
  const brief = (v: Record<string, unknown>) => [v.start, v.end, v.duration, v.pageviews, v.hits, v.entry_page, v.exit_page, v.bounce, v.goals, v.is_open];
  t.strictSame(await row("start < '2026-11-30 01:32:00' AND browser = 'Safari'"), [
    {
      start: '2026-11-30 00:00:00', end: '2026-11-30 00:00:00', duration: 0, pageviews: 1, hits: 1, entry_page: '/', exit_page: '/', bounce: 1,
      referrer_class: 'search', referrer_source: 'Google', referrer_host: 'www.google.com', search_keyword: 'log 0', utm_source: 'mail',
      utm_medium: 'email', utm_campaign: 'winter0', utm_term: 't0', utm_content: 'c', browser: 'Safari', device_type: 'mobile', is_bot: 0,
      is_person: 1, goals: [], late_hits: 0, is_open: 0,
    },
    {
      start: '2026-11-30 01:30:00', end: '2026-11-30 01:31:00', duration: 60, pageviews: 1, hits: 2, entry_page: '/welcome', exit_page: '/welcome',
      bounce: 1, referrer_class: 'direct', referrer_source: '', referrer_host: '', search_keyword: '', utm_source: '', utm_medium: '',
      utm_campaign: '', utm_term: '', utm_content: '', browser: 'Safari', device_type: 'mobile', is_bot: 0, is_person: 1, goals: ['welcome'],
      late_hits: 0, is_open: 0,
    },
  ], 'visitor 0: a bounce from Google with a campaign, then a visit of a page and an asset');
  t.strictSame((await row("start >= '2026-11-30 01:32:00' AND start < '2026-11-30 03:20:00' AND browser = 'Chrome'")).map(brief), [
    ['2026-11-30 01:32:00', '2026-11-30 01:44:00', 720, 5, 5, '/', '/docs/Zürich', 0, ['signup', 'welcome', 'docs'], 0],
    ['2026-11-30 02:18:00', '2026-11-30 02:18:00', 0, 1, 1, '/', '/', 1, [], 0],
    ['2026-11-30 03:04:00', '2026-11-30 03:10:00', 360, 3, 3, '/', '/signup', 0, ['signup'], 0],
  ], 'visitors 4, 6 and 8');
  const nine = await row("start = '2026-12-01 03:27:00'");
  t.strictSame(nine.map(brief), [['2026-12-01 03:27:00', '2026-12-01 03:36:00', 540, 4, 4, '/welcome', '/', 0, ['welcome', 'signup'], 0]]);
  t.equal(nine[0].referrer_host, 'news.example.org');
  t.strictSame((await row('is_open = 1')).map(brief), [
    ['2026-12-01 23:55:00', '2026-12-01 23:58:00', 180, 2, 2, '/signup', '/welcome', 0, ['signup', 'welcome'], 1],
  ], 'the visit open at the end of the run: a provisional row');
  const lastOfNovember = Math.max(...visitLog().map(lineTime).filter((time) => time < Date.UTC(2026, 11, 1)));
  t.strictSame(await select(`SELECT day, released_up_to FROM ${DATABASE}.visit_state ORDER BY day`), [
    { day: '', released_up_to: Date.UTC(2026, 11, 1, 23, 58) },
    { day: '2026-12-01', released_up_to: lastOfNovember },
  ], 'the state the run ended with (every request released), and the one 1 December started with');
  const orphans = await select(`SELECT count() AS n FROM ${DATABASE}.visits v LEFT ANTI JOIN
      (SELECT site, ts, visitor_id FROM ${DATABASE}.requests WHERE is_entry = 1) r ON v.site = r.site AND v.start = r.ts AND v.visitor_id = r.visitor_id`);
  t.strictSame(orphans, [{ n: 0 }], 'every visit carries the visitor id of its entry request');
});

t.test('visit rows the engine refuses in a Native block name the input lines whose requests closed them', async (t) => {
  const dir = tempDir(t);
  const log = join(dir, 'many.log');
  // 24,000 clients 5 seconds apart, one page each: each a visit, closed 30 minutes later, so that more than
  // a batch of visit rows (20,000) is staged while lines are still being read.
  const lines: string[] = [];
  for (let i = 0; i < 24_000; i++) {
    const when = new Date(Date.UTC(2026, 10, 30, 12, 0, i * 5));
    const day = when.getUTCDate() === 30 ? '30/Nov/2026' : '01/Dec/2026';
    lines.push(line(`${10 + (i >> 8)}.51.100.${i & 0xff}`, `${day}:${when.toISOString().slice(11, 19)}`, `GET /p${i}`, 200, '-', CHROME_UA));
  }
  writeFileSync(log, `${lines.join('\n')}\n`);
  const store = await Store.open({ dir: copyTemplateStore(join(dir, 'store')) });
  t.teardown(() => store.close());
  await store.migrate();
  // The staging copy of `visits` takes the table's constraints: the engine refuses a block with any visit of page /p5.
  await store.client.command({ query: `ALTER TABLE ${DATABASE}.visits ADD CONSTRAINT no_p5 CHECK entry_page != '/p5'` });
  const run = ingest(await resolveInputs([log]), config(), store, NO_LOOKUPS, { now: NOW });
  await t.rejects(run, { message: /^nothing of this run was published: could not stage the rows of \S*many\.log lines \d+–\d+: Constraint `no_p5`/ });
  t.strictSame(await (await store.client.query({ query: `SELECT count() AS n FROM ${DATABASE}.visits`, format: 'JSONEachRow' })).json(), [{ n: 0 }]);
});
