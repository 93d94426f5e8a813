import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { addDays, SiteCalendar } from '../../../src/privacy/calendar.js';
import { SaltStore, saltDays } from '../../../src/privacy/salt.js';
import { VisitorIds } from '../../../src/privacy/visitor-id.js';

function tempState(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-salt-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A clock the test moves by hand. */
function clock(start: number) {
  const state = { now: start };
  return { state, now: () => state.now };
}

t.test('calendar days follow the site time zone, DST included', async (t) => {
  const berlin = new SiteCalendar('Europe/Berlin');
  t.equal(berlin.dayKey(Date.UTC(2024, 5, 30, 21, 59)), '2024-06-30', '23:59 summer time');
  t.equal(berlin.dayKey(Date.UTC(2024, 5, 30, 22, 0)), '2024-07-01', 'midnight summer time is 22:00 UTC');
  t.equal(berlin.dayKey(Date.UTC(2024, 0, 1, 22, 59)), '2024-01-01');
  t.equal(berlin.dayKey(Date.UTC(2024, 0, 1, 23, 0)), '2024-01-02', 'midnight winter time is 23:00 UTC');
  const kathmandu = new SiteCalendar('Asia/Kathmandu'); // +05:45
  t.equal(kathmandu.dayKey(Date.UTC(2024, 0, 1, 18, 14, 59)), '2024-01-01');
  t.equal(kathmandu.dayKey(Date.UTC(2024, 0, 1, 18, 15)), '2024-01-02');
  t.equal(new SiteCalendar().dayKey(Date.UTC(2024, 1, 29, 23, 59, 59)), '2024-02-29');
  t.equal(addDays('2024-03-01', -1), '2024-02-29');
  t.equal(addDays('2024-12-31', 1), '2025-01-01');
  t.throws(() => new SiteCalendar('Mars/Olympus'), /unknown time zone "Mars\/Olympus"/);
});

t.test('a salt is created on first use: 32 random bytes, file 0600 in a 0700 folder', async (t) => {
  const state = tempState(t);
  const salts = new SaltStore(state, 2);
  t.same(saltDays(salts.dir), []);
  const salt = salts.saltFor('2024-05-01');
  t.equal(salt.length, 32);
  const file = join(state, 'salts', '2024-05-01.salt');
  t.same(readFileSync(file), salt);
  t.equal(statSync(file).mode & 0o777, 0o600);
  t.equal(statSync(join(state, 'salts')).mode & 0o777, 0o700);
  t.same(salts.saltFor('2024-05-01'), salt, 'the same day gives the same salt');
  t.same(new SaltStore(state, 2).saltFor('2024-05-01'), salt, 'a later run reads the stored salt');
  t.notSame(salts.saltFor('2024-05-02'), salt, 'another day has another salt');
});

t.test('salts older than the window are deleted, in the site calendar', async (t) => {
  const state = tempState(t);
  // 2024-05-03 00:30 in Berlin is 2024-05-02 22:30 UTC: "today" is already the 3rd there.
  const c = clock(Date.UTC(2024, 4, 2, 22, 30));
  const salts = new SaltStore(state, 2, new SiteCalendar('Europe/Berlin'), c.now);
  for (const day of ['2024-04-30', '2024-05-01', '2024-05-02', '2024-05-03']) salts.saltFor(day);
  t.same(salts.prune(), ['2024-04-30', '2024-05-01']);
  t.same(saltDays(salts.dir), ['2024-05-02', '2024-05-03']);
  c.state.now += 86_400_000;
  t.same(salts.prune(), ['2024-05-02']);
  t.notOk(existsSync(join(state, 'salts', '2024-05-02.salt')));
  const week = new SaltStore(state, 7, new SiteCalendar('UTC'), c.now);
  week.saltFor('2024-04-28');
  t.same(week.prune(), [], 'a 7-day window keeps a salt 6 days old');
});

t.test('every request carries its own day\'s visitor id; near midnight both sides share a carry key', async (t) => {
  const state = tempState(t);
  const ids = new VisitorIds(new SaltStore(state, 2, new SiteCalendar('UTC')));
  const before = ids.identify(Date.UTC(2024, 4, 1, 23, 50), '198.51.100.7', 'UA', 'site');
  const after = ids.identify(Date.UTC(2024, 4, 2, 0, 10), '198.51.100.7', 'UA', 'site');
  t.not(after.id, before.id, 'no id outlives its day (was: the previous day\'s id kept past midnight)');
  t.ok(before.carryKey !== null && before.carryKey === after.carryKey, 'the carry key joins the two halves of the visit');
  const later = ids.identify(Date.UTC(2024, 4, 2, 2, 0), '198.51.100.7', 'UA', 'site');
  t.equal(later.id, after.id, 'the same day, the same id');
  t.equal(later.carryKey, null, 'no carry key away from midnight');
  const fresh = new VisitorIds(new SaltStore(state, 2, new SiteCalendar('UTC')));
  t.equal(fresh.identify(Date.UTC(2024, 4, 2, 9, 0), '198.51.100.7', 'UA', 'site').id, after.id, 'the day\'s id does not depend on earlier requests');
  t.not(fresh.identify(Date.UTC(2024, 4, 1, 9, 0), '198.51.100.7', 'UA', 'site').id, after.id, 'the same address and agent on two days: two ids');
});

t.test('a long visit gets a new id at every midnight', async (t) => {
  const ids = new VisitorIds(new SaltStore(tempState(t), 3, new SiteCalendar('UTC')));
  let time = Date.UTC(2024, 4, 1, 23, 50);
  const seen = new Set<string>([ids.identify(time, '2001:db8::1', 'bot', 's').id]);
  // A hit every 20 minutes for more than a day: three calendar days, three ids.
  for (let i = 0; i < 80; i++) {
    time += 20 * 60_000;
    seen.add(ids.identify(time, '2001:db8::1', 'bot', 's').id);
  }
  t.equal(seen.size, 3);
});

t.test('re-running a day whose salt was deleted gives new ids and the same unique count', async (t) => {
  const state = tempState(t);
  const hits: Array<[string, string]> = [];
  for (let i = 0; i < 500; i++) hits.push([`203.0.${i % 37}.${i % 11}`, `agent ${i % 3}`]);
  const run = () => {
    const ids = new VisitorIds(new SaltStore(state, 2, new SiteCalendar('UTC')));
    return hits.map(([ip, ua], i) => ids.identify(Date.UTC(2024, 4, 1, 8) + i * 1000, ip, ua, 's').id);
  };
  const first = run();
  const distinct = new Set(first).size;
  t.equal(distinct, new Set(hits.map(([ip, ua]) => `${ip}|${ua}`)).size);
  const later = clock(Date.UTC(2024, 4, 5, 12));
  t.same(new SaltStore(state, 2, new SiteCalendar('UTC'), later.now).prune(), ['2024-05-01']);
  const second = run();
  t.equal(new Set(second).size, distinct, 'same number of visitors');
  t.equal(second.filter((id) => first.includes(id)).length, 0, 'no id of the first run comes back');
});
