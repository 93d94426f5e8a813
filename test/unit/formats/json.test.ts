import t from 'tap';
import { CADDY_FIELDS, JsonParser, NGINX_JSON_FIELDS, TRAEFIK_FIELDS } from '../../../src/formats/json.js';
import { emptyRawHit } from '../../../src/formats/types.js';

t.test('Caddy: nested request object, header arrays, epoch seconds, duration in seconds', async (t) => {
  const parser = new JsonParser('caddy', CADDY_FIELDS);
  const hit = emptyRawHit();
  t.equal(parser.parse('{"level":"info","ts":1703373474.8155608,"request":{"remote_ip":"1.2.3.4","client_ip":"1.2.3.5","proto":"HTTP/2.0","method":"GET","host":"example.com","uri":"/beta/?x=1","headers":{"User-Agent":["Firefox/121.0"],"Referer":["https://a.example/"]}},"duration":0.001335486,"size":3609,"status":200}', hit), null);
  t.same(hit, {
    time: 1703373474815, clientAddress: '1.2.3.5', remoteUser: '', method: 'GET', target: '/beta/?x=1', protocol: 'HTTP/2.0',
    status: 200, bytes: 3609, referrer: 'https://a.example/', userAgent: 'Firefox/121.0', vhost: 'example.com',
    durationMs: 1.335486, forwardedFor: '', acceptLanguage: '',
  });
});

t.test('Traefik: string status, nanosecond duration, ISO start time', async (t) => {
  const parser = new JsonParser('traefik', TRAEFIK_FIELDS);
  const hit = emptyRawHit();
  t.equal(parser.parse('{"ClientHost":"1.2.3.4","ClientUsername":"-","request_User-Agent":"Prometheus/2.40.5","DownstreamContentSize":15,"DownstreamStatus":"200","Duration":10002425284,"RequestHost":"localhost","RequestMethod":"GET","RequestPath":"/my/app?id=1","RequestProtocol":"HTTP/1.1","StartUTC":"2023-08-11T11:39:21.773360139Z"}', hit), null);
  t.same([hit.clientAddress, hit.status, hit.durationMs, hit.time, hit.target, hit.remoteUser], ['1.2.3.4', 200, 10002.425284, Date.UTC(2023, 7, 11, 11, 39, 21, 773), '/my/app?id=1', '']);
});

t.test('nginx escape=json with $request, and a user field map', async (t) => {
  const parser = new JsonParser('nginx_json', NGINX_JSON_FIELDS);
  const hit = emptyRawHit();
  t.equal(parser.parse('{"time_local":"10/Oct/2000:13:55:36 -0700","remote_addr":"192.0.2.1","request":"GET /a HTTP/1.1","status":"301","body_bytes_sent":"0","http_user_agent":"","request_time":"0.004"}', hit), null);
  t.same([hit.time, hit.method, hit.target, hit.status, hit.userAgent, hit.durationMs], [Date.UTC(2000, 9, 10, 20, 55, 36), 'GET', '/a', 301, '', 4]);
  const mapped = new JsonParser('json', { client: ['addr'], time: ['at'], request: ['req'], status: ['code'], durationUnit: 'ms' });
  t.equal(mapped.parse('{"addr":"192.0.2.2","at":1700000000000,"req":"POST /api HTTP/1.1","code":201}', hit), null);
  t.same([hit.clientAddress, hit.time, hit.method, hit.status, hit.userAgent], ['192.0.2.2', 1700000000000, 'POST', 201, null]);
});

t.test('rejections: not JSON, missing client, bad time', async (t) => {
  const parser = new JsonParser('nginx_json', NGINX_JSON_FIELDS);
  const hit = emptyRawHit();
  t.equal(parser.parse('{"remote_addr":', hit), 'bad_json');
  t.equal(parser.parse('[1,2]', hit), 'bad_json');
  t.equal(parser.parse('{"time_iso8601":"2024-01-01T00:00:00Z","request":"GET / HTTP/1.1","status":200}', hit), 'missing_field');
  t.equal(parser.parse('{"remote_addr":"1.2.3.4","time_iso8601":"yesterday","request":"GET / HTTP/1.1","status":200}', hit), 'bad_timestamp');
});

t.test('Traefik: the request time is StartUTC (request start), not `time` (when the entry was written)', async (t) => {
  const parser = new JsonParser('traefik', TRAEFIK_FIELDS);
  const hit = emptyRawHit();
  t.equal(parser.parse('{"ClientHost":"192.0.2.8","DownstreamStatus":200,"RequestMethod":"GET","RequestPath":"/","StartLocal":"2024-05-06T09:10:11.25+02:00","StartUTC":"2024-05-06T07:10:11.25Z","level":"info","msg":"","time":"2024-05-06T09:12:40+02:00"}', hit), null);
  t.equal(hit.time, Date.UTC(2024, 4, 6, 7, 10, 11, 250));
  t.equal(parser.parse('{"ClientHost":"192.0.2.8","DownstreamStatus":200,"RequestMethod":"GET","RequestPath":"/","StartLocal":"2024-05-06T09:10:11.25+02:00","time":"2024-05-06T09:12:40+02:00"}', hit), null);
  t.equal(hit.time, Date.UTC(2024, 4, 6, 7, 10, 11, 250), 'StartLocal with its offset when StartUTC is dropped');
  t.equal(parser.parse('{"ClientHost":"192.0.2.8","DownstreamStatus":200,"RequestMethod":"GET","RequestPath":"/","time":"2024-05-06T09:12:40+02:00"}', hit), null);
  t.equal(hit.time, Date.UTC(2024, 4, 6, 7, 12, 40), '`time` only when neither start field is logged');
});
