import { ClfParser } from './clf.js';
import type { TrustedProxies } from './client.js';
import { CompiledParser } from './compiled.js';
import { parseApacheFormat, parseNginxFormat } from './format-string.js';
import { CADDY_FIELDS, JsonParser, NGINX_JSON_FIELDS, TRAEFIK_FIELDS, type JsonFieldMap } from './json.js';
import type { LineParser } from './types.js';
import { W3cParser } from './w3c.js';

export interface ParserOptions {
  /** Proxies whose X-Forwarded-For entries are believed (pipeline `trusted_proxies`); null: none. */
  proxies: TrustedProxies | null;
  /** Field paths for the `json` preset (pipeline `json_fields`), over the nginx escape=json defaults. */
  jsonFields?: Partial<JsonFieldMap>;
}

export interface FormatPreset {
  name: string;
  description: string;
  /** The format string it is compiled from, when it has one (shown by `siftlog formats`). */
  definition?: string;
  sample: string;
  create(options: ParserOptions): LineParser;
}

function nginx(name: string, description: string, definition: string, sample: string): FormatPreset {
  const spec = parseNginxFormat(definition);
  return { name, description, definition, sample, create: (o) => new CompiledParser(name, spec, o.proxies) };
}

function apache(name: string, description: string, definition: string, sample: string): FormatPreset {
  const spec = parseApacheFormat(definition);
  return { name, description, definition, sample, create: (o) => new CompiledParser(name, spec, o.proxies) };
}

const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0';

/**
 * Every preset, in the order auto-detection breaks ties: when two parse the same lines equally fully, the
 * earlier wins (so a CLF log is `common`, not `combined` with every agent missing).
 */
