import t from 'tap';
import { ClfParser } from '../../../src/formats/clf.js';
import { parseClfTime } from '../../../src/formats/clf-time.js';
import { TrustedProxies } from '../../../src/formats/client.js';
import { emptyRawHit } from '../../../src/formats/types.js';

const combined = new ClfParser(true);
const common = new ClfParser(false);

t.test('combined line yields every field', async (t) => {
  const hit = emptyRawHit();
  const line = '83.149.9.216 - frank [17/May/2015:10:05:03 +0200] "GET /a/b?x=1 HTTP/1.1" 200 203023 "http://semicomplete.com/" "Mozilla/5.0 (X11)"';
  t.equal(combined.parse(line, hit), null);
  t.same(hit, {
    time: Date.UTC(2015, 4, 17, 8, 5, 3), clientAddress: '83.149.9.216', remoteUser: 'frank', method: 'GET',
    target: '/a/b?x=1', protocol: 'HTTP/1.1', status: 200, bytes: 203023, referrer: 'http://semicomplete.com/',
    userAgent: 'Mozilla/5.0 (X11)', vhost: '', durationMs: -1, forwardedFor: '', acceptLanguage: '',
  });
  t.equal(combined.lastRepair, null);
});

t.test('a user name with spaces is the user field, not a virtual host in front of the client', async (t) => {
  const hit = emptyRawHit();
  const rest = '[17/May/2015:16:05:14 +0000] "GET /x HTTP/1.1" 200 337 "-" "Mozilla/5.0"';
  for (const [prefix, user] of [['92.63.172.59 - john doe', 'john doe'], ['92.63.172.59 - john m doe', 'john m doe'], ['92.63.172.59 -  ', ' ']]) {
    t.equal(combined.parse(`${prefix} ${rest}`, hit), null, prefix);
    t.same([hit.vhost, hit.clientAddress, hit.remoteUser], ['', '92.63.172.59', user], prefix);
  }
  t.equal(combined.parse(`www.example.com 92.63.172.59 - john doe ${rest}`, hit), null);
  t.same([hit.vhost, hit.clientAddress, hit.remoteUser], ['www.example.com', '92.63.172.59', 'john doe'], 'after a virtual host too');
  t.equal(new ClfParser(true, true).parse(`www.example.com - - - ${rest}`, hit), 'not_access_log', 'a virtual host needs a client after it');
});

t.test('a leading virtual host with port is read as the site', async (t) => {
  const hit = emptyRawHit();
  t.equal(combined.parse('www.example.com:443 2001:db8::1 - - [01/Jan/2024:00:00:00 -0500] "HEAD / HTTP/2.0" 301 - "-" "-"', hit), null);
  t.equal(hit.vhost, 'www.example.com');
  t.equal(hit.clientAddress, '2001:db8::1');
  t.equal(hit.time, Date.UTC(2024, 0, 1, 5));
  t.equal(hit.bytes, 0);
  t.equal(hit.referrer, '');
  t.equal(hit.userAgent, '', 'a "-" agent is an empty agent, not a missing field');
});

t.test('common lines have no agent field at all', async (t) => {
  const hit = emptyRawHit();
  t.equal(common.parse('in24.inetnebr.com - - [01/Aug/1995:00:00:01 -0400] "GET /shuttle/missions/sts-68/news/sts-68-mcc-05.txt HTTP/1.0" 200 1839', hit), null);
  t.equal(hit.clientAddress, 'in24.inetnebr.com');
  t.equal(hit.userAgent, null);
  t.equal(hit.time, Date.UTC(1995, 7, 1, 4, 0, 1));
});

t.test('escaped quotes stay inside their field', async (t) => {
  const hit = emptyRawHit();
  t.equal(combined.parse('1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET /q?\\"x\\" HTTP/1.1" 200 1 "-" "agent \\"quoted\\""', hit), null);
  t.equal(hit.target, '/q?\\"x\\"');
  t.equal(hit.userAgent, 'agent \\"quoted\\"');
});

t.test('an unterminated user agent is kept and reported as a repair', async (t) => {
  const hit = emptyRawHit();
  t.equal(combined.parse('46.118.127.106 - - [20/May/2015:12:05:17 +0000] "GET /x HTTP/1.1" 200 10 "-" "Mozilla/5.0 (Windows', hit), null);
  t.equal(hit.userAgent, 'Mozilla/5.0 (Windows');
  t.equal(combined.lastRepair, 'unterminated_quote');
});

t.test('rejections name their reason', async (t) => {
  const hit = emptyRawHit();
  t.equal(combined.parse('', hit), 'empty_line');
  t.equal(combined.parse('just some text', hit), 'not_access_log');
  t.equal(combined.parse('1.2.3.4 - - [32/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 1', hit), 'bad_timestamp');
  t.equal(combined.parse('1.2.3.4 - - [17/May/2015:10:05:03 +0000] "-" 400 0 "-" "-"', hit), 'bad_request_line');
  t.equal(combined.parse('1.2.3.4 - - [17/May/2015:10:05:03 +0000] "\\x16\\x03\\x01" 400 0 "-" "-"', hit), 'bad_request_line');
  t.equal(combined.parse('1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 2000 1', hit), 'bad_status');
  t.equal(combined.parse('1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 12x', hit), 'bad_bytes');
  t.equal(combined.parse('/sts-71/sts-71-patch-small.gif HTTP/1.0" 200 12054', hit), 'not_access_log');
});

