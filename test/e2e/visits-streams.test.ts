import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import t from 'tap';
import { ReferrerClassifier } from '../../src/enrich/referrer.js';
import { defaultConfig, type PipelineConfig } from '../../src/pipeline/config.js';
import { ingest, type IngestSummary } from '../../src/pipeline/ingest.js';
import { DATABASE } from '../../src/sink/clickhouse/schema.js';
import { Store } from '../../src/sink/clickhouse/store.js';
import { resolveInputs } from '../../src/sources/inputs.js';
import { tempDir } from '../helpers/cli.js';
import { copyTemplateStore } from '../helpers/store-template.js';
import { CHROME_UA, line } from '../support/visit-pipeline.js';

// Several inputs of one run are streams that the visit stage merges in time order (docs/visits.md,
// "Reordering"). Rotated logs hold consecutive hours: read one after the other, the first used to be held
// whole until the next began (up to sessions.max_buffered_hits, then released early and what followed came
// late). Inputs are now read oldest first, and a stream not yet begun holds back nothing before its first line.

const NO_LOOKUPS = { geo: null, company: null, referrers: new ReferrerClassifier(), campaigns: true };
const NOW = () => Date.UTC(2026, 11, 1, 12);
const LINES = 3_000;

/** 3,000 lines two seconds apart from 10:00 on 30 November: 60 visitors, some gone for the second half, some new in it. */
function log(network: string): string[] {
  const lines: string[] = [];
  for (let i = 0; i < LINES; i++) {
    const seconds = 10 * 3600 + 2 * i;
    const when = `30/Nov/2026:${String(Math.floor(seconds / 3600)).padStart(2, '0')}:${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
    const visitor = ((i * 7) % 40) + (i < LINES / 2 ? 0 : 20);
    const path = i % 3 === 0 ? '/img/logo.png' : `/page/${i % 11}`;
    lines.push(line(`${network}.${visitor + 1}`, when, `GET ${path}`, 200, '-', visitor % 2 === 0 ? CHROME_UA : undefined));
  }
  return lines;
}

function configOf(site: string): PipelineConfig {
  const config = defaultConfig();
  config.format = 'combined';
  config.site = site;
  // The smallest bound: one input of 1,000 lines held whole would already pass it.
  config.sessions.max_buffered_hits = 1_000;
  return config;
}

t.test('inputs holding consecutive hours merge without holding any of them whole, in any order given', async (t) => {
  const dir = tempDir(t);
  const store = await Store.open({ dir: copyTemplateStore(join(dir, 'store')) });
  t.teardown(() => store.close());
  // Each run's own addresses: content that no earlier run loaded (inputs are known by their first lines).
  const write = (name: string, lines: string[]) => {
    const file = join(dir, name);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  };
  const parts = (prefix: string, network: string) => {
    const lines = log(network);
    return [0, 1, 2].map((k) => write(`${prefix}-${k + 1}.log`, lines.slice(k * 1_000, (k + 1) * 1_000)));
  };
  const run = async (files: string[], site: string): Promise<IngestSummary> =>
    ingest(await resolveInputs(files), configOf(site), store, NO_LOOKUPS, { now: NOW });
  const visits = async (site: string) => (await store.client.query({
    query: `SELECT toString(start) AS start, toString(end) AS end, pageviews, hits, entry_page, exit_page, bounce, is_open
      FROM ${DATABASE}.visits WHERE site = {site:String} ORDER BY start, entry_page, hits, end`,
    query_params: { site }, format: 'JSONEachRow',
  })).json<Record<string, unknown>>();

  const whole = await run([write('whole.log', log('203.0.113'))], 'whole.example');
  t.same(whole.visits, { visits: whole.visits.visits, provisional: whole.visits.provisional, lateHits: 0, lateVisits: 0, forcedReleases: 0 },
    'one time-ordered file: nothing late, nothing released early');
  const expected = await visits('whole.example');
  t.ok(expected.length > 40, `the log makes ${expected.length} visits`);

  const inOrder = await run(parts('ordered', '198.51.100'), 'ordered.example');
  t.same(inOrder.visits, whole.visits, 'the same three hours in three files, oldest first: the same visits, none late or released early');
  t.same(await visits('ordered.example'), expected, 'visit rows equal to the single file\'s');

  const newestFirst = await run(parts('rotated', '192.0.2').reverse(), 'rotated.example');
  t.same(newestFirst.visits, whole.visits, 'given newest first (as a glob lists access.log, access.log.1, access.log.2): the same');
  t.same(await visits('rotated.example'), expected, 'visit rows equal to the single file\'s');
  t.same(newestFirst.inputs.map((i) => [basename(i.input), i.linesRead]), [['rotated-3.log', 1_000], ['rotated-2.log', 1_000], ['rotated-1.log', 1_000]],
    'the summary lists the inputs as given');
});
