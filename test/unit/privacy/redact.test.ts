import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ReferrerClassifier } from '../../../src/enrich/referrer.js';
import { customPreset, findPreset } from '../../../src/formats/presets.js';
import { emptyRawHit, type LineParser } from '../../../src/formats/types.js';
import { DEFAULT_PRIVACY, PrivacyBoundary } from '../../../src/privacy/boundary.js';
import { SaltStore } from '../../../src/privacy/salt.js';

const dir = mkdtempSync(join(tmpdir(), 'siftlog-redact-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const redactor = new PrivacyBoundary({ ...DEFAULT_PRIVACY, siteHosts: ['intranet'] }, new SaltStore(dir, 2), {
  geo: null, company: null, referrers: new ReferrerClassifier(), campaigns: true,
}).rejectedLines;
const parser = (name: string): LineParser => findPreset(name)!.create({ proxies: null });
/** Parses the line (so that a stateful parser is where the run loop's would be) and redacts it. */
const kept = (p: LineParser, line: string) => {
  p.parse(line, emptyRawHit());
  return redactor.redact(line, p.fieldsOf(line));
};
const TIME = '[17/May/2015:10:05:03 +0000]';

t.test('common-log lines: client, ident and user replaced, a site-like virtual host kept, the rest scrubbed', async (t) => {
  t.same(kept(parser('combined'), `92.63.172.59 - frank ${TIME} "GET /a?email=a@b.c&utm_source=x HTTP/1.1" 2OO 12 "http://frank:pw@10.0.0.1/x?y=1" "curl (bob@example.com)"`),
    { text: `{client} - {user} ${TIME} "GET /a?utm_source=x HTTP/1.1" 2OO 12 "http://{user}@{address}/x?{query}" "curl ({email})"` });
  t.same(kept(parser('combined'), `gw.bigcorp.com - john doe ${TIME} "GET / HTTP/1.1" 2OO 12`),
    { text: `{client} ${TIME} "GET / HTTP/1.1" 2OO 12` }, 'a user name with a space: the three fields as one');
  t.same(kept(parser('vhost_combined'), `www.example.com:443 gw.bigcorp.com - bob ${TIME} "GET / HTTP/1.1" 200 x "-" "UA"`),
    { text: `www.example.com:443 {client} - {user} ${TIME} "GET / HTTP/1.1" 200 x "-" "UA"` }, '- says nothing and stays');
  t.same(kept(parser('vhost_common'), `92.63.172.59 gw.bigcorp.com - bob ${TIME} "GET / HTTP/1.1" 200 x`),
    { text: `{host} {client} - {user} ${TIME} "GET / HTTP/1.1" 200 x` }, 'an address is no virtual host');
  t.same(kept(parser('combined'), `"203.0.113.9, 10.0.0.2" 10.0.0.1 - - ${TIME} "GET / HTTP/1.1" 2OO 1`),
    { text: `{client} ${TIME} "GET / HTTP/1.1" 2OO 1` }, 'a list of addresses');
  t.same(kept(parser('combined'), `www.example.com [2001:db8::7]:443 - bob ${TIME} "GET / HTTP/1.1" 2OO 1`),
    { text: `www.example.com {client} - {user} ${TIME} "GET / HTTP/1.1" 2OO 1` }, 'a bracketed client is not the time');
  t.same(kept(parser('combined'), '[2001:db8::7]:443 - bob [17/May/2015 "GET /'), { text: '{client} - {user} [#/x/# "x /' },
    'a time with no closing bracket: the rest is kept as its shape');
  t.same(kept(parser('combined'), '[2001:db8::7]:443 - bob [May 17 2015] "GET /"'), { shape: '[#:x#::#]:# - x [x # #] "x /"', length: 45 },
    'no time where it belongs: nothing says where the user field ends');
  t.same(kept(parser('elb'), `2015-05-13T23:39:43.945958Z lb 203.0.113.9:2817 10.0.0.1:80 0.1 0.1 0.1 2OO 200 0 57 "GET https://0x5c3fac3b:443/ HTTP/1.1" "UA"`),
    { text: '2015-05-13T23:39:43.{id}Z lb {client} {address}:80 0.1 0.1 0.1 2OO 200 0 57 "GET https://{address}/ HTTP/1.1" "UA"' },
    'the host of an absolute request URL is judged like a virtual host');
});

