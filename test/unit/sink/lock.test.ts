import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { processStart, takeLock } from '../../../src/sink/clickhouse/lock.js';
import { tempDir } from '../../helpers/cli.js';

/** A live process that is not siftlog, ended when the test ends. */
function sleeper(t: { teardown(fn: () => void): void }): number {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  t.teardown(() => child.kill());
  return child.pid!;
}

function take(file: string): { taken: boolean; warnings: string[] } {
  const warnings: string[] = [];
  const taken = takeLock(file, (m) => warnings.push(m));
  return { taken, warnings };
}

t.test('a lock names its owner: pid, start time, boot and host', async (t) => {
  const file = join(tempDir(t), 'siftlog.lock');
  t.same(take(file), { taken: true, warnings: [] });
  const owner = JSON.parse(readFileSync(file, 'utf8'));
  t.equal(owner.pid, process.pid);
  t.equal(owner.host, hostname());
  t.equal(owner.started, processStart(process.pid));
  t.not(owner.started, '');
});

t.test('a lock of a live process stands; of a dead or replaced one it is taken over with a warning', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'siftlog.lock');
  const live = sleeper(t);
  const lock = (owner: object | string) => writeFileSync(file, typeof owner === 'string' ? owner : JSON.stringify(owner));

  lock({ pid: live, started: processStart(live), host: hostname(), boot: '' });
  t.throws(() => take(file), { name: 'LockHeldError' }, 'the recorded process is alive and the same');
  t.throws(() => take(file), { message: `siftlog process ${live}` });

  const gone = spawnSync('true').pid!;
  lock({ pid: gone, started: 'ticks:1', host: hostname(), boot: '' });
  t.same(take(file), { taken: true, warnings: [`taking over ${file}: process ${gone} that held it is gone`] });

  lock({ pid: live, started: 'ticks:1', host: hostname(), boot: '' });
  t.same(take(file), { taken: true, warnings: [`taking over ${file}: pid ${live} now belongs to another program`] },
    'the pid is alive but started at another time: reused after the owner died (a reboot, say)');

  lock(String(live));
  t.same(take(file), { taken: true, warnings: [`taking over ${file}: pid ${live} now belongs to another program`] },
    'a lock of siftlog 0.1.0 (pid only) whose pid runs something that is not node');

  lock(String(spawnNode(t)));
  t.throws(() => take(file), { name: 'LockHeldError' }, 'a pid-only lock of a live node process stands');

  lock({ pid: live, started: 'x', host: 'another-host.example', boot: '' });
  t.throws(() => take(file), { message: `siftlog process ${live} on host another-host.example` }, 'another host\'s lock cannot be checked: it stands');
});

function spawnNode(t: { teardown(fn: () => void): void }): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  t.teardown(() => child.kill());
  return child.pid!;
}
