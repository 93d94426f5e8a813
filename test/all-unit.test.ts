import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import t from 'tap';

/**
 * Every unit file under test/unit, from one tap process: `npm test` runs this file, not test/unit/**. A
 * process per file costs ~1.5 s of starting node, tsx and tap, more than most unit files take to run. The
 * files that need no embedded engine are imported here, their tests running in order under their own
 * names; the files in OWN_PROCESS start the engine (it binds one data folder per process) or check what a
 * process loads, and run as child processes of their own. Any file still runs alone
 * (`npx tap test/unit/formats/clf.test.ts`). The name sorts before test/e2e: tap starts this file first and
 * the e2e files fill the other job meanwhile, rather than this one running alone at the end.
 */
const OWN_PROCESS = new Set([
  'sink/columns.test.ts',
  'sink/lazy-engine.test.ts',
  'sink/native.test.ts',
  'sink/writer.test.ts',
  'sessions/tables.test.ts',
]);

const here = join(dirname(fileURLToPath(import.meta.url)), 'unit');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.isFile() && entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = testFiles(here).map((path) => relative(here, path)).sort();

// The imports run inside a test of their own: tap ends its root test once it is idle, which an import
// taking a moment would look like. The files' tests queue behind it and run when every file is in.
t.test(`the unit files load (${files.length}, ${OWN_PROCESS.size} of them in processes of their own)`, async (loading) => {
  let imported = 0;
  for (const file of files) {
    if (OWN_PROCESS.has(file)) {
      // The same node options as this process (tsx and tap's own imports); the child reports here as TAP.
      t.spawn(process.execPath, [...process.execArgv, join(here, file)], { cwd: process.cwd() }, file);
    } else {
      await import(pathToFileURL(join(here, file)).href);
      imported++;
    }
  }
  loading.equal(imported + OWN_PROCESS.size, files.length, 'every file imported or spawned');
  loading.same([...OWN_PROCESS].filter((file) => !files.includes(file)), [], 'the own-process list names files that exist');

  t.test('the files run in this process loaded no embedded engine', async (t) => {
    const report = process.report.getReport() as unknown as { sharedObjects: string[] };
    t.same(report.sharedObjects.filter((file) => /chdb/i.test(file)), [],
      'a unit file that starts the engine goes into OWN_PROCESS: the engine binds one data folder per process');
  });
});