t.test('compiled formats: fields by what they are, cookies and bodies by their names', async (t) => {
  const custom = customPreset('$remote_addr $http_x_real_ip $remote_user [$time_local] "$request" $status "$http_cookie" "$request_body" $http_host');
  t.same(kept(custom.create({ proxies: null }), `203.0.113.9 198.51.100.2 alice ${TIME} "POST /login HTTP/1.1" 2OO "sid=abc" "user=alice&pw=x" intranet`),
    { text: `{client} {forwarded_for} {user} ${TIME} "POST /login HTTP/1.1" 2OO "{cookie}" "{body}" intranet` });
  const apache = customPreset('%h %l %u %t \\"%r\\" %>s %b \\"%{Cookie}i\\" %{sessionid}C');
  t.same(kept(apache.create({ proxies: null }), `gw.bigcorp.com ident bob ${TIME} "GET / HTTP/1.1" 2OO 5 "a=b" s3cr3t`),
    { text: `{client} {ident} {user} ${TIME} "GET / HTTP/1.1" 2OO 5 "{cookie}" {cookie}` });
  t.same(kept(parser('combined_xff'), `10.0.0.5 - alice ${TIME} "GET / HTTP/1.1" 2OO 512 "-" "UA" "203.0.113.9, 10.0.0.2"`),
    { text: `{client} - {user} ${TIME} "GET / HTTP/1.1" 2OO 512 "-" "UA" "{forwarded_for}"` });
  t.same(kept(parser('combined_xff'), `10.0.0.5 - alice [17/May/2015 "GET / HTTP/1.1"`),
    { text: '{client} - {user} [#/x/# "x / x/#.#"' }, 'where the format\'s text is missing, the rest is kept as its shape');
});

t.test('W3C: columns by their names; a line that does not fit its #Fields keeps its shape', async (t) => {
  const w3c = parser('w3c');
  w3c.parse('#Fields: date time c-ip c-dns cs-username cs-method cs-uri-stem cs-uri-query sc-status cs(Cookie) cs-host', emptyRawHit());
  t.same(kept(w3c, '2015-05-17 10:05:03 192.0.2.1 dialup-7.pool.example.net CORP\\alice GET /index.html a=1&utm_term=x 2OO "sid=1; x=2" www.example.com'),
    { text: '2015-05-17 10:05:03 {client} {client} {user} GET /index.html utm_term=x 2OO "{cookie}" www.example.com' });
  t.same(kept(w3c, '2015-05-17 10:05:03 dialup-7.pool.example.net CORP\\alice'), { shape: '#-#-# #:#:# x-#.x.x.x x\\x', length: 56 });
});

t.test('JSON: values by the parser\'s map and by their keys, nested objects included', async (t) => {
  t.same(kept(parser('nginx_json'), JSON.stringify({
    time_iso8601: '2015-05-17T10:05:03+00:00', remote_addr: 'gw.bigcorp.com', remote_user: 'bob.jones', request: 'GET /?sid=1 HTTP/1.1',
    status: '2OO', http_cookie: 'sid=abc', headers: { 'X-Real-IP': '1.2.3.4', Referer: 'https://x.example/?q=1' }, host: 'john.doe',
  })), { text: JSON.stringify({
    time_iso8601: '2015-05-17T10:05:03+00:00', remote_addr: '{client}', remote_user: '{user}', request: 'GET /?{query} HTTP/1.1',
    status: '2OO', http_cookie: '{cookie}', headers: { 'X-Real-IP': '{forwarded_for}', Referer: 'https://x.example/' }, host: '{host}',
  }) });
  t.same(kept(parser('caddy'), JSON.stringify({
    ts: 'x', status: 200, request: { remote_ip: '203.0.113.9', client_ip: '203.0.113.9', uri: '/a?utm_source=n', headers: { Cookie: ['a=b'], 'User-Agent': ['UA'] } },
    user_id: 'alice',
  })), { text: JSON.stringify({
    ts: 'x', status: 200, request: { remote_ip: '{client}', client_ip: '{client}', uri: '/a?utm_source=n', headers: { Cookie: '{cookie}', 'User-Agent': ['UA'] } },
    user_id: '{user}',
  }) });
  t.same(kept(parser('nginx_json'), '{"remote_addr": "203.0.113.9", '), { shape: '{"x_x": "#.#.#.#", ', length: 31 }, 'not JSON: its shape');
});

t.test('a line that cannot be split keeps only its shape and length', async (t) => {
  t.same(kept(parser('combined'), 'garbage from 2001:db8::7 by mail@host.example'), { shape: 'x x #:x#::# x x@x.x', length: 45 });
  t.same(kept(parser('w3c'), 'before any #Fields line'), { shape: 'x x #x x', length: 23 });
});
