import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { ReferrerClassifier } from '../../src/enrich/referrer.js';
import { defaultConfig, type PipelineConfig } from '../../src/pipeline/config.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { Store } from '../../src/sink/clickhouse/store.js';
import { resolveInputs } from '../../src/sources/inputs.js';
import { ROOT, siftlogInProcess, tempDir } from '../helpers/cli.js';
import { NEXT, SERVER_A, SERVER_B } from '../support/two-servers.js';
import { copyTemplateStore } from '../helpers/store-template.js';

// Every file of queries/ run with its parameters against a store loaded by two runs from small logs whose
// numbers are worked out by hand below: two servers' logs interleaved, a visit across midnight that goes on
// in the second run, a crawler, e-mail opens and clicks.

const QUERIES = join(ROOT, 'queries');
const NO_LOOKUPS = { geo: null, company: null, referrers: new ReferrerClassifier(), campaigns: true };
function configOf(format: string): PipelineConfig {
  const config = defaultConfig();
  config.format = format as PipelineConfig['format'];
  config.site = 'www.example.com';
  config.goals = [{ name: 'signup', path: '/signup', method: 'POST' }];
  config.email = { open: '/t/open.gif?c={campaign}&r={recipient}', click: '/t/click?c={campaign}&r={recipient}&u={url}' };
  return config;
}

