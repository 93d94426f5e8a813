import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { OrgClassifier } from '../../../src/enrich/category.js';
import { CompanyLookup } from '../../../src/enrich/company.js';
import { ReferrerClassifier } from '../../../src/enrich/referrer.js';
import { emptyRawHit, type RawHit } from '../../../src/formats/types.js';
import { DEFAULT_PRIVACY, PrivacyBoundary, type PrivacyConfig } from '../../../src/privacy/boundary.js';
import type { GeoSource, NetworkLookups } from '../../../src/privacy/lookups.js';
import { SaltStore } from '../../../src/privacy/salt.js';

const dir = mkdtempSync(join(tmpdir(), 'siftlog-boundary-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const salts = new SaltStore(dir, 2);
const germany: GeoSource = { lookup: () => ({ country: 'DE', region: '', city: '' }) };
const companies = new CompanyLookup({ registry: null, mmdb: null, asn: null, classifier: new OrgClassifier() });
const lookups = (more: Partial<NetworkLookups> = {}): NetworkLookups => ({
  geo: germany, company: companies, referrers: new ReferrerClassifier(), campaigns: true, ...more,
});
const boundary = (config: Partial<PrivacyConfig> = {}, more: Partial<NetworkLookups> = {}) =>
  new PrivacyBoundary({ ...DEFAULT_PRIVACY, site: 'site', ...config }, salts, lookups(more));
const raw = (fields: Partial<RawHit>): RawHit => ({
  ...emptyRawHit(), time: Date.UTC(2024, 4, 1, 12), clientAddress: '198.51.100.77', method: 'GET', target: '/', protocol: 'HTTP/1.1',
  status: 200, bytes: 10, userAgent: 'UA', ...fields,
});

t.test('only the anonymous fields cross; lookups see the full or the truncated address', async (t) => {
  const seen: string[] = [];
  const geo: GeoSource = { lookup: (ip) => { seen.push(ip); return { country: 'DE', region: '', city: '' }; } };
  const line = raw({
    clientAddress: '198.51.100.77:4431', remoteUser: 'frank', target: '/u/frank@example.com?utm_source=x&session=s3cr3t',
    referrer: 'https://frank:pw@www.google.de/search?q=frank%40example.com&sid=1',
  });
  const hit = boundary({}, { geo, company: null }).cross(line);
  t.same({ ...hit, visitorId: typeof hit.visitorId }, {
    time: line.time, site: 'site', method: 'GET', path: '/u/{email}', query: 'utm_source=x', protocol: 'HTTP/1.1', status: 200,
    bytes: 10, referrerHost: 'www.google.de', userAgent: 'UA', visitorId: 'string',
    clientNet: '198.51.100.0/24', country: 'DE', region: '', city: '', asn: 0, org: '', orgDomain: '', orgCategory: '',
    orgSource: '', referrerClass: 'search', referrerSource: 'Google', searchKeyword: '{email}',
    campaign: { source: 'x', medium: '', campaign: '', term: '', content: '' }, language: '', durationMs: null, email: null, carryKey: null,
  });
  t.notOk(JSON.stringify(hit).includes('frank'), 'the remote user and user info are gone');
  boundary({ lookupOn: 'truncated' }, { geo, company: null }).cross(line);
  t.same(seen, ['198.51.100.77', '198.51.100.0'], 'lookup_on: truncated looks up the network address');
});

t.test('every form of one address is one client: the same network and visitor', async (t) => {
  const b = boundary();
  const forms = ['92.63.172.59', '92.63.172.59:5678', '::ffff:92.63.172.59', '[::ffff:5c3f:ac3b]:443', '1547676731', '0x5c3fac3b',
    '92.63.172.59, 10.0.0.1'];
  const hits = forms.map((clientAddress) => b.cross(raw({ clientAddress })));
  t.same(new Set(hits.map((h) => h.clientNet)), new Set(['92.63.172.0/24']));
  t.equal(new Set(hits.map((h) => h.visitorId)).size, 1, forms.join(' | '));
  const v6 = ['2001:db8:85a3::8a2e:370:7334', '2001:0DB8:85A3:0000:0000:8A2E:0370:7334', '[2001:db8:85a3::8a2e:370:7334]:443']
    .map((clientAddress) => b.cross(raw({ clientAddress })));
  t.same(new Set(v6.map((h) => h.clientNet)), new Set(['2001:db8:85a3::/48']));
});

t.test('the site is a host name under a public suffix or a configured name, never an address', async (t) => {
  const b = boundary({ site: 'www.example.com', siteHosts: ['intranet'] });
  const siteOf = (vhost: string) => b.cross(raw({ vhost })).site;
  t.equal(siteOf(''), 'www.example.com', 'no virtual host: the configured site');
  t.equal(siteOf('Shop.Example.CO.UK.'), 'shop.example.co.uk', 'a host name, lower case, without the root dot');
  t.equal(siteOf('intranet'), 'intranet', 'a configured name whatever its suffix');
  for (const vhost of ['92.63.172.59', '1547676731', '0x5c3fac3b', '2001:db8::1', '[2001:db8::1]', '92.63.172.59.nip.io',
    'host-92-63-172-59.example.net', 'john.doe@example.com', 'john doe', 'john.doe', 'printer.local', 'com']) {
    t.equal(siteOf(vhost), 'www.example.com', `${vhost} is not a site`);
  }
});

t.test('clients logged by host name: organisation and country from the name, which does not cross', async (t) => {
  const b = boundary();
  const cross = (clientAddress: string) => b.cross(raw({ clientAddress }));
  const described = (clientAddress: string) => {
    const h = cross(clientAddress);
    return [h.clientNet, h.country, h.org, h.orgDomain, h.orgCategory, h.orgSource];
  };
  t.same(described('gw.bigcorp.com'), ['', '', 'bigcorp.com', 'bigcorp.com', 'unknown', 'hostname']);
  t.same(described('rainbow.mts.chiba-u.ac.jp'), ['', 'JP', 'chiba-u.ac.jp', 'chiba-u.ac.jp', 'education', 'hostname']);
  t.same(described('mail.ministry.gouv.fr'), ['', 'FR', 'ministry.gouv.fr', 'ministry.gouv.fr', 'government', 'hostname']);
  t.same(described('www.brighton.ac.uk'), ['', 'GB', 'brighton.ac.uk', 'brighton.ac.uk', 'education', 'hostname'], '.uk is GB');
  t.same(described('cherry.hip.berkeley.edu'), ['', 'US', 'berkeley.edu', 'berkeley.edu', 'education', 'hostname'], '.edu is US');
  for (const [name, domain] of [['dialup-2-139.gw.umn.edu', 'umn.edu'], ['pool-71-104-5-9.nycmny.fios.verizon.net', 'verizon.net'],
    ['c-73-22-11-5.hsd1.ma.comcast.net', 'comcast.net'], ['p5B0C7E1F.dip0.t-ipconnect.de', 't-ipconnect.de'],
    ['pm9.j51.com', 'j51.com'], ['ppp3_069.bekkoame.or.jp', 'bekkoame.or.jp'], ['cpe-66-24-1-2.twcny.res.rr.com', 'rr.com']]) {
    const h = cross(name);
    t.same([h.org, h.orgDomain, h.orgCategory], [domain, '', 'isp'], `${name}: an access line, its provider without a domain`);
  }
  t.same(described('intranet-pc7'), ['', '', '', '', '', ''], 'a name under no public suffix says nothing');
  t.same(described('unknown'), ['', '', '', '', '', '']);
  t.equal(cross('GW.BigCorp.com').visitorId, cross('gw.bigcorp.com').visitorId, 'the name keys the visitor, in any case');
  t.not(cross('gw.bigcorp.com').visitorId, cross('gw2.bigcorp.com').visitorId);
  t.notOk(JSON.stringify(cross('gw.bigcorp.com')).includes('gw.'), 'the name itself does not cross');
  const off = boundary({}, { geo: null, company: null }).cross(raw({ clientAddress: 'www.tu-ilmenau.de' }));
  t.same([off.country, off.org], ['', ''], 'geo and company off: nothing from the name either');
});

t.test('query pairs glued on with "&" are dropped wherever they are', async (t) => {
  const b = boundary({ queryAllow: ['utm_*', 'page'] });
  const hit = b.cross(raw({
    target: '/search&session=abc123&page=2?utm_source=a?email=x&utm_medium=b',
    referrer: 'https://www.google.com&page=5&q=x', userAgent: 'curl/8.0',
  }));
  t.equal(hit.path, '/search&page=2', 'unlisted pairs in the path are dropped, listed ones kept');
  t.equal(hit.query, 'utm_source=a&utm_medium=b', 'a "?" inside the query separates pairs too');
  t.equal(hit.referrerHost, 'www.google.com', 'a host ends where host characters end');
  const keyword = b.cross(raw({ referrer: 'https://duckduckgo.com/?q=shoes%26session%3Dabc&t=h_' }));
  t.equal(keyword.searchKeyword, 'shoes', 'a decoded keyword loses its pairs too');
  const campaign = b.cross(raw({ target: '/?utm_source=news%26token%3Dabc' }));
  t.equal(campaign.campaign.source, 'news');
});

t.test('method and protocol are tokens; user agents lose e-mails and addresses only', async (t) => {
  const b = boundary();
  const hit = b.cross(raw({ method: 'G{E}T', protocol: 'HTTP/1.1 x', userAgent: 'curl/8.0 (admin@example.com; from 10.1.2.3) Build/RQ3A.211001.001' }));
  t.same([hit.method, hit.protocol], ['{invalid}', '{invalid}']);
  t.equal(hit.userAgent, 'curl/8.0 ({email}; from {address}) Build/RQ3A.211001.001');
  t.same([b.cross(raw({ method: 'M-SEARCH', protocol: 'HTTP/2.0' })).method, b.cross(raw({ protocol: 'HTTP/2.0' })).protocol], ['M-SEARCH', 'HTTP/2.0']);
});

t.test('a product version shaped like an address (reduced Chrome agents) is a version, an address elsewhere in the agent is not', async (t) => {
  const b = boundary();
  const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
  t.equal(b.cross(raw({ userAgent: chrome })).userAgent, chrome);
  const edge = `${chrome} Edg/126.0.0.0`;
  t.equal(b.cross(raw({ userAgent: edge })).userAgent, edge);
  t.equal(b.cross(raw({ userAgent: 'probe/1.0 (+http://203.0.113.5/about) via 198.51.100.7' })).userAgent, 'probe/1.0 (+http://{address}/about) via {address}');
  t.equal(b.cross(raw({ userAgent: 'agent 10.1.2.3/24 (ip=198.51.100.7)' })).userAgent, 'agent {address}/24 (ip={address})');
});
