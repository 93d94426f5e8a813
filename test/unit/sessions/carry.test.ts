import t from 'tap';
import { SiteCalendar } from '../../../src/privacy/calendar.js';
import { SaltStore } from '../../../src/privacy/salt.js';
import { VisitorIds } from '../../../src/privacy/visitor-id.js';
import { tempDir } from '../../helpers/cli.js';

function salts(t: Tap.Test, zone = 'UTC'): SaltStore {
  const dir = tempDir(t, 'siftlog-carry-');
  return new SaltStore(dir, 2, new SiteCalendar(zone));
}

const utc = (d: number, h: number, m: number) => Date.UTC(2026, 10, d, h, m);

t.test('per-day ids: every request gets its own day\'s id, whatever came before', async (t) => {
  const ids = new VisitorIds(salts(t));
  const late = ids.identify(utc(30, 23, 50), '198.51.100.7', 'UA', 'site');
  const early = ids.identify(Date.UTC(2026, 11, 1, 0, 10), '198.51.100.7', 'UA', 'site');
  t.not(early.id, late.id);
  t.equal(ids.identify(Date.UTC(2026, 11, 1, 15, 0), '198.51.100.7', 'UA', 'site').id, early.id, 'one id all of 1 December');
  t.equal(ids.identify(utc(30, 9, 0), '198.51.100.7', 'UA', 'site').id, late.id, 'one id all of 30 November, asked in any order');
});

t.test('carry keys: the last and the first visit timeout of a day share one key per visitor; none in between', async (t) => {
  const ids = new VisitorIds(salts(t));
  const key = (time: number, ip = '198.51.100.7') => ids.identify(time, ip, 'UA', 'site').carryKey;
  const before = key(utc(30, 23, 30));
  t.ok(before !== null && /^\d+$/.test(before));
  t.equal(key(utc(30, 23, 59)), before);
  t.equal(key(Date.UTC(2026, 11, 1, 0, 0)), before, 'midnight itself');
  t.equal(key(Date.UTC(2026, 11, 1, 0, 29)), before);
  t.equal(key(utc(30, 23, 29)), null, '31 minutes before midnight: no visit can reach past it without another request');
  t.equal(key(Date.UTC(2026, 11, 1, 0, 30)), null, 'the first half hour is over');
  t.equal(key(utc(30, 12, 0)), null);
  t.not(key(utc(30, 23, 45), '198.51.100.8'), before, 'another visitor, another key');
  t.not(before, ids.identify(Date.UTC(2026, 11, 1, 0, 10), '198.51.100.7', 'UA', 'site').id, 'a key is not the next day\'s id');
});

t.test('carry keys follow the site\'s midnight (Europe/Berlin: 23:00 UTC in winter)', async (t) => {
  const ids = new VisitorIds(salts(t, 'Europe/Berlin'));
  const key = (time: number) => ids.identify(time, '2001:db8::1', 'UA', 'site').carryKey;
  t.equal(key(utc(30, 22, 45)), key(utc(30, 23, 15)));
  t.not(key(utc(30, 22, 45)), null);
  t.equal(key(utc(30, 23, 45)), null);
  t.equal(key(utc(30, 22, 15)), null);
});

t.test('after a resume, requests before the carry horizon get keys past the first half hour', async (t) => {
  const ids = new VisitorIds(salts(t));
  const at = Date.UTC(2026, 11, 1, 0, 50);
  t.equal(ids.identify(at, '198.51.100.7', 'UA', 'site').carryKey, null);
  ids.carryUntil(Date.UTC(2026, 11, 1, 1, 0));
  const resumed = ids.identify(at, '198.51.100.7', 'UA', 'site').carryKey;
  t.equal(resumed, ids.identify(Date.UTC(2026, 11, 1, 0, 5), '198.51.100.7', 'UA', 'site').carryKey, 'the key of that day');
  t.equal(ids.identify(Date.UTC(2026, 11, 1, 1, 0), '198.51.100.7', 'UA', 'site').carryKey, null, 'the horizon is exclusive');
});
