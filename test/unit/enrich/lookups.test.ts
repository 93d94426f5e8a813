import t from 'tap';
import { AsnLookup, ipv6Upper64 } from '../../../src/enrich/asn.js';
import { embeddedGeoFiles, GeoLookup, readGeoRecord } from '../../../src/enrich/geo.js';
import { DEFAULT_PAGE_EXTENSIONS, DEFAULT_PAGE_STATUSES, extensionOf, PageRule } from '../../../src/enrich/page.js';
import { UserAgentClassifier } from '../../../src/enrich/useragent.js';
import { ipv4ToInt, ipv6ToGroups } from '../../../src/net/address.js';
import { referrerHost } from '../../../src/privacy/referrer-host.js';

t.test('the embedded ASN registry answers for IPv4 and IPv6, reading the IPv6 table at the first IPv6 address', async (t) => {
  const asn = await AsnLookup.open();
  t.same(asn.lookupV4(ipv4ToInt('1.1.1.1')), { asn: 13335, org: 'Cloudflare, Inc.' });
  t.same(asn.lookupV4(ipv4ToInt('8.8.8.8')), { asn: 15169, org: 'Google LLC' });
  t.same(asn.lookupV4(ipv4ToInt('10.1.2.3')), { asn: 0, org: '' }, 'private space has no owner');
  t.equal(asn.ipv6Loaded, false, 'IPv4 lookups leave the IPv6 table unread');
  t.same(asn.lookupV6(ipv6Upper64(ipv6ToGroups('2001:4860:4860::8888'))), { asn: 15169, org: 'Google LLC' });
  t.equal(asn.ipv6Loaded, true);
  t.same(asn.lookupV6(ipv6Upper64(ipv6ToGroups('2606:4700:4700::1111'))), { asn: 13335, org: 'Cloudflare, Inc.' });
});

t.test('the embedded geo databases answer for IPv4 and IPv6, reading the IPv6 file at the first IPv6 address', async (t) => {
  const geo = await GeoLookup.open(embeddedGeoFiles());
  t.same(geo.lookup('83.149.9.216', 4), { country: 'RU', region: 'Moscow', city: 'Moscow' });
  t.same(geo.lookup('127.0.0.1', 4), { country: '', region: '', city: '' });
  t.equal(geo.ipv6Loaded, false, 'IPv4 lookups leave the 71 MB IPv6 file unread');
  t.equal(geo.lookup('2001:4860:4860::8888', 6).country, 'CA');
  t.equal(geo.ipv6Loaded, true);
  const eager = await GeoLookup.open({ ...embeddedGeoFiles(), lazyIpv6: false });
  t.equal(eager.ipv6Loaded, true, 'read at start when not lazy (a file a user names)');
  t.same(geo.lookup('2001:4860:4860::8888', 6), eager.lookup('2001:4860:4860::8888', 6), 'the same answer either way');
});

t.test('both record layouts are read', async (t) => {
  t.same(readGeoRecord({ country_code: 'FR', state1: 'Île-de-France', city: 'Paris' }), { country: 'FR', region: 'Île-de-France', city: 'Paris' });
  t.same(readGeoRecord({
    country: { iso_code: 'GB' }, subdivisions: [{ names: { en: 'England' } }], city: { names: { en: 'London' } },
  }), { country: 'GB', region: 'England', city: 'London' });
  t.same(readGeoRecord({ registered_country: { iso_code: 'SE' } }), { country: 'SE', region: '', city: '' });
});

t.test('user agents: browsers, desktops decided from the OS, bots and missing agents', async (t) => {
  const agents = new UserAgentClassifier(10);
  t.match(agents.classify('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'),
    { browser: 'Chrome', browserVersion: '120', os: 'Windows', osVersion: '10', deviceType: 'desktop', isBot: false, botName: '' });
  t.match(agents.classify('Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.0 Mobile/15E148 Safari/604.1'),
    { os: 'iOS', deviceType: 'tablet', isBot: false });
  t.match(agents.classify('Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'), { isBot: true, botName: 'bingbot', deviceType: 'bot' });
  t.match(agents.classify('python-requests/2.31.0'), { clientClass: 'library', isBot: false, isPerson: false, browser: 'python-requests', botName: '' });
  t.match(agents.classify(''), { isBot: true, botName: 'no user agent', deviceType: 'bot' });
  t.match(agents.classify(null), { isBot: false, botName: '', deviceType: '' });
});

t.test('referrers keep only their host', async (t) => {
  t.equal(referrerHost('https://www.Google.com/search?q=x'), 'www.google.com');
  t.equal(referrerHost('http://user:secret@example.org:8080/path'), 'example.org');
  t.equal(referrerHost('https://[2001:db8::1]:8443/x'), '[2001:db8::1]');
  t.equal(referrerHost('android-app://com.google.android.gm/'), 'com.google.android.gm');
  t.equal(referrerHost('-'), '');
  t.equal(referrerHost('not a url'), '');
});

t.test('page views are documents with a successful answer', async (t) => {
  const rule = new PageRule(DEFAULT_PAGE_EXTENSIONS, DEFAULT_PAGE_STATUSES);
  const isPageView = (path: string, status: number) => rule.isPage(path, status);
  t.equal(extensionOf('/a/b.HTML'), 'html');
  t.equal(extensionOf('/a.b/c'), '');
  t.equal(extensionOf('/.hidden'), '');
  t.ok(isPageView('/', 200));
  t.ok(isPageView('/blog/post.html', 304));
  t.notOk(isPageView('/img/logo.png', 200));
  t.notOk(isPageView('/', 301));
  t.notOk(isPageView('/missing', 404));
});

