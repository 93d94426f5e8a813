import t from 'tap';
import { TrustedProxies } from '../../../src/formats/client.js';
import { CompiledParser } from '../../../src/formats/compiled.js';
import { parseApacheFormat, parseNginxFormat } from '../../../src/formats/format-string.js';
import { findPreset } from '../../../src/formats/presets.js';
import { emptyRawHit } from '../../../src/formats/types.js';

const nginxTimed = new CompiledParser('custom', parseNginxFormat(
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time $upstream_response_time "$http_x_forwarded_for" $host',
));

t.test('an nginx format with timings, X-Forwarded-For and host yields every field', async (t) => {
  const hit = emptyRawHit();
  const line = '2001:db8::7 - alice [22/Jan/2019:03:56:14 +0330] "GET /a?b=1 HTTP/2.0" 404 0 "https://ref.example/" "curl/8.0" 0.250 0.249 "198.51.100.1, 10.0.0.1" shop.example:8443';
  t.equal(nginxTimed.parse(line, hit), null);
  t.same(hit, {
    time: Date.UTC(2019, 0, 22, 0, 26, 14), clientAddress: '2001:db8::7', remoteUser: 'alice', method: 'GET', target: '/a?b=1',
    protocol: 'HTTP/2.0', status: 404, bytes: 0, referrer: 'https://ref.example/', userAgent: 'curl/8.0', vhost: 'shop.example',
    durationMs: 250, forwardedFor: '198.51.100.1, 10.0.0.1', acceptLanguage: '',
  });
  t.equal(nginxTimed.lastRepair, null);
});

t.test('"-" values are missing values', async (t) => {
  const hit = emptyRawHit();
  t.equal(nginxTimed.parse('1.2.3.4 - - [22/Jan/2019:03:56:14 +0000] "GET / HTTP/1.1" 200 - "-" "-" - - "-" -', hit), null);
  t.equal(hit.remoteUser, '');
  t.equal(hit.bytes, 0);
  t.equal(hit.referrer, '');
  t.equal(hit.userAgent, '');
  t.equal(hit.durationMs, -1);
  t.equal(hit.forwardedFor, '');
  t.equal(hit.vhost, '');
});

t.test('trusted proxies: the client is the right-most untrusted X-Forwarded-For address', async (t) => {
  const parser = new CompiledParser('custom', parseNginxFormat('$remote_addr [$time_local] "$request" $status "$http_x_forwarded_for"'),
    new TrustedProxies(['10.0.0.0/8']));
  const hit = emptyRawHit();
  t.equal(parser.parse('10.0.0.2 [22/Jan/2019:03:56:14 +0000] "GET / HTTP/1.1" 200 "192.0.2.66, 198.51.100.1, 10.0.0.1"', hit), null);
  t.equal(hit.clientAddress, '198.51.100.1', 'the spoofable left-most entry is not believed');
  t.equal(parser.parse('203.0.113.5 [22/Jan/2019:03:56:14 +0000] "GET / HTTP/1.1" 200 "198.51.100.1"', hit), null);
  t.equal(hit.clientAddress, '203.0.113.5', 'an untrusted peer is the client whatever it forwards');
});

t.test('Apache %D is microseconds and %u/%l are read around the time brackets', async (t) => {
  const parser = new CompiledParser('custom', parseApacheFormat('%h %l %u %t \\"%r\\" %>s %b %D'));
  const hit = emptyRawHit();
  t.equal(parser.parse('192.0.2.1 - bob [10/Oct/2000:13:55:36 -0700] "POST /login HTTP/1.0" 302 - 1500', hit), null);
  t.equal(hit.remoteUser, 'bob');
  t.equal(hit.durationMs, 1.5);
  t.equal(hit.time, Date.UTC(2000, 9, 10, 20, 55, 36));
});

t.test('load-balancer presets: absolute request URLs give the site and path; ports are dropped', async (t) => {
  const alb = findPreset('alb')!.create({ proxies: null });
  const hit = emptyRawHit();
  t.equal(alb.parse('h2 2020-01-01T00:55:04.127531Z app/my-alb/abc [2001:db8::5]:2817 10.0.0.1:80 0.001 0.102 0.000 200 200 225 24950 "GET https://www.example.com:443/p/i.html?q=1 HTTP/2.0" "UA x" ECDHE TLSv1.2 - "Root" "www.example.com" "-" 0 2020-01-01T00:55:04.023000Z "forward" "-" "-" "10.0.0.1:80" "200"', hit), null);
  t.same([hit.clientAddress, hit.vhost, hit.target, hit.time, hit.durationMs, hit.bytes, hit.userAgent],
    ['2001:db8::5', 'www.example.com', '/p/i.html?q=1', Date.UTC(2020, 0, 1, 0, 55, 4, 127), 102, 24950, 'UA x']);
  const elb = findPreset('elb')!.create({ proxies: null });
  t.equal(elb.parse('2015-05-13T23:39:43.945958Z my-lb 192.0.2.39:2817 10.0.0.1:80 0.001069 0.000028 0.000041 - - 82 305 "- - - " "-" - -', hit), 'non_http_record');
});

