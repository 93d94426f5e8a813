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

t.test('without the sessions hook the boundary keeps the legacy ids and gives no carry keys', async (t) => {
  const store = salts(t);
  const legacy = new PrivacyBoundary({ ...DEFAULT_PRIVACY, site: 's' }, store, lookups);
  const perDay = new PrivacyBoundary({ ...DEFAULT_PRIVACY, site: 's' }, store, lookups, { sessions: { visitTimeoutMs: 30 * 60_000 } });
  const raw = (time: number) => Object.assign(emptyRawHit(), { time, clientAddress: '203.0.113.9', method: 'GET', target: '/', status: 200, userAgent: 'UA' });
  const late = Date.UTC(2026, 10, 30, 23, 50);
  const early = Date.UTC(2026, 11, 1, 0, 10);
  t.same([legacy.cross(raw(late)).carryKey, legacy.cross(raw(early)).carryKey], [null, null]);
  t.equal(legacy.cross(raw(early)).visitorId, legacy.cross(raw(late)).visitorId, 'legacy: the visit keeps yesterday\'s id');
  const before = perDay.cross(raw(late));
  const after = perDay.cross(raw(early));
  t.not(after.visitorId, before.visitorId, 'per day: each request its day\'s id');
  t.equal(after.carryKey, before.carryKey, 'and one carry key on both sides of midnight');
});