t.test('each file of queries/ answers with the numbers worked out by hand', async (t) => {
  const dir = tempDir(t);
  const files = { a: join(dir, 'a.log'), b: join(dir, 'b.log'), next: join(dir, 'next.log') };
  writeFileSync(files.a, `${SERVER_A.join('\n')}\n`);
  writeFileSync(files.b, `${SERVER_B.join('\n')}\n`);
  writeFileSync(files.next, `${NEXT.join('\n')}\n`);
  const store = await Store.open({ dir: copyTemplateStore(join(dir, 'store')) });
  let open = true;
  t.teardown(() => (open ? store.close() : undefined));
  await store.migrate();
  const now = () => Date.UTC(2026, 11, 1, 12);
  await ingest(await resolveInputs([files.a, files.b]), configOf('combined_timed'), store, NO_LOOKUPS, { now });
  await ingest(await resolveInputs([files.next]), configOf('combined'), store, NO_LOOKUPS, { now });

  const ran = new Set<string>();
  const query = async (name: string, params: Record<string, string | number>) => {
    ran.add(name);
    const text = readFileSync(join(QUERIES, `${name}.sql`), 'utf8');
    return (await store.client.query({ query: text, query_params: { site: 'www.example.com', ...params }, format: 'JSONEachRow' }))
      .json<Record<string, unknown>>();
  };
  const days = { from: '2026-11-30', to: '2026-12-01' };
  const nov30 = { day: '2026-11-30' };

  // People's visits of 30 November: 1 (/ → /welcome, 09:00:00–09:05:01, 301 s, 3 views), 2 (/blog/hello, 0 s,
  // a bounce), 3 (click at 10:59:58, / → /pricing, until 11:03:00: 182 s, 2 views), 4 (/docs at 23:50 →
  // /docs/install at 00:05 → sign-up at 00:20 in the next run: 1800 s, 3 views counting /missing).
  // Mean of 301, 0, 182, 1800 = 570.75 → 571. quantileTiming's level q of n values is the sorted value at
  // index ⌊q·n⌋ (from 0): the median of 0, 182, 301, 1800 is 301.
  // Page views of the day are requests: 3 (visit 1), 1 (2), 2 (3), 1 (4: /docs; /missing is a 404) = 7;
  // 1 December: /docs/install and visit 5's /pricing = 2. Visitors: four on the 30th; on the 1st visit 4's
  // visitor (that day's id) and visit 5's.
  t.same(await query('visits', days), [
    { day: '2026-11-30', visitor_count: 4, visit_count: 4, pageview_count: 7, visits_with_pages: 4, views_per_visit: 1.75,
      bounce_rate: 0.25, mean_visit_seconds: 571, median_visit_seconds: 301 },
    { day: '2026-12-01', visitor_count: 2, visit_count: 1, pageview_count: 2, visits_with_pages: 1, views_per_visit: 2,
      bounce_rate: 1, mean_visit_seconds: 0, median_visit_seconds: 0 },
  ]);
  t.same(await query('entry-pages', nov30), [
    { path: '/', entry_count: 2, bounce_rate: 0 }, { path: '/blog/hello', entry_count: 1, bounce_rate: 1 },
    { path: '/docs', entry_count: 1, bounce_rate: 0 },
  ]);
  t.same(await query('exit-pages', nov30), [
    { path: '/blog/hello', exit_count: 1 }, { path: '/docs/install', exit_count: 1 }, { path: '/pricing', exit_count: 1 },
    { path: '/welcome', exit_count: 1 },
  ], 'visit 4 leaves at /docs/install on the day it started');

  // Response times of every request of the 30th, crawler and e-mail included; the 1st's are untimed.
  // /pricing: 30, 35 and the crawler's 2500 ms (p50 = index 1 = 35, p90 and p99 = index 2); /signup: 150 and 120.
  t.same(await query('slowest-paths', { ...nov30, min_timed: 2 }), [
    { path: '/pricing', requests: 3, timed_count: 3, mean_ms: 855, p50_p90_p99_ms: [35, 2500, 2500] },
    { path: '/t/open.gif', requests: 3, timed_count: 3, mean_ms: 1, p50_p90_p99_ms: [1, 1, 1] },
    { path: '/signup', requests: 2, timed_count: 2, mean_ms: 135, p50_p90_p99_ms: [150, 150, 150] },
    { path: '/', requests: 3, timed_count: 3, mean_ms: 16, p50_p90_p99_ms: [18, 20, 20] },
  ].sort((a, b) => b.p50_p90_p99_ms[1] - a.p50_p90_p99_ms[1] || a.path.localeCompare(b.path)));
  t.same(await query('failing-paths', nov30), [
    { path: '/pricing', requests: 3, server_errors: 1, client_errors: 0, server_error_rate: 0.3333 },
    { path: '/missing', requests: 1, server_errors: 0, client_errors: 1, server_error_rate: 0 },
  ]);
  const hours = await query('response-times', { day: '2026-12-01' });
  t.same(hours, [{ hour: '2026-12-01 00:00:00', requests: 3, timed_count: 1, p50_p90_p99_ms: [45, 45, 45] }],
    'the next run\'s format logs no duration: only /docs/install is timed');

  // Conversions (goal signup), people's visits of the 30th: 1 (search, Google, "log analytics", entry /),
  // 3 (campaign nov, entry /) and 4 (direct, entry /docs, converting in the next run) convert; 2 does not.
  const goal = { ...days, goal: 'signup', touch: 'visit' };
  t.same(await query('conversions-by-entry-page', goal), [
    { page: '/', conversion_count: 2, visit_count: 2, conversion_rate: 1 },
    { page: '/docs', conversion_count: 1, visit_count: 1, conversion_rate: 1 },
    { page: '/blog/hello', conversion_count: 0, visit_count: 1, conversion_rate: 0 },
  ]);
  t.same(await query('conversions-by-source', goal), [
    { channel: 'direct', source: '', conversion_count: 2, visit_count: 2, conversion_rate: 1 },
    { channel: 'search', source: 'Google', conversion_count: 1, visit_count: 1, conversion_rate: 1 },
    { channel: 'social', source: 'Hacker News', conversion_count: 0, visit_count: 1, conversion_rate: 0 },
  ]);
  t.same(await query('conversions-by-keyword', goal), [
    { keyword: 'log analytics', conversion_count: 1, visit_count: 1, conversion_rate: 1 },
  ]);
  t.same(await query('conversions-by-campaign', goal), [
    { campaign: 'nov', campaign_source: 'newsletter', campaign_medium: 'email', conversion_count: 1, visit_count: 1, conversion_rate: 1 },
  ]);
  t.same(await query('conversions-by-campaign', { ...goal, touch: 'visitor' }), await query('conversions-by-campaign', goal),
    'one visit per visitor that day: both touches agree');

  // E-mail: three opens of November by two recipients (r-111 twice), one click by r-222.
  t.same(await query('email-campaigns', days), [
    { campaign: 'nov', open_count: 3, unique_opens: 2, click_count: 1, unique_clicks: 1, click_to_open_rate: 0.5 },
  ]);
  t.same(await query('email-links', days), [
    { campaign: 'nov', link: 'https://www.example.com/', click_count: 1, unique_clicks: 1, click_through_rate: 0.5 },
  ]);

  // The README's section shows one query per feature: each runs on this store and answers.
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Visits, response times'), readme.indexOf('## Enrichment'));
  const blocks = [...section.matchAll(/```sql\n([\s\S]*?)\n```/g)].map((m) => m[1]);
  t.equal(blocks.length, 6);
  for (const sql of blocks) {
    const rows = await (await store.client.query({ query: sql, format: 'JSONEachRow' })).json();
    t.ok(rows.length > 0, `README: ${sql.split('\n')[0]}`);
  }

  // The same file through the CLI, its parameters bound by ClickHouse (the engine holds one store per
  // process: this one is closed first).
  const expected = await query('email-links', days);
  open = false;
  await store.close();
  const cli = await siftlogInProcess(['sql', '--store', join(dir, 'store'), '--format', 'json', '--file', join(QUERIES, 'email-links.sql'),
    '--param', 'site=www.example.com', '--param', `from=${days.from}`, '--param', `to=${days.to}`]);
  t.equal(cli.code, 0, cli.stderr);
  t.same(cli.stdout.trim().split('\n').map((l) => JSON.parse(l)), expected, 'siftlog sql --file queries/email-links.sql --param …');

  t.same([...ran].sort(), readdirSync(QUERIES).filter((f) => f.endsWith('.sql')).map((f) => f.slice(0, -4)).sort(),
    'every file of queries/ is run here');
});