t.test('HAProxy: syslog prefix, client:port, millisecond accept date', async (t) => {
  const haproxy = findPreset('haproxy')!.create({ proxies: null });
  const hit = emptyRawHit();
  t.equal(haproxy.parse('Sep 25 06:05:27 lb1 haproxy[6801]: 4.3.2.1:55008 [25/Sep/2018:06:05:27.584] ft_https~ bk_https/abc 0/0/0/72/72 200 7456 - - ---- 5/4/0/1/0 0/0 {example.com} "POST /user/?a=1 HTTP/1.1"', hit), null);
  t.same([hit.clientAddress, hit.time, hit.method, hit.target, hit.status, hit.bytes], ['4.3.2.1', Date.UTC(2018, 8, 25, 6, 5, 27, 584), 'POST', '/user/?a=1', 200, 7456]);
});

t.test('rejections name their reason', async (t) => {
  const hit = emptyRawHit();
  t.equal(nginxTimed.parse('', hit), 'empty_line');
  t.equal(nginxTimed.parse('1.2.3.4 - - [22/Jan/2019:03:56:14 +0000] "GET / HTTP/1.1"', hit), 'not_access_log');
  t.equal(nginxTimed.parse('1.2.3.4 - - [22/Jan/2019:03:56:14] "GET / HTTP/1.1" 200 1 "-" "-" - - "-" -', hit), 'bad_timestamp');
  t.equal(nginxTimed.parse('1.2.3.4 - - [22/Jan/2019:03:56:14 +0000] "\\x16\\x03\\x01" 400 1 "-" "-" - - "-" -', hit), 'bad_request_line');
  t.equal(nginxTimed.parse('1.2.3.4 - - [22/Jan/2019:03:56:14 +0000] "GET / HTTP/1.1" 20 1 "-" "-" - - "-" -', hit), 'bad_status');
  t.equal(nginxTimed.parse('1.2.3.4 - - [22/Jan/2019:03:56:14 +0000] "GET / HTTP/1.1" 200 1k "-" "-" - - "-" -', hit), 'bad_bytes');
  t.equal(nginxTimed.parse('- - - [22/Jan/2019:03:56:14 +0000] "GET / HTTP/1.1" 200 1 "-" "-" - - "-" -', hit), 'missing_field');
});

t.test('a line cut inside the agent keeps what it has and reports the repair', async (t) => {
  const hit = emptyRawHit();
  t.equal(nginxTimed.parse('1.2.3.4 - - [22/Jan/2019:03:56:14 +0000] "GET / HTTP/1.1" 200 1 "-" "Mozilla/5.0 (Win', hit), null);
  t.equal(hit.userAgent, 'Mozilla/5.0 (Win');
  t.equal(nginxTimed.lastRepair, 'unterminated_quote');
});

t.test('a format without a time or status cannot be compiled', async (t) => {
  t.throws(() => new CompiledParser('x', parseNginxFormat('$remote_addr "$request"')), { message: 'the format has no field for a time ($time_local / %t), the status ($status / %>s)' });
});

t.test('IIS native: comma-separated, date and time of day in separate fields, path and query apart', async (t) => {
  const iis = findPreset('iis_native')!.create({ proxies: null });
  const hit = emptyRawHit();
  t.equal(iis.parse('192.168.114.201, -, 03/20/98, 7:55:20, W3SVC2, SALES1, 172.21.13.45, 4502, 163, 3223, 200, 0, GET, /DeptLogo.gif, a=1,', hit), null);
  t.same([hit.clientAddress, hit.time, hit.durationMs, hit.bytes, hit.status, hit.method, hit.target],
    ['192.168.114.201', Date.UTC(1998, 2, 20, 7, 55, 20), 4502, 3223, 200, 'GET', '/DeptLogo.gif?a=1']);
  t.equal(iis.parse('192.168.114.201, -, 02/30/98, 7:55:20, W3SVC2, SALES1, 172.21.13.45, 4502, 163, 3223, 200, 0, GET, /x, -,', hit), 'bad_timestamp');
});
