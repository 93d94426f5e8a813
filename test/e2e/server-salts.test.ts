import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { SiteCalendar } from '../../src/privacy/calendar.js';
import { saltDir } from '../../src/privacy/salt.js';
import { keyOf, SALT_CHAIN_TABLE, shareSalts } from '../../src/sink/clickhouse/shared-salts.js';
import { Store } from '../../src/sink/clickhouse/store.js';
import { siftlogInProcess, tempDir } from '../helpers/cli.js';
import { serverTarget } from '../support/server-target.js';

/**
 * Several ingest hosts, one server store: with shared salts one visitor has one id on every host the same
 * day; the shared key is moved forward and the older one deleted as the salt window passes.
 */
const target = await serverTarget(t);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const today = new Date();
const stamp = `${String(today.getUTCDate()).padStart(2, '0')}/${MONTHS[today.getUTCMonth()]}/${today.getUTCFullYear()}:00:00`;
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0';
const line = (client: string, second: number, path: string) => `${client} - - [${stamp}:${String(second).padStart(2, '0')} +0000] "GET ${path} HTTP/1.1" 200 10 "-" "${FIREFOX}"\n`;

async function twoHosts(t: Test, share: boolean): Promise<Record<string, string>> {
  const dir = tempDir(t);
  const database = target.database(t);
  // The same visitor on both web servers, and one more visitor on the second.
  writeFileSync(join(dir, 'a.log'), line('198.51.100.7', 1, '/on-host-a'));
  writeFileSync(join(dir, 'b.log'), line('198.51.100.7', 2, '/on-host-b') + line('203.0.113.9', 3, '/other-visitor'));
  for (const host of ['a', 'b']) {
    const run = await siftlogInProcess(['ingest', join(dir, `${host}.log`), '--store', join(dir, `host-${host}`), ...target.args(database), ...(share ? ['--share-salts'] : [])]);
    t.equal(run.code, 0, run.stderr);
  }
  const rows = await siftlogInProcess(['sql', '--store', join(dir, 'host-a'), ...target.args(database), '--format', 'json', 'SELECT path, toString(visitor_id) AS id FROM requests ORDER BY path']);
  t.equal(rows.code, 0, rows.stderr);
  return Object.fromEntries(rows.stdout.trim().split('\n').map((l) => JSON.parse(l) as { path: string; id: string }).map((r) => [r.path, r.id]));
}

t.test('with shared salts one visitor has one id on two hosts the same day', async (t) => {
  const ids = await twoHosts(t, true);
  t.equal(ids['/on-host-a'], ids['/on-host-b'], 'one visitor, one id');
  t.not(ids['/other-visitor'], ids['/on-host-a'], 'another visitor, another id');
});

t.test('without them each host has salts of its own: the visitor is counted twice', async (t) => {
  const ids = await twoHosts(t, false);
  t.not(ids['/on-host-a'], ids['/on-host-b']);
});

t.test('the shared key moves forward with the window and the older key is deleted', async (t) => {
  const database = target.database(t);
  const dir = tempDir(t);
  const store = await Store.open({ dir, url: target.url, user: target.user, password: target.password, caFile: target.caFile, database });
  t.teardown(() => store.close());
  const calendar = new SiteCalendar('UTC');
  const day = (iso: string) => Date.parse(`${iso}T12:00:00Z`);
  const first = await shareSalts(store.client, store.stateDir, { windowDays: 2, calendar, now: () => day('2030-01-10') });
  t.same(first, { days: ['2030-01-09', '2030-01-10', '2030-01-11'], replaced: [] }, 'the window and tomorrow');
  const keys = async () => (await (await store.client.query({
    query: `SELECT toString(day) AS day, key FROM ${SALT_CHAIN_TABLE} FINAL ORDER BY day`, format: 'JSONEachRow',
  })).json<{ day: string; key: string }>());
  const [start] = await keys();
  t.equal(start.day, '2030-01-09');

  const other = join(tempDir(t), 'state');
  const again = await shareSalts(store.client, other, { windowDays: 2, calendar, now: () => day('2030-01-10') });
  t.same(again.days, first.days);
  for (const d of first.days) {
    t.same(readFileSync(join(saltDir(other), `${d}.salt`)), readFileSync(join(saltDir(store.stateDir), `${d}.salt`)), `${d}: another host derives the same salt`);
  }

  const later = await shareSalts(store.client, store.stateDir, { windowDays: 2, calendar, now: () => day('2030-01-14') });
  t.same(later.days, ['2030-01-13', '2030-01-14', '2030-01-15']);
  t.same((await keys()).map((k) => k.day), ['2030-01-13'], 'only the key of the window\'s first day is kept');
  t.equal((await keys())[0].key, keyOf(Buffer.from(start.key, 'hex'), '2030-01-09', '2030-01-13').toString('hex'), 'the same chain, moved forward');
  const kept = Buffer.from((await keys())[0].key, 'hex');
  t.throws(() => keyOf(kept, '2030-01-13', '2030-01-10'), /cannot be derived/, 'a day before the window cannot be computed from what is left');
  t.ok(existsSync(join(saltDir(store.stateDir), '2030-01-13.salt')));
});

t.test('--share-salts on an embedded store is refused', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'a.log'), line('198.51.100.7', 1, '/'));
  const run = await siftlogInProcess(['ingest', join(dir, 'a.log'), '--store', join(dir, 'store'), '--share-salts']);
  t.same(run, { code: 1, stdout: '', stderr: 'siftlog: share_salts (--share-salts) is for several hosts writing one ClickHouse server (--url): an embedded store has one host\n' });
});