t.test('time parsing handles offsets and rejects impossible dates', async (t) => {
  t.equal(parseClfTime('10/Oct/2000:13:55:36 -0700'), Date.UTC(2000, 9, 10, 20, 55, 36));
  t.equal(parseClfTime('22/Jan/2019:03:56:14 +0330'), Date.UTC(2019, 0, 22, 0, 26, 14));
  t.ok(Number.isNaN(parseClfTime('31/Feb/2019:03:56:14 +0000')));
  t.ok(Number.isNaN(parseClfTime('10/Foo/2000:13:55:36 -0700')));
  t.ok(Number.isNaN(parseClfTime('10/Oct/2000:13:55:36')));
});

t.test('a client field holding a list of addresses: the right-most is the peer, the rest X-Forwarded-For', async (t) => {
  const hit = emptyRawHit();
  const rest = '- jo [03/Feb/2020:04:05:06 +0000] "GET /p?a=b HTTP/1.1" 200 42 "-" "UA/1"';
  t.equal(combined.parse(`198.51.100.20, 10.1.0.3 ${rest}`, hit), null, '$proxy_add_x_forwarded_for in place of $remote_addr');
  t.same([hit.clientAddress, hit.forwardedFor, hit.vhost, hit.remoteUser, hit.target, hit.status], ['10.1.0.3', '198.51.100.20', '', 'jo', '/p?a=b', 200]);
  t.equal(combined.parse(`"198.51.100.20, 203.0.113.7" 10.1.0.3 ${rest}`, hit), null, 'X-Forwarded-For quoted in front of the peer');
  t.same([hit.clientAddress, hit.forwardedFor], ['10.1.0.3', '198.51.100.20, 203.0.113.7']);
  t.equal(combined.parse(`2001:db8:5::9, 10.1.0.4 10.1.0.3 ${rest}`, hit), null, 'unquoted, the peer after a space');
  t.same([hit.clientAddress, hit.forwardedFor], ['10.1.0.3', '2001:db8:5::9, 10.1.0.4']);
  t.equal(combined.parse(`198.51.100.20,10.1.0.3 ${rest}`, hit), null, 'no space after the comma');
  t.same([hit.clientAddress, hit.forwardedFor], ['10.1.0.3', '198.51.100.20']);
  t.equal(combined.parse(`"-" 10.1.0.3 ${rest}`, hit), null, 'a quoted "-": no X-Forwarded-For header');
  t.same([hit.clientAddress, hit.forwardedFor, hit.vhost], ['10.1.0.3', '', '']);
  t.equal(combined.parse(`shop.example.net:443 198.51.100.20, 10.1.0.3 ${rest}`, hit), null, 'after a virtual host');
  t.same([hit.vhost, hit.clientAddress, hit.forwardedFor], ['shop.example.net', '10.1.0.3', '198.51.100.20']);
  t.equal(combined.parse(`203.0.113.1 ${rest}`, hit), null);
  t.equal(hit.forwardedFor, '', 'a single address leaves no X-Forwarded-For behind from the line before');
});

t.test('a client list is resolved with trusted_proxies like X-Forwarded-For', async (t) => {
  const parser = new ClfParser(true, false, new TrustedProxies(['10.0.0.0/8']));
  const hit = emptyRawHit();
  const rest = '- - [03/Feb/2020:04:05:06 +0000] "GET / HTTP/1.1" 200 42 "-" "UA/1"';
  t.equal(parser.parse(`192.0.2.66, 198.51.100.20, 10.2.0.1 10.1.0.3 ${rest}`, hit), null);
  t.equal(hit.clientAddress, '198.51.100.20', 'the right-most untrusted entry, not the left-most the client may have written');
  t.equal(parser.parse(`10.9.9.9, 10.1.0.3 ${rest}`, hit), null);
  t.equal(hit.clientAddress, '10.9.9.9', 'all trusted: the left-most');
  t.equal(parser.parse(`198.51.100.20, 203.0.113.5 ${rest}`, hit), null);
  t.equal(hit.clientAddress, '203.0.113.5', 'an untrusted peer is the client');
});

t.test('what is not a list of addresses is still rejected', async (t) => {
  const hit = emptyRawHit();
  const rest = '- - [03/Feb/2020:04:05:06 +0000] "GET / HTTP/1.1" 200 42';
  t.equal(common.parse(`some words here ${rest}`, hit), 'not_access_log', 'spaces without a comma or quote are no list');
  t.equal(common.parse(`198.51.100.20, <b>x</b> ${rest}`, hit), 'not_access_log', 'characters no address has');
  t.equal(common.parse(`198.51.100.20, - ${rest}`, hit), 'not_access_log', 'no peer');
  t.equal(new ClfParser(false, true).parse(`198.51.100.20, 10.1.0.3 ${rest}`, hit), 'not_access_log', 'vhost presets need the virtual host');
});
