import { createRequire } from 'node:module';
import { join } from 'node:path';
import t from 'tap';
import { runCli } from '../../../src/cli/program.js';
import type { CliIo } from '../../../src/cli/io.js';
import { SIFTLOG_VERSION } from '../../../src/pipeline/ingest.js';
import { Store } from '../../../src/sink/clickhouse/store.js';
import { tempDir } from '../../helpers/cli.js';

/**
 * The embedded engine (chdb: a 540 MB shared library, ~200 MB resident once loaded) is loaded only by a
 * command that opens an embedded store. This file's process loads it last, in its final test: the checks
 * before it see a process where nothing has loaded it yet.
 */
function engineLoaded(): { library: string[]; modules: string[] } {
  const report = process.report.getReport() as unknown as { sharedObjects: string[] };
  const require = createRequire(import.meta.url);
  return {
    library: report.sharedObjects.filter((file) => /chdb/i.test(file)),
    modules: Object.keys(require.cache).filter((file) => /[\\/]node_modules[\\/]chdb[\\/]/.test(file)),
  };
}

function quietIo(): CliIo & { text: () => string } {
  let text = '';
  return { out: (s) => { text += s; }, err: (s) => { text += s; }, errIsTTY: false, text: () => text };
}

t.test('formats, --help and a command on a ClickHouse server (--url) do not load the embedded engine', async (t) => {
  t.same(engineLoaded(), { library: [], modules: [] }, 'not loaded when the test starts');
  const formats = quietIo();
  t.equal(await runCli(['formats'], formats), 0);
  t.match(formats.text(), /combined/);
  t.equal(await runCli(['--help'], quietIo()), 0);
  t.equal(await runCli(['ingest', '--help'], quietIo()), 0);
  const version = quietIo();
  t.equal(await runCli(['--version'], version), 0);
  t.equal(version.text(), `${SIFTLOG_VERSION}\n`);
  // Nothing listens on port 9 (discard): the command fails to reach the server, having loaded only the client.
  const server = quietIo();
  t.equal(await runCli(['runs', '--url', 'http://127.0.0.1:9/', '--store', join(tempDir(t), 'state')], server), 1);
  t.match(server.text(), /cannot reach ClickHouse/);
  t.same(engineLoaded(), { library: [], modules: [] });
});

t.test('opening an embedded store loads the engine (the check above can see it)', async (t) => {
  const store = await Store.open({ dir: join(tempDir(t), 'store') });
  t.teardown(() => store.close());
  const loaded = engineLoaded();
  t.ok(loaded.library.some((file) => /libchdb/.test(file)), 'the engine library is mapped');
  t.ok(loaded.modules.length > 0, 'the chdb module is loaded');
});
