import t from 'tap';
import { ReferrerClassifier } from '../../../src/enrich/referrer.js';
import { emptyRawHit } from '../../../src/formats/types.js';
import { DEFAULT_PRIVACY, PrivacyBoundary } from '../../../src/privacy/boundary.js';
import { SaltStore } from '../../../src/privacy/salt.js';
import { tempDir } from '../../helpers/cli.js';

const lookups = { geo: null, company: null, referrers: new ReferrerClassifier(), campaigns: true };

function salts(t: Tap.Test): SaltStore {
  const dir = tempDir(t, 'siftlog-hooks-');
  return new SaltStore(dir, 2);
}

t.test('response time crosses the boundary as logged; a format without one says null, never 0', async (t) => {
  const boundary = new PrivacyBoundary({ ...DEFAULT_PRIVACY, site: 's' }, salts(t), lookups);
  const raw = Object.assign(emptyRawHit(), { time: Date.UTC(2026, 10, 30, 8), clientAddress: '203.0.113.9', method: 'GET', target: '/', status: 200 });
  const duration = (ms: number) => boundary.cross({ ...raw, durationMs: ms }).durationMs;
  t.same([duration(-1), duration(0), duration(12.5), duration(4200), duration(Number.NaN)], [null, 0, 12.5, 4200, null]);
});

t.test('visitor ids are per day with carry keys, with or without the sessions hook (its timeout sets the carry reach)', async (t) => {
  const store = salts(t);
  const plain = new PrivacyBoundary({ ...DEFAULT_PRIVACY, site: 's' }, store, lookups);
  const short = new PrivacyBoundary({ ...DEFAULT_PRIVACY, site: 's' }, store, lookups, { sessions: { visitTimeoutMs: 5 * 60_000 } });
  const raw = (time: number) => Object.assign(emptyRawHit(), { time, clientAddress: '203.0.113.9', method: 'GET', target: '/', status: 200, userAgent: 'UA' });
  const late = Date.UTC(2026, 10, 30, 23, 50);
  const early = Date.UTC(2026, 11, 1, 0, 10);
  const before = plain.cross(raw(late));
  const after = plain.cross(raw(early));
  t.not(after.visitorId, before.visitorId, 'each request its day\'s id (was: the legacy ids kept yesterday\'s)');
  t.ok(after.carryKey !== null && after.carryKey === before.carryKey, 'and one carry key on both sides of midnight');
  t.equal(short.cross(raw(late)).visitorId, before.visitorId, 'the same ids with another timeout');
  t.same([short.cross(raw(late)).carryKey, short.cross(raw(early)).carryKey], [null, null], 'ten minutes from midnight is past a 5-minute timeout');
});
