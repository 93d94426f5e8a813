import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createClient } from '@clickhouse/client';
import { drainPending } from 'chdb';
import { createChdbConnection } from 'chdb/connection';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runReport } from '../../src/cli/report-command.js';
import { buildReport, ReportError } from '../../src/report/build.js';
import { change, formatValue } from '../../src/report/format.js';
import { renderHtml } from '../../src/report/html/page.js';
import type { Block, RankingBlock, Report, SeriesBlock } from '../../src/report/model.js';
import { renderText, TEXT_WIDTH } from '../../src/report/text.js';
import { Store } from '../../src/sink/clickhouse/store.js';
import { siftlogInProcess } from '../helpers/cli.js';
import { WEEK, WEEK_BEFORE } from '../support/report-log.js';
import { days, ENTRIES, n, or, PAGEVIEWS, reportQuestions, VISITORS } from '../support/report-questions.js';
import { loadReportStore } from '../support/report-store.js';

/**
 * Every number of the report — its data, its text and its HTML tables — against the same questions asked
 * in plain SQL of the same store: each period on its own, the way a user would ask through `siftlog sql`.
 */
const dir = mkdtempSync(join(tmpdir(), 'siftlog-report-'));
let store: Store;
let asked: ReturnType<typeof reportQuestions>;
t.before(async () => {
  store = await loadReportStore(dir);
  asked = reportQuestions(store.client);
});
const ask = (query: string) => asked.ask(query);
t.teardown(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const blocksOf = (report: Report) => report.sections.flatMap((s) => (s.status === 'ok' ? s.blocks : []));

t.test('every number of the report is the answer of its own SQL question', async (t) => {
  const report = await buildReport(store.client, { period: `${WEEK.from}..${WEEK.to}` });
  const expected = await asked.expectAllSites();
  t.same(blocksOf(report).map((b) => b.id), expected.map((b) => b.id), 'the report has exactly the blocks this test asks about');
  for (const block of expected) t.same(blocksOf(report).find((b) => b.id === block.id), block, block.id);
  t.same([report.period, report.previous], [{ ...WEEK, days: 7 }, { ...WEEK_BEFORE, days: 7 }]);
  t.same([report.sites, report.dataFrom, report.dataTo], [['docs.example.com', 'www.example.com'], '2015-05-04', '2015-05-17']);

  // The fixture is meant to exercise these: lists longer than 10, growth, and companies the rule hides.
  const top = expected.find((b) => b.id === 'pages-top') as RankingBlock;
  t.ok(top.more > 0 && top.rows.length === 10, 'a list with more than 10 rows');
  const [{ hidden }] = await ask(`SELECT count() AS hidden FROM (SELECT org, uniqCombinedMerge(visitors) AS v FROM siftlog.companies_daily_state
    WHERE ${days('day', WEEK)} GROUP BY site, org_category, org, asn, org_domain HAVING v < 3)`);
  t.ok(n(hidden) > 0, 'some companies have fewer than 3 visitors in the period');
  const shown = (expected.find((b) => b.id === 'companies-top') as RankingBlock).rows;
  t.ok(shown.length > 0 && shown.every((r) => r.values[0].current >= 3), 'every company shown has at least 3 visitors');
  // And these: visits, goals, e-mail and response times have numbers in both periods, so every section is drawn.
  for (const id of ['pages-exit', 'goals-top', 'goals-entry', 'goals-source', 'goals-campaign', 'email-campaigns', 'email-links',
    'performance-slowest', 'performance-classes']) {
    const block = expected.find((b) => b.id === id) as RankingBlock;
    t.ok(block.rows.length > 0 && block.rows.some((r) => r.values[0].previous !== null && r.values[0].previous > 0), `${id} has rows in both periods`);
  }
  for (const id of ['visits-totals', 'performance-totals']) {
    const block = expected.find((b) => b.id === id);
    t.ok(block?.kind === 'totals' && block.values.every((v) => v.current > 0 && v.previous !== null && v.previous > 0), `${id}: every number known`);
  }

  t.test('the text shows the same numbers, within 100 columns', async (t) => {
    const text = renderText(report);
    const lines = text.split('\n');
    t.same(lines.filter((l) => [...l].length > TEXT_WIDTH), [], 'no line is wider than 100 columns');
    t.equal(lines[0], 'siftlog report: all sites (2), 2015-05-11..2015-05-17 (7 days)');
    t.equal(lines[1], 'compared with 2015-05-04..2015-05-10; data from 2015-05-04 to 2015-05-17');
    for (const block of expected) checkText(t, lines, block);
  });

  t.test('the HTML page carries the same numbers, in its data and in its tables', async (t) => {
    const html = renderHtml(report);
    const data = /<script type="application\/json" id="siftlog-data">(.*?)<\/script>/s.exec(html);
    t.ok(data, 'the data is inlined');
    t.same(JSON.parse(data?.[1] ?? 'null'), JSON.parse(JSON.stringify(report)), 'the inlined data is the report');
    for (const block of expected) checkHtml(t, html, block);
    t.notOk(/<script>alert/.test(html), 'a path that is markup is shown as text');
    t.ok(html.includes('/search/&lt;script&gt;alert(1)&lt;/script&gt;'), 'escaped, in the failing paths');
    t.notOk(/(src|href)="(https?:)?\/\//.test(html), 'nothing loads from the network');
  });
});

/** Finds the block's lines in the text and reads its numbers back. */
function checkText(t: Test, lines: string[], block: Block): void {
  const cells = (line: string) => line.trim().split(/\s{2,}/);
  if (block.kind === 'totals') {
    for (const [i, m] of block.measures.entries()) {
      const v = block.values[i];
      const line = lines.find((l) => l.startsWith(`  ${m.label}  `));
      t.same(line && cells(line), [m.label, formatValue(v.current, m.format), formatValue(v.previous, m.format), change(v, m.format).text], `${block.id}: ${m.label}`);
    }
  } else if (block.kind === 'map') {
    // The map is the HTML page's; the text lists the countries in its top 10.
  } else if (block.kind === 'series') {
    for (const [i, m] of block.measures.entries()) {
      const values = block.points.map((p) => p.values[i].current);
      const peak = Math.max(...values);
      const line = lines.find((l) => l.startsWith(`  ${m.label.padEnd(9)}  `) && l.includes('peak'));
      t.match(line, `peak ${formatValue(peak, m.format)} (${block.points[values.indexOf(peak)].at})`, `${block.id}: ${m.label}`);
    }
  } else {
    const f = (i: number) => block.measures[i].format;
    const start = lines.indexOf(`  ${block.title}, by ${block.measures[0].label}`);
    t.ok(start >= 0, `${block.id} has its heading`);
    const rows = lines.slice(start + 2, start + 2 + block.rows.length).map((l) => {
      const m = /^\s+(\d+) (.*)$/.exec(l);
      const parts = cells(m?.[2] ?? '');
      return { rank: Number(m?.[1]), numbers: parts.slice(-(block.measures.length + 2)) };
    });
    t.same(rows, block.rows.map((r, i) => ({
      rank: i + 1,
      numbers: [formatValue(r.values[0].current, f(0)), formatValue(r.values[0].previous, f(0)), change(r.values[0], f(0)).text,
        ...r.values.slice(1).map((v, j) => formatValue(v.current, f(j + 1)))],
    })), `${block.id}: every row's numbers`);
    for (const [i, r] of block.rows.entries()) {
      // Labels are cut to the room the numbers leave (fit()): the start of a long one is there.
      const label = r.label.length > 18 ? r.label.slice(0, 12) : r.label;
      t.ok(lines[start + 2 + i].includes(label), `${block.id}: row ${i + 1} is ${r.label}`);
    }
    if (block.more > 0) t.equal(lines[start + 2 + block.rows.length], `    … and ${block.more} more`, `${block.id}: how many more`);
  }
}

const unescapeHtml = (s: string) => s.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
  .replace(/&#39;/g, "'").replace(/&amp;/g, '&').trim();

/** Finds the block's element by its id and reads its table (or its cards) back. */
function checkHtml(t: Test, html: string, block: Block): void {
  const at = html.indexOf(` id="${block.id}"`);
  t.ok(at > 0, `${block.id} is on the page`);
  const part = html.slice(at, html.indexOf('</table>', at) > 0 ? html.indexOf('</table>', at) : html.indexOf('</dl>', at));
  if (block.kind === 'totals') {
    const cards = [...html.slice(at, html.indexOf('</dl>', at)).matchAll(/<dt>(.*?)<\/dt><dd><span class="value">(.*?)<\/span>.*?<span class="was">previous: (.*?)<\/span>/gs)];
    t.same(cards.map((c) => [unescapeHtml(c[1]), unescapeHtml(c[2]), unescapeHtml(c[3])]),
      block.measures.map((m, i) => [m.label, formatValue(block.values[i].current, m.format), formatValue(block.values[i].previous, m.format)]), block.id);
    return;
  }
  const body = /<tbody>(.*?)<\/tbody>/s.exec(part)?.[1] ?? '';
  const rows = [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((r) => [...r[1].matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map((c) => unescapeHtml(c[1])));
  if (block.kind === 'map') {
    t.same(rows, block.countries.map((c) => [c.label, formatValue(c.value.current, 'count'), formatValue(c.value.previous, 'count'),
      change(c.value, 'count').text]), block.id);
  } else if (block.kind === 'series') {
    t.same(rows, block.points.map((p) => [p.at, ...p.values.flatMap((v) => [formatValue(v.current, 'count'), formatValue(v.previous, 'count')])]), block.id);
  } else {
    const f = (i: number) => block.measures[i].format;
    t.same(rows, block.rows.map((r, i) => [String(i + 1), r.label, formatValue(r.values[0].current, f(0)), formatValue(r.values[0].previous, f(0)),
      change(r.values[0], f(0)).text, ...r.values.slice(1).map((v, j) => formatValue(v.current, f(j + 1)))]), block.id);
  }
}

t.test('one site: the same questions asked of that site alone', async (t) => {
  const report = await buildReport(store.client, { site: 'docs.example.com', period: `${WEEK.from}..${WEEK.to}` });
  t.equal(report.site, 'docs.example.com');
  t.same(blocksOf(report).find((b) => b.id === 'traffic-totals'), await asked.expectTotals('docs.example.com'));
  t.same(blocksOf(report).find((b) => b.id === 'traffic-series'), await asked.expectSeries('docs.example.com'));
  t.same(blocksOf(report).find((b) => b.id === 'pages-top'), await asked.expectTop({ id: 'pages-top', title: 'Top pages', keyLabel: 'page',
    table: 'pages_daily', keys: ['path'], measures: [PAGEVIEWS, VISITORS, ENTRIES], label: or(''), site: 'docs.example.com' }));
  t.notOk(blocksOf(report).some((b) => b.id === 'traffic-sites'), 'no list of sites for one site');
  t.ok(renderText(report).startsWith('siftlog report: docs.example.com, 2015-05-11..2015-05-17 (7 days)\n'));
});

t.test('a one-day period is drawn by the hour, each hour against the same hour the day before', async (t) => {
  const report = await buildReport(store.client, { period: '2015-05-17' });
  const series = blocksOf(report).find((b) => b.id === 'traffic-series') as SeriesBlock;
  t.equal(series.unit, 'hour');
  t.equal(series.points.length, 24);
  const rows = await ask(`SELECT formatDateTime(hour, '%Y-%m-%d %H:00') AS at, uniqCombinedMerge(visitors) AS visitors, sum(visits) AS visits,
    sum(pageviews) AS pageviews FROM siftlog.traffic_hourly WHERE toDate(hour) IN ('2015-05-16', '2015-05-17') GROUP BY at`);
  const value = (at: string, m: string) => n(rows.find((r) => r.at === at)?.[m] ?? 0);
  t.same(series.points, Array.from({ length: 24 }, (_, h) => {
    const hh = String(h).padStart(2, '0');
    const [at, previousAt] = [`2015-05-17 ${hh}:00`, `2015-05-16 ${hh}:00`];
    return { at, previousAt, values: ['visitors', 'visits', 'pageviews'].map((m) => ({ current: value(at, m), previous: value(previousAt, m) })) };
  }));
  t.ok(series.points.some((p) => p.values[0].current > 0), 'the day has traffic');
});

t.test('--last counts back from the newest day with data', async (t) => {
  const report = await buildReport(store.client, { last: '7d' });
  t.same([report.period, report.previous, report.periodDescription], [{ ...WEEK, days: 7 }, { ...WEEK_BEFORE, days: 7 }, 'last 7 days']);
  const month = await buildReport(store.client, { last: '2w' });
  t.same(month.period, { from: WEEK_BEFORE.from, to: WEEK.to, days: 14 });
});

t.test('a read-only role can make the report: it reads trend tables and privacy views, never requests', async (t) => {
  // A second client on the same engine whose every query carries readonly=1, as a read-only ClickHouse user's would.
  type EmbeddedConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;
  const connection = createChdbConnection({ path: join(dir, 'store', 'clickhouse') }) as unknown as EmbeddedConnection;
  const readOnly = createClient({ connection, clickhouse_settings: { readonly: '1' } });
  t.teardown(() => readOnly.close());
  await t.rejects(readOnly.command({ query: 'CREATE TABLE siftlog.written (x UInt8) ENGINE = Memory' }), /readonly/i, 'the role cannot write');
  const before = await buildReport(store.client, { period: `${WEEK.from}..${WEEK.to}` });
  // Nor does it need the rows: with `requests` out of the way the report is the same.
  await store.client.command({ query: 'RENAME TABLE siftlog.requests TO siftlog.requests_away' });
  t.teardown(() => store.client.command({ query: 'RENAME TABLE siftlog.requests_away TO siftlog.requests' }));
  const report = await buildReport(readOnly, { period: `${WEEK.from}..${WEEK.to}` });
  t.same(report.sections, before.sections);
});

t.test('a section whose table the store lacks is one line, not a failure', async (t) => {
  // A table no siftlog has made (the visit tables exist since schema 6).
  const outlinks = { id: 'outlinks', title: 'Outlinks', reads: ['outlinks_daily'], load: async () => [] };
  const report = await buildReport(store.client, { period: `${WEEK.from}..${WEEK.to}`, sections: [outlinks] });
  t.same(report.sections, [{ id: 'outlinks', title: 'Outlinks', status: 'missing', missing: ['outlinks_daily'] }]);
  t.match(renderText(report), /\n\nOUTLINKS: not in this store yet \(it has no siftlog\.outlinks_daily\)\n$/);
  t.match(renderHtml(report), '<p class="missing">Not in this store yet: it has no <code>siftlog.outlinks_daily</code>.</p>');
});

t.test('mistakes in what was asked are named', async (t) => {
  await t.rejects(buildReport(store.client, { site: 'shop.example.com' }),
    new ReportError('no traffic for site "shop.example.com" (sites in the store: docs.example.com, www.example.com)'));
  await t.rejects(buildReport(store.client, { period: '2015-05-17..2015-05-11' }), new ReportError('the period 2015-05-17..2015-05-11 ends before it starts'));
  await t.rejects(buildReport(store.client, { period: '2015-05-11', last: '7d' }), new ReportError('give --period or --last, not both'));
});

t.test('the command writes the same page to a file, and says where; --json prints the same numbers', async (t) => {
  const file = join(dir, 'report.html');
  const report = await buildReport(store.client, { period: `${WEEK.from}..${WEEK.to}` });
  // The command opens the store itself: this process may hold one store directory, and it is this one.
  await store.close();
  const { code, stderr } = await withStderr(() => runReport({ store: join(dir, 'store'), period: `${WEEK.from}..${WEEK.to}`, html: file }));
  t.equal(code, 0);
  t.match(stderr, /^siftlog: wrote the report to .*report\.html \(\d+ KiB, self-contained\)\n$/);
  const page = readFileSync(file, 'utf8');
  const generated = /"generatedAt":"([^"]+)"/.exec(page)?.[1] ?? '';
  t.equal(page, renderHtml({ ...report, generatedAt: generated }), 'the page of the same report');
  const json = await capture(process.stdout, () => runReport({ store: join(dir, 'store'), period: `${WEEK.from}..${WEEK.to}`, json: true }));
  t.equal(json.code, 0);
  const data = JSON.parse(json.out) as Report;
  t.same({ ...data, generatedAt: '' }, { ...JSON.parse(JSON.stringify(report)), generatedAt: '' }, '--json prints the same report');
  store = await Store.open({ dir: join(dir, 'store') });
  asked = reportQuestions(store.client);
  const missing = join(dir, 'no-such-store');
  const refused = await withStderr(() => runReport({ store: missing }));
  t.same(refused, { code: 1, stderr: `siftlog: no store in ${missing}: load logs first with siftlog ingest --store ${missing}, or give the store with --store DIR or --url\n` });
  t.notOk(existsSync(missing), 'and does not create it');
});

async function withStderr(run: () => Promise<number>): Promise<{ code: number; stderr: string }> {
  const { code, out } = await capture(process.stderr, run);
  return { code, stderr: out };
}

async function capture(stream: NodeJS.WriteStream, run: () => Promise<number>): Promise<{ code: number; out: string }> {
  const chunks: string[] = [];
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string) => chunks.push(chunk) > 0) as typeof stream.write;
  try {
    return { code: await run(), out: chunks.join('') };
  } finally {
    stream.write = write;
  }
}

t.test('siftlog report prints the text of the same report', async (t) => {
  const report = await buildReport(store.client, { last: '7d' });
  // The command opens the store itself: this process lets go of it first (chdb holds one folder per process).
  // In this process: the command's output is under test; the bin shim is test/e2e/ingest.test.ts's.
  await store.close();
  await drainPending();
  const result = await siftlogInProcess(['report', '--store', join(dir, 'store'), '--last', '7d']);
  t.equal(result.stderr, '');
  t.equal(result.code, 0);
  t.equal(result.stdout, renderText(report));
});
