import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ROOT, tempDir } from './cli.js';

/**
 * A new embedded store that has run every migration and nothing else, built once and copied for each test
 * that needs a new store: migrating a new store runs every migration as separate queries (~0.3–1 s a
 * store, the part of a few-line ingest that is not the data). A copy is the template folder as the engine
 * left it (`cp -r`, symbolic links kept relative), so it is what `Store.open` + `migrate()` leave in a new
 * folder: store-template.test.ts compares a copy with a freshly migrated store, table for table and column
 * for column. Tests of the migrations themselves (a new store migrating, a legacy store upgrading) keep
 * migrating their own stores.
 *
 * The template is keyed by the text of every source file and the engine's version, so a change to the
 * migrations (or anything they call) builds a new one; it is built in a child process because the engine
 * binds one data folder per process, and lives in node_modules/.cache (npm ci starts it afresh).
 */
const CACHE = join(ROOT, 'node_modules', '.cache', 'siftlog-tests');
const BUILD = join(ROOT, 'test', 'helpers', 'build-store-template.ts');

let template: string | null = null;

/** Copies the template store into `dir` (made if absent; it must hold no engine folder yet) and returns `dir`. */
export function copyTemplateStore(dir: string): string {
  if (existsSync(join(dir, 'clickhouse'))) throw new Error(`copyTemplateStore: ${dir} holds a store already; a template copy goes into a new one`);
  mkdirSync(dirname(dir), { recursive: true });
  cpSync(templateStore(), dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

/** A migrated store, `store` in a new temporary folder removed when the test ends. */
export function migratedStore(t: { teardown(fn: () => void): void }): string {
  return copyTemplateStore(join(tempDir(t), 'store'));
}

/** The template's folder, built on first use by this source tree. */
export function templateStore(): string {
  if (template !== null) return template;
  const key = sourceKey();
  const folder = join(CACHE, `store-${key}`);
  if (!existsSync(join(folder, 'clickhouse'))) build(folder);
  template = folder;
  return folder;
}

function build(folder: string): void {
  mkdirSync(CACHE, { recursive: true });
  // Built aside and renamed into place: two test processes starting together may both build it; one wins.
  const scratch = `${folder}.building-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  const run = spawnSync(process.execPath, ['--import=tsx', BUILD, scratch], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`building the template store failed (${run.status}): ${run.stderr}`);
  try {
    renameSync(scratch, folder);
  } catch (err) {
    rmSync(scratch, { recursive: true, force: true });
    if (!existsSync(join(folder, 'clickhouse'))) throw err;
  }
  // Templates of earlier source trees, once no test run still started from one can be copying it.
  for (const name of readdirSync(CACHE)) {
    const path = join(CACHE, name);
    if (name.startsWith('store-') && path !== folder && Date.now() - statSync(path).mtimeMs > 3_600_000) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

/** A hash of every source file's path and text and of the engine's version. */
function sourceKey(): string {
  const hash = createHash('sha256');
  const chdb = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'chdb', 'package.json'), 'utf8')) as { version: string };
  hash.update(`chdb ${chdb.version}\n`);
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) hash.update(`${relative(ROOT, child)}\n`).update(readFileSync(child));
    }
  };
  walk(join(ROOT, 'src'));
  hash.update(readFileSync(BUILD));
  return hash.digest('hex').slice(0, 16);
}
