import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { siftlogInProcess, tempDir } from '../helpers/cli.js';

/**
 * A real old server: Debian's clickhouse-server 18.16 (installed by .ci/run; this test skips where it is
 * not installed). Started on loopback with a throw-away data folder, it must be refused with a message
 * naming the minimum version, and be left as it was: no database, no table.
 */
const BINARY = ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server'].find((p) => existsSync(p));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function query(url: string, sql: string): Promise<string> {
  const response = await fetch(`${url}/?query=${encodeURIComponent(sql)}`);
  return response.text();
}

t.test('siftlog refuses ClickHouse 18.16, naming the minimum version, and changes nothing on it', { skip: BINARY === undefined ? 'clickhouse-server is not installed (.ci/run installs Debian\'s)' : false }, async (t) => {
  const dir = tempDir(t);
  const [httpPort, tcpPort] = [await freePort(), await freePort()];
  const data = join(dir, 'data');
  mkdirSync(data);
  writeFileSync(join(dir, 'config.xml'), `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><console>1</console></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <path>${data}/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>5368709</mark_cache_size>
</yandex>
`);
  writeFileSync(join(dir, 'users.xml'), `<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
`);
  let stderr = '';
  const server: ChildProcess = spawn(BINARY!, [`--config-file=${join(dir, 'config.xml')}`], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  server.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise((resolve) => server.once('exit', resolve));
  t.teardown(async () => {
    // A throw-away server: asked to stop, then killed if it waits on idle keep-alive connections.
    server.kill('SIGTERM');
    const killer = setTimeout(() => server.kill('SIGKILL'), 1000);
    await exited;
    clearTimeout(killer);
  });
  const url = `http://127.0.0.1:${httpPort}`;
  const started = Date.now();
  for (;;) {
    const ok = await fetch(`${url}/ping`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() - started > 20_000 || server.exitCode !== null) throw new Error(`clickhouse-server did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  t.equal((await query(url, 'SELECT version()')).trim(), '18.16.1', 'the server is the old one');
  const databases = await query(url, 'SHOW DATABASES');
  const folders = readdirSync(join(data, 'data')).sort();

  const refusal = `siftlog: ClickHouse 18.16.1 at ${url} is too old: siftlog needs ClickHouse 24.3 or newer `
    + '(views that keep the small-group rule for a read-only role (SQL SECURITY DEFINER), lightweight DELETE, query parameters). '
    + 'Nothing was changed on that server.\n';
  // Opened for writing (as ingest opens it: it would create the database and migrate) and for reading.
  const write = await siftlogInProcess(['sql', '--write', '--url', url, '--store', join(dir, 'store'), 'CREATE DATABASE siftlog']);
  t.same(write, { code: 1, stdout: '', stderr: refusal }, 'a command that writes is refused before it sends anything');
  const read = await siftlogInProcess(['runs', '--url', url, '--store', join(dir, 'store')]);
  t.same(read, { code: 1, stdout: '', stderr: refusal }, 'so is a read-only command');

  t.equal(await query(url, 'SHOW DATABASES'), databases, 'no database created');
  t.same(readdirSync(join(data, 'data')).sort(), folders, 'nothing written to its data folder');
  t.equal((await query(url, "SELECT count() FROM system.tables WHERE database NOT IN ('system')")).trim(), '0', 'no table created');
});
