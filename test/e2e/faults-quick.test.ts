import { join } from 'node:path';
import t from 'tap';
import { tempDir } from '../helpers/cli.js';
import { emptyDump, faultSetup, ingestAgain, ingestUntil, storeLike } from '../helpers/faults.js';
import { dumpDifference, dumpStore } from '../helpers/store-dump.js';

// The quick cut of test/faults (npm run test:faults runs the whole matrix on 200,000 lines).
t.test('killed while loading or publishing, Ctrl-C while loading: the run again equals one clean run', async (t) => {
  const setup = await faultSetup(tempDir(t, 'siftlog-faults-'), 12_000, 2_000);
  const empty = await emptyDump(join(setup.dir, 'empty'));

  const killed = storeLike(setup, join(setup.dir, 'killed-publishing'));
  const stopped = await ingestUntil(setup, killed, 'mid-swap', (pid) => process.kill(pid, 'SIGKILL'));
  t.equal(stopped.signal, 'SIGKILL');
  const again = await ingestAgain(setup, killed);
  t.equal(again.code, 0, again.stderr);
  t.match(again.stderr, /was stopped while publishing; its publish is now finished/);
  t.same(dumpDifference(await dumpStore(killed), setup.clean), [], 'rolled forward: every table equals one clean run');

  const interrupted = storeLike(setup, join(setup.dir, 'interrupted'));
  const ctrlC = await ingestUntil(setup, interrupted, 'mid-load', (pid) => process.kill(pid, 'SIGINT'));
  t.equal(ctrlC.code, 130);
  t.equal(ctrlC.stderr, 'siftlog: stopped by SIGINT: nothing of this run was published, the store is as it was before. Run the same command again to load its inputs.\n');
  t.same(dumpDifference(await dumpStore(interrupted), empty), [], 'production untouched');
  t.equal((await ingestAgain(setup, interrupted)).code, 0);
  t.same(dumpDifference(await dumpStore(interrupted), setup.clean), [], 'the run again equals one clean run');
});
