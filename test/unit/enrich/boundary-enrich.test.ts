import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ReferrerClassifier } from '../../../src/enrich/referrer.js';
import { emptyRawHit } from '../../../src/formats/types.js';
import { DEFAULT_PRIVACY, PrivacyBoundary } from '../../../src/privacy/boundary.js';
import { SaltStore } from '../../../src/privacy/salt.js';

// The enrichment that needs the full referrer, the full request URL or headers happens while crossing.
t.test('crossing the boundary: referrer class and scrubbed keyword, campaign, language', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-boundary-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const boundary = new PrivacyBoundary({ ...DEFAULT_PRIVACY, queryAllow: [], site: 'www.example.com' }, new SaltStore(dir, 2), {
    geo: null, company: null, referrers: new ReferrerClassifier(), campaigns: true,
  });
  const raw = Object.assign(emptyRawHit(), {
    time: Date.UTC(2025, 4, 17, 10), clientAddress: '203.0.113.9', method: 'GET', protocol: 'HTTP/1.1', status: 200,
    target: '/offer?utm_source=Mail&utm_campaign=May%2010.1.2.3&token=secret',
    referrer: 'https://duckduckgo.com/?q=siftlog+from+192.0.2.44&t=h_', userAgent: 'curl/8.0', acceptLanguage: 'fr-CH, fr;q=0.9, en;q=0.8',
  });
  const anon = boundary.cross(raw);
  t.same({
    query: anon.query, referrerHost: anon.referrerHost, referrerClass: anon.referrerClass, referrerSource: anon.referrerSource,
    searchKeyword: anon.searchKeyword, campaign: anon.campaign, language: anon.language, org: anon.org, orgCategory: anon.orgCategory,
  }, {
    query: '', referrerHost: 'duckduckgo.com', referrerClass: 'search', referrerSource: 'DuckDuckGo',
    searchKeyword: 'siftlog from {address}',
    campaign: { source: 'mail', medium: '', campaign: 'may {address}', term: '', content: '' },
    language: 'fr', org: '', orgCategory: '',
  }, 'campaigns are read even when the allow-list keeps no query keys; addresses in them are scrubbed');

  raw.referrer = '';
  raw.target = '/';
  raw.acceptLanguage = '';
  const plain = boundary.cross(raw);
  t.same([plain.referrerClass, plain.searchKeyword, plain.language], ['direct', '', '']);
  t.equal(plain.campaign.source, '');
});
