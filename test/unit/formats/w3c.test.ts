import t from 'tap';
import { emptyRawHit } from '../../../src/formats/types.js';
import { W3cParser } from '../../../src/formats/w3c.js';

t.test('columns follow the latest #Fields header, which may change mid-file', async (t) => {
  const parser = new W3cParser();
  const hit = emptyRawHit();
  t.equal(parser.parse('2015-01-13 00:32:17 x', hit), 'no_fields_header');
  t.equal(parser.parse('#Software: Microsoft Internet Information Services 8.5', hit), 'directive');
  t.equal(parser.parse('#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes time-taken', hit), 'directive');
  t.equal(parser.parse('2015-01-13 00:32:17 10.0.0.1 GET /robots.txt a=1 80 - 157.55.39.146 Mozilla/5.0+(compatible;+bingbot/2.0) - 404 0 2 1405 283', hit), null);
  t.same([hit.time, hit.clientAddress, hit.method, hit.target, hit.status, hit.bytes, hit.userAgent, hit.referrer, hit.durationMs],
    [Date.UTC(2015, 0, 13, 0, 32, 17), '157.55.39.146', 'GET', '/robots.txt?a=1', 404, 1405, 'Mozilla/5.0 (compatible; bingbot/2.0)', '', 283]);
  t.equal(parser.parse('#Fields: date time c-ip cs-method cs-uri-stem sc-status cs-host', hit), 'directive');
  t.equal(parser.parse('2015-01-14 01:00:00 2001:db8::1 HEAD / 200 www.example.com', hit), null);
  t.same([hit.clientAddress, hit.method, hit.status, hit.vhost, hit.userAgent, hit.bytes], ['2001:db8::1', 'HEAD', 200, 'www.example.com', null, 0]);
});

t.test('CloudFront: tab-separated, agents percent-encoded twice, time-taken in seconds', async (t) => {
  const parser = new W3cParser();
  const hit = emptyRawHit();
  parser.parse('#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query time-taken', hit);
  t.equal(parser.parse('2014-05-23\t01:13:11\tFRA2\t182\t192.0.2.10\tGET\td111.cloudfront.net\t/view/my/file.html\t200\thttps://example.com/\tMozilla/5.0%2520(Windows;%2520U)\t-\t0.001', hit), null);
  t.same([hit.userAgent, hit.vhost, hit.durationMs, hit.bytes, hit.referrer], ['Mozilla/5.0 (Windows; U)', 'd111.cloudfront.net', 1, 182, 'https://example.com/']);
});

t.test('quoted values, padded columns, #Date for files without a date column, #GMT-Offset', async (t) => {
  const parser = new W3cParser();
  const hit = emptyRawHit();
  parser.parse('#GMT-Offset: -0800', hit);
  parser.parse('#Fields:  c-ip  date  time  cs-method  cs-uri  sc-status  bytes  cs(User-Agent)', hit);
  t.equal(parser.parse('64.103.37.2      2001-10-31     00:00:18      GET      /a.gif    200     350    "Mozilla/4.5 [en] (WinNT; I)"', hit), null);
  t.same([hit.time, hit.target, hit.bytes, hit.userAgent], [Date.UTC(2001, 9, 31, 8, 0, 18), '/a.gif', 350, 'Mozilla/4.5 [en] (WinNT; I)']);
  const iis4 = new W3cParser();
  iis4.parse('#Date: 2000-10-09 16:44:49', hit);
  iis4.parse('#Fields: time c-ip cs-method cs-uri-stem sc-status', hit);
  t.equal(iis4.parse('16:44:49 1.1.1.1 GET /x 200', hit), null);
  t.equal(hit.time, Date.UTC(2000, 9, 9, 16, 44, 49));
});

t.test('data lines with fewer values than #Fields announces are rejected', async (t) => {
  const parser = new W3cParser();
  const hit = emptyRawHit();
  parser.parse('#Fields: date time c-ip cs-method cs-uri-stem sc-status', hit);
  t.equal(parser.parse('2015-01-13 00:32:17 1.2.3.4 GET', hit), 'not_access_log');
  t.equal(parser.parse('2015-01-13 00:32:17 1.2.3.4 GET / abc', hit), 'bad_status');
});

t.test('Incapsula: every value quoted, cs-uri with the host, cs-bytes is the response size, "" is a missing value', async (t) => {
  const parser = new W3cParser();
  const hit = emptyRawHit();
  parser.parse('#Software: Incapsula LOGS API', hit);
  parser.parse('#Fields: date time c-ip cs(User-Agent) cs-uri cs(Referrer) cs-method cs-uri-query sc-status cs-bytes', hit);
  t.equal(parser.parse('"2021-03-04" "05:06:07" "192.0.2.44" "Agent/1.0 (X)" "shop.example.org/cart.php" "" "POST" "step=2" "201" "512"', hit), null);
  t.same([hit.time, hit.clientAddress, hit.userAgent, hit.vhost, hit.method, hit.target, hit.referrer, hit.status, hit.bytes],
    [Date.UTC(2021, 2, 4, 5, 6, 7), '192.0.2.44', 'Agent/1.0 (X)', 'shop.example.org', 'POST', '/cart.php?step=2', '', 201, 512]);
  t.equal(parser.parse('"2021-03-04" "05:06:08" "192.0.2.45" "Agent/1.0 (X)" "shop.example.org/" "" "GET" "" "302" ""', hit), null);
  t.same([hit.target, hit.status, hit.bytes], ['/', 302, 0], 'an empty size is 0 bytes');
  t.equal(parser.parse('"2021-03-04" "05:06:09" "192.0.2.46" "Agent/1.0 (X)" "shop.example.org/" "" "GET" "" "" ""', hit), 'missing_field',
    'no status (the origin closed the connection): rejected, not counted as a 200');
});

t.test('cs-bytes is the request size elsewhere (IIS), so it is not read as the response size; Incapsula is also known by its cs-clapp column', async (t) => {
  const parser = new W3cParser();
  const hit = emptyRawHit();
  parser.parse('#Software: Microsoft Internet Information Services 10.0', hit);
  parser.parse('#Fields: date time c-ip cs-method cs-uri-stem sc-status cs-bytes', hit);
  t.equal(parser.parse('2021-03-04 05:06:07 192.0.2.44 GET /a 200 733', hit), null);
  t.equal(hit.bytes, 0);
  const unnamed = new W3cParser();
  unnamed.parse('#Fields: date time cs-clapp c-ip cs-method cs-uri sc-status cs-bytes', hit);
  t.equal(unnamed.parse('"2021-03-04" "05:06:07" "Firefox" "192.0.2.44" "GET" "example.org/a" "200" "733"', hit), null);
  t.equal(hit.bytes, 733, 'Incapsula is also recognised by its cs-clapp column when #Software is absent');
});
