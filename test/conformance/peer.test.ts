import { existsSync } from 'node:fs';
import t from 'tap';
import { checkEntry, loadExpectations } from '../support/peer-check.js';

const corpus = new URL('../../../shared/corpus/', import.meta.url).pathname;

/** Entries that passed when this was last raised: a change that breaks one of them fails the suite. */
const BASELINE_PASSING = 64;

t.test('peer parsers\' expectations (Matomo, Vector VRL, Elastic Beats, GoAccess)', { skip: !existsSync(`${corpus}peer/expectations.json`) && 'no ../shared corpus here' }, async (t) => {
  const entries = loadExpectations(corpus);
  let passed = 0;
  let claimed = 0;
  const failures: string[] = [];
  const unclaimed: string[] = [];
  const byDesign: string[] = [];
  for (const [i, entry] of entries.entries()) {
    const name = `#${i} ${entry.peer} ${entry.format ?? entry.autodetected_format ?? ''} ${entry.test_name ?? entry.sample_file}${entry.line ? `:${entry.line}` : ''}`;
    const verdict = await checkEntry(entry, corpus);
    if (verdict.status === 'unclaimed') {
      unclaimed.push(`${name}: ${verdict.reasons[0]}`);
      continue;
    }
    claimed++;
    if (verdict.status === 'by_design') byDesign.push(`${name}: ${verdict.reasons[0]}`);
    else if (verdict.status === 'pass') passed++;
    else failures.push(`${name}: ${verdict.reasons.join('; ')}`);
  }
  t.comment(`conformance: ${passed}/${claimed} claimed entries pass, ${byDesign.length} differ by design, ${failures.length} not met `
    + `(${entries.length} entries, ${unclaimed.length} unclaimed)`);
  for (const f of failures) t.comment(`not met  ${f}`);
  for (const d of byDesign) t.comment(`by design  ${d}`);
  for (const u of unclaimed) t.comment(`unclaimed  ${u}`);
  t.ok(passed >= BASELINE_PASSING, `at least ${BASELINE_PASSING} entries pass (now ${passed})`);
});