export const PRESETS: readonly FormatPreset[] = [
  {
    name: 'vhost_common',
    description: 'Apache vhost_common: %v[:%p] %h %l %u %t "%r" %>s %b',
    sample: 'www.example.com:443 203.0.113.9 - - [17/May/2015:10:05:03 +0000] "GET /index.html HTTP/1.1" 200 5120',
    create: (o) => new ClfParser(false, true, o.proxies),
  },
  {
    name: 'vhost_combined',
    description: 'Apache vhost_combined: %v[:%p] %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
    sample: `www.example.com:443 203.0.113.9 - - [17/May/2015:10:05:03 +0000] "GET /index.html HTTP/1.1" 200 5120 "https://example.com/" "${UA}"`,
    create: (o) => new ClfParser(true, true, o.proxies),
  },
  {
    name: 'common',
    description: 'NCSA common log format (CLF), optional leading virtual host',
    sample: '203.0.113.9 - - [17/May/2015:10:05:03 +0000] "GET /index.html HTTP/1.1" 200 5120',
    create: (o) => new ClfParser(false, false, o.proxies),
  },
  {
    name: 'combined',
    description: 'NCSA combined (Apache/nginx default), optional leading virtual host; trailing fields ignored',
    sample: `203.0.113.9 - - [17/May/2015:10:05:03 +0000] "GET /index.html HTTP/1.1" 200 5120 "https://example.com/" "${UA}"`,
    create: (o) => new ClfParser(true, false, o.proxies),
  },
  nginx('combined_xff', 'nginx combined plus the X-Forwarded-For header (used with trusted_proxies)',
    '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"',
    `10.0.0.5 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 512 "-" "${UA}" "203.0.113.9, 10.0.0.2"`),
  nginx('combined_timed', 'nginx combined plus $request_time (seconds)',
    '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time',
    `203.0.113.9 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 512 "-" "${UA}" 0.012`),
  apache('ovh', 'OVH shared hosting: %h %v %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"',
    '%h %v %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\"',
    `203.0.113.9 www.example.com - [10/Feb/2012:16:42:07 -0500] "GET / HTTP/1.1" 301 368 "-" "${UA}"`),
  apache('gandi', 'Gandi simple hosting: %v %h %l %u %t (%T s) "%r" %>s %b "%{Referer}i" "%{User-Agent}i"',
    '%v %h %l %u %t (%T s) \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\"',
    `www.example.com 203.0.113.9 - - [10/Feb/2012:16:42:07 -0500] (0 s) "GET / HTTP/1.1" 301 368 "-" "${UA}"`),
  nginx('s3', 'AWS S3 server access log (the bucket is the site)',
    '$bucket_owner $host [$time_local] $remote_addr $remote_user $request_id $operation $key "$request" $status $error_code $body_bytes_sent $object_size $duration_ms $turnaround "$http_referer" "$http_user_agent"',
    `79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be example-bucket [06/Feb/2019:00:00:38 +0000] 203.0.113.9 - 3E57427F3EXAMPLE REST.GET.OBJECT index.html "GET /example-bucket/index.html HTTP/1.1" 200 - 113 113 7 6 "-" "${UA}"`),
  nginx('elb', 'AWS Classic Load Balancer (TCP listener records are skipped)',
    '$time_iso8601 $elb $client_port $backend $request_processing_time $request_time $response_processing_time $status $backend_status $received_bytes $body_bytes_sent "$request" "$http_user_agent"',
    `2015-05-13T23:39:43.945958Z my-loadbalancer 203.0.113.9:2817 10.0.0.1:80 0.000086 0.001048 0.001337 200 200 0 57 "GET https://www.example.com:443/ HTTP/1.1" "${UA}" DHE-RSA-AES128-SHA TLSv1.2`),
  nginx('alb', 'AWS Application Load Balancer (http, https, h2, ws, wss, grpcs records)',
    '$type $time_iso8601 $elb $client_port $target $request_processing_time $request_time $response_processing_time $status $target_status $received_bytes $body_bytes_sent "$request" "$http_user_agent"',
    `https 2020-01-01T00:55:04.127531Z app/my-alb/abcdef 203.0.113.9:2817 10.0.0.1:80 0.001 0.102 0.000 200 200 225 24950 "GET https://www.example.com:443/ HTTP/1.1" "${UA}" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 - "Root=1-abc" "www.example.com" "-" 0 2020-01-01T00:55:04.023000Z "forward" "-" "-" "10.0.0.1:80" "200"`),
  nginx('haproxy', 'HAProxy HTTP log (option httplog) with its syslog prefix; accept dates are read as UTC',
    '$syslog_header]: $client_port [$time_haproxy] $frontend $backend $timers $status $body_bytes_sent $haproxy_fields "$request"',
    'Sep 25 06:05:27 lb1 haproxy[6801]: 203.0.113.9:55008 [25/Sep/2018:06:05:27.584] ft_https~ bk_https/web1 0/0/0/72/72 200 7456 - - ---- 5/4/0/1/0 0/0 "POST /user/ HTTP/1.1"'),
  nginx('iis_native', 'IIS native (IIS log file format, comma-separated); its local times are read as UTC',
    '$remote_addr, $remote_user, $date_mdy, $time_of_day, $service, $server_name, $server_ip, $duration_ms, $bytes_received, $body_bytes_sent, $status, $win32_status, $request_method, $uri, $args,',
    '203.0.113.9, -, 03/20/98, 7:55:20, W3SVC2, SALES1, 172.21.13.45, 4502, 163, 3223, 200, 0, GET, /DeptLogo.gif, -,'),
  {
    name: 'w3c',
    description: 'W3C extended (IIS, CloudFront web, NetScaler, Incapsula): columns from #Fields: headers, which may change mid-file',
    sample: '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken\n  2015-01-13 00:32:17 10.0.0.1 GET /robots.txt - 80 - 203.0.113.9 Mozilla/5.0+(compatible;+bingbot/2.0) - 404 0 2 1405 242 283',
    create: (o) => new W3cParser(o.proxies),
  },
  {
    name: 'caddy',
    description: 'Caddy JSON access log (http.log.access)',
    sample: `{"level":"info","ts":1703373474.8155608,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"203.0.113.9","client_ip":"203.0.113.9","proto":"HTTP/2.0","method":"GET","host":"example.com","uri":"/beta/","headers":{"User-Agent":["${UA}"]}},"duration":0.0013,"size":3609,"status":200}`,
    create: (o) => new JsonParser('caddy', CADDY_FIELDS, o.proxies),
  },
  {
    name: 'traefik',
    description: 'Traefik JSON access log',
    sample: `{"ClientHost":"203.0.113.9","DownstreamContentSize":15,"DownstreamStatus":200,"Duration":1002425,"RequestHost":"example.com","RequestMethod":"GET","RequestPath":"/app?id=1","RequestProtocol":"HTTP/1.1","StartUTC":"2023-08-11T11:39:21.773360139Z","request_User-Agent":"${UA}"}`,
    create: (o) => new JsonParser('traefik', TRAEFIK_FIELDS, o.proxies),
  },
  {
    name: 'nginx_json',
    description: 'nginx log_format escape=json with variable names as keys (also Matomo\'s ip/date/path/status/length keys)',
    sample: `{"time_iso8601":"2024-03-01T10:05:03+01:00","remote_addr":"203.0.113.9","request":"GET /index.html HTTP/1.1","status":"200","body_bytes_sent":"5120","http_referer":"","http_user_agent":"${UA}","host":"example.com","request_time":"0.004"}`,
    create: (o) => new JsonParser('nginx_json', NGINX_JSON_FIELDS, o.proxies),
  },
  {
    name: 'json',
    description: 'any NDJSON access log, fields mapped by the pipeline\'s json_fields (defaults: the nginx_json keys)',
    sample: '{"ts":"2024-03-01T09:05:03Z","addr":"203.0.113.9","req":"GET / HTTP/1.1","code":200}  with json_fields: {client: [addr], time: [ts], request: [req], status: [code]}',
    create: (o) => new JsonParser('json', { ...NGINX_JSON_FIELDS, ...o.jsonFields }, o.proxies),
  },
];

/** Presets auto-detection tries (`json` needs a field map, so it is chosen only by name). */
export const DETECTABLE = PRESETS.filter((p) => p.name !== 'json');

export const FORMAT_NAMES = ['auto', 'custom', ...PRESETS.map((p) => p.name)] as const;

export function findPreset(name: string): FormatPreset | undefined {
  return PRESETS.find((p) => p.name === name);
}

/**
 * A user's own format string (pipeline `log_format:` or `--log-format`): nginx syntax when it uses
 * `$variables`, Apache syntax when it uses `%directives`.
 */
export function customPreset(definition: string): FormatPreset {
  const isNginx = /\$[A-Za-z_{]/.test(definition);
  const spec = isNginx ? parseNginxFormat(definition) : parseApacheFormat(definition);
  return {
    name: 'custom', description: `${isNginx ? 'nginx' : 'Apache'} format string`, definition, sample: '',
    create: (o) => new CompiledParser('custom', spec, o.proxies),
  };
}
