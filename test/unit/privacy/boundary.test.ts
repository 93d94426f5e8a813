import { ReferrerClassifier } from '../../../src/enrich/referrer.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { GeoLookup } from '../../../src/enrich/geo.js';
import { emptyRawHit } from '../../../src/formats/types.js';
import { normaliseAddress, truncateAddress } from '../../../src/privacy/address.js';
import { DEFAULT_PRIVACY, PrivacyBoundary } from '../../../src/privacy/boundary.js';
import { SaltStore } from '../../../src/privacy/salt.js';

t.test('client fields in every shape normalise to one address', async (t) => {
  t.same(normaliseAddress('203.0.113.7:51234'), { ip: '203.0.113.7', family: 4 });
  t.same(normaliseAddress('::FFFF:203.0.113.7'), { ip: '203.0.113.7', family: 4 });
  t.same(normaliseAddress('[2001:DB8::7]:443'), { ip: '2001:db8::7', family: 6 });
  t.same(normaliseAddress('203.0.113.7, 10.0.0.1'), { ip: '203.0.113.7', family: 4 }, 'X-Forwarded-For: the original client');
  t.same(normaliseAddress('2001:db8::7,198.51.100.1'), { ip: '2001:db8::7', family: 6 });
  t.same(normaliseAddress('in24.inetnebr.com'), { ip: null, family: 0 });
});

t.test('truncation levels', async (t) => {
  const v4 = normaliseAddress('203.0.113.77');
  t.equal(truncateAddress(v4, 24, 48), '203.0.113.0/24');
  t.equal(truncateAddress(v4, 16, 48), '203.0.0.0/16');
  t.equal(truncateAddress(v4, 8, 48), '203.0.0.0/8');
  const v6 = normaliseAddress('2001:db8:abcd:12:1:2:3:4');
  t.equal(truncateAddress(v6, 24, 48), '2001:db8:abcd::/48');
  t.equal(truncateAddress(v6, 24, 32), '2001:db8::/32');
});

t.test('only the anonymous fields cross; lookups see the full or the truncated address', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-boundary-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const seen: string[] = [];
  const geo = { lookup: (ip: string) => { seen.push(ip); return { country: 'DE', region: '', city: '' }; } } as unknown as GeoLookup;
  const raw = {
    ...emptyRawHit(), time: Date.UTC(2024, 4, 1, 12), clientAddress: '198.51.100.77:4431', remoteUser: 'frank', method: 'GET',
    target: '/u/frank@example.com?utm_source=x&session=s3cr3t', protocol: 'HTTP/1.1', status: 200, bytes: 10,
    referrer: 'https://frank:pw@www.google.de/search?q=frank%40example.com&sid=1', userAgent: 'UA', vhost: '',
  };
  const full = new PrivacyBoundary(DEFAULT_PRIVACY, new SaltStore(dir, 2), { geo, company: null, referrers: new ReferrerClassifier(), campaigns: true });
  const hit = full.cross(raw, 'site');
  t.same({ ...hit, visitorId: typeof hit.visitorId }, {
    time: raw.time, site: 'site', method: 'GET', path: '/u/{email}', query: 'utm_source=x', protocol: 'HTTP/1.1', status: 200,
    bytes: 10, referrerHost: 'www.google.de', userAgent: 'UA', visitorId: 'string',
    clientNet: '198.51.100.0/24', country: 'DE', region: '', city: '', asn: 0, org: '', orgDomain: '', orgCategory: '',
    orgSource: '', referrerClass: 'search', referrerSource: 'Google', searchKeyword: '{email}',
    campaign: { source: 'x', medium: '', campaign: '', term: '', content: '' }, language: '', durationMs: null, email: null, carryKey: null,
  });
  t.notOk(JSON.stringify(hit).includes('frank'), 'the remote user and user info are gone');
  const truncated = new PrivacyBoundary({ ...DEFAULT_PRIVACY, lookupOn: 'truncated' }, new SaltStore(dir, 2), { geo, company: null, referrers: new ReferrerClassifier(), campaigns: true });
  truncated.cross(raw, 'site');
  t.same(seen, ['198.51.100.77', '198.51.100.0'], 'lookup_on: truncated looks up the network address');
});
