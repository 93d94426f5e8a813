import t from 'tap';
import { asLoadError } from '../../../src/pipeline/run-errors.js';

t.test('a failed run is one line saying what to do, whichever way the engine words a full disk', async (t) => {
  const again = 'then run the same command again: it loads these inputs from the start.';
  // The Native insert path stages through a file: the engine then says "Cannot reserve …, not enough space".
  t.equal(asLoadError(new Error('could not stage the rows of a.log lines 1–9: Cannot reserve 7.44 MiB, not enough space.')).message,
    `nothing of this run was published: could not stage the rows of a.log lines 1–9: Cannot reserve 7.44 MiB, not enough space. The store's disk is full: free space, ${again}`);
  t.match(asLoadError(new Error('Code: 243. DB::Exception: NOT_ENOUGH_SPACE')).message, /The store's disk is full/);
  t.match(asLoadError(new Error('write ENOSPC')).message, /The store's disk is full/);
  t.match(asLoadError(new Error('EROFS: read-only file system')).message, /The store cannot be written/);
  t.match(asLoadError(new Error('something else')).message, /^nothing of this run was published: something else\. Fix the cause, /);
});
