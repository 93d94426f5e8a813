import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ReferrerClassifier } from '../../../src/enrich/referrer.js';
import { emptyRawHit } from '../../../src/formats/types.js';
import { DEFAULT_PRIVACY, PrivacyBoundary } from '../../../src/privacy/boundary.js';
import type { CompanySource } from '../../../src/privacy/lookups.js';
import { anonHit, checked, clientNet } from '../../../src/privacy/mint.js';
import { OutputCheck } from '../../../src/privacy/output-check.js';
import { SaltStore } from '../../../src/privacy/salt.js';

const dir = mkdtempSync(join(tmpdir(), 'siftlog-output-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const check = new OutputCheck(DEFAULT_PRIVACY);
/** A company source whose data names a person: what the boundary passes on as read, the check must stop. */
const leaky: CompanySource = {
  lookup: () => ({ asn: 0, org: 'Contact jane.doe@example.com', domain: '', category: 'business', source: 'registry' }),
  lookupDomain: () => ({ asn: 0, org: '', domain: '', category: '', source: '' }),
};
const hitFrom = (company: CompanySource | null) => new PrivacyBoundary(DEFAULT_PRIVACY, new SaltStore(dir, 2), {
  geo: null, company, referrers: new ReferrerClassifier(), campaigns: true,
}).cross({ ...emptyRawHit(), clientAddress: '198.51.100.7', method: 'GET', target: '/a?utm_source=x', status: 200, userAgent: 'UA' });

t.test('a hit the boundary made from clean data passes', async (t) => {
  t.equal(check.check(hitFrom(null)), null);
});

t.test('each column is checked for what it may not hold, and named in the refusal', async (t) => {
  t.same(check.check(hitFrom(leaky)), { column: 'org', kind: 'email' }, 'data read from a lookup');
  const clean = hitFrom(null);
  t.same(check.check(anonHit({ ...clean, path: checked('/u/203.0.113.9') })), { column: 'path', kind: 'ipv4_literal' });
  t.same(check.check(anonHit({ ...clean, city: checked('2001:db8::1') })), { column: 'city', kind: 'ipv6_literal' });
  t.same(check.check(anonHit({ ...clean, query: checked('utm_source=a&sid=1') })), { column: 'query', kind: 'query_key' });
  t.same(check.check(anonHit({ ...clean, searchKeyword: checked('x&session=1') })), { column: 'search_keyword', kind: 'query_key' });
  t.same(check.check(anonHit({ ...clean, campaign: { ...clean.campaign, term: checked('bob@example.com') } })), { column: 'utm_term', kind: 'email' });
  t.same(check.check(anonHit({ ...clean, clientNet: clientNet('198.51.100.7/24') })), { column: 'client_net', kind: 'ipv4_literal' }, 'host bits set');
  t.same(check.check(anonHit({ ...clean, clientNet: clientNet('198.51.0.0/16') })), { column: 'client_net', kind: 'ipv4_literal' }, 'another prefix');
  t.equal(check.check(anonHit({ ...clean, clientNet: clientNet('2001:db8:1::/48') })), null);
});

t.test('what enrichment adds is checked by key, versions excepted from IPv4 literals', async (t) => {
  t.equal(check.checkValues({ browser: 'Firefox', browserVersion: '10.0.0.1', isBot: false }), null);
  t.same(check.checkValues({ browser: 'Firefox', botName: 'crawler from 192.0.2.1' }), { column: 'bot_name', kind: 'ipv4_literal' });
  t.same(check.checkValues({ osVersion: 'admin@example.com' }), { column: 'os_version', kind: 'email' });
  const repeated = { browser: 'x@y.example' };
  t.equal(check.checkValues(repeated), check.checkValues(repeated), 'one verdict per object');
});
