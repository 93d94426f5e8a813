/**
 * Checks one entry of ../shared/corpus/peer/expectations.json against siftlog's parsers. Each peer states
 * its values in its own vocabulary (Matomo regex groups and hits, Vector VRL objects, Elastic ECS fields);
 * the tables below map them onto RawHit fields. Fields siftlog does not keep (cipher, trace ids…) are not
 * compared. An entry of a format siftlog does not claim (error logs, RTMP, custom regexes) is "unclaimed".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseClfTime } from '../../src/formats/clf-time.js';
import { TrustedProxies } from '../../src/formats/client.js';
import { stripPort } from '../../src/net/address.js';
import { CompiledParser } from '../../src/formats/compiled.js';
import { detectFormat } from '../../src/formats/detect.js';
import { parseNginxFormat } from '../../src/formats/format-string.js';
import { findPreset } from '../../src/formats/presets.js';
import { parseHaproxyTime, parseIsoTime } from '../../src/formats/time.js';
import { emptyRawHit, isSkip, type RawHit, type RejectReason } from '../../src/formats/types.js';
import { readLines } from '../../src/sources/file.js';

export interface Verdict {
  /** by_design: the peer accepts a line the issue says siftlog must reject with a reason. */
  status: 'pass' | 'fail' | 'unclaimed' | 'by_design';
  /** Why it failed or is unclaimed; empty for a pass. */
  reasons: string[];
}

// biome-ignore lint/suspicious/noExplicitAny: peer expectation files are free-form JSON from other projects, read field by field
type Entry = Record<string, any>;

const pass = (): Verdict => ({ status: 'pass', reasons: [] });
const unclaimed = (why: string): Verdict => ({ status: 'unclaimed', reasons: [why] });

/** The nginx ingress controller's default `upstreaminfo` format, compiled like any user format string. */
const INGRESS_UPSTREAMINFO = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id';

/** Matomo's format names → siftlog presets that read the same lines. */
const MATOMO_FORMATS: Record<string, string[]> = {
  common: ['common'], common_vhost: ['vhost_common'], ncsa_extended: ['combined'], common_complete: ['vhost_combined'],
  iis: ['w3c'], s3: ['s3'], icecast2: ['combined', 'combined_timed'], elb: ['elb'], traefik_json: ['traefik'],
  nginx_json: ['nginx_json'], caddy_json: ['caddy'], amazon_cloudfront: ['w3c'], ovh: ['ovh'], gandi: ['gandi'],
  haproxy: ['haproxy'], alb: ['alb'], netscaler: ['w3c'], incapsula_w3c: ['w3c'],
};

/** Matomo options that do not change what a parser must extract. */
const NEUTRAL_OPTIONS = new Set(['custom_w3c_fields', 'enable_http_redirects', 'enable_http_errors', 'replay_tracking',
  'w3c_time_taken_in_millisecs', 'log_hostname', 'enable_static', 'download_extensions']);

export async function checkEntry(entry: Entry, corpus: string): Promise<Verdict> {
  if (entry.peer === 'matomo-log-analytics') return checkMatomo(entry, corpus);
  if (entry.peer === 'vrl' || entry.peer === 'vrl-docs') return checkVrl(entry);
  if (entry.peer.startsWith('elastic-beats')) return checkBeats(entry);
  if (entry.peer === 'goaccess') return checkWholeFile(join(corpus, entry.sample_file), 'vhost_combined');
  return unclaimed(`no checker for peer ${entry.peer}`);
}

async function fileLines(path: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const batch of readLines({ name: path, path }, { maxLineLength: 65_536 })) lines.push(...batch.lines);
  return lines;
}

async function checkWholeFile(path: string, preset: string): Promise<Verdict> {
  const lines = (await fileLines(path)).filter((l) => l.length > 0);
  const parser = findPreset(preset)!.create({ proxies: null });
  const hit = emptyRawHit();
  const outcomes = lines.map((line) => parser.parse(line, hit));
  const failed = outcomes.filter((o) => o !== null && o !== 'bad_request_line').length;
  const nonHttp = outcomes.filter((o) => o === 'bad_request_line').length;
  if (failed > 0) return { status: 'fail', reasons: [`${failed} of ${lines.length} lines rejected`] };
  return nonHttp === 0 ? pass() : { status: 'by_design', reasons: [`${nonHttp} of ${lines.length} lines have a "-" request line: rejected (bad_request_line) by design`] };
}

async function checkMatomo(entry: Entry, corpus: string): Promise<Verdict> {
  const groups = (entry.regex_groups ?? []) as Entry[];
  // Hit tests that depend on Matomo options or a custom regex are not about the format itself.
  let notClaimed = '';
  const tests = ((entry.hit_tests ?? []) as Entry[]).filter((test) => {
    if (typeof test.forced_format === 'string' && test.forced_format.includes('RegexFormat')) {
      notClaimed = 'a custom Python regex format (use --log-format with the server\'s format string instead)';
      return false;
    }
    const odd = Object.keys(test.options_set ?? {}).filter((k) => !NEUTRAL_OPTIONS.has(k)
      || (k === 'custom_w3c_fields' && Object.keys(test.options_set[k]).length > 0));
    if (odd.length > 0) notClaimed = `depends on Matomo options ${odd.join(', ')}`;
    return odd.length === 0;
  });
  if (tests.length === 0 && groups.length === 0 && notClaimed) return unclaimed(notClaimed);
  if (entry.format === 'shoutcast' || entry.sample_file.includes('amazon_cloudfront_rtmp')) return unclaimed('streaming-server logs (SHOUTcast / CloudFront RTMP) are not web access logs');
  if (tests.length === 0 && groups.length === 0) return unclaimed('no expectations transcribed');
  const lines = await fileLines(join(corpus, entry.sample_file));
  let preset: string;
  try {
    preset = detectFormat(lines.slice(0, 200)).preset.name;
  } catch (err) {
    return { status: 'fail', reasons: [(err as Error).message] };
  }
  const reasons: string[] = [];
  const claimed = entry.autodetected_format ? MATOMO_FORMATS[entry.autodetected_format] : undefined;
  if (claimed !== undefined && !claimed.includes(preset)) reasons.push(`detected ${preset}, Matomo detects ${entry.autodetected_format}`);
  const parser = findPreset(preset)!.create({ proxies: null });
  const hits: RawHit[] = [];
  const hitLines: string[] = [];
  const rejects: RejectReason[] = [];
  let skippedHttp = 0;
  for (const line of lines) {
    const hit = emptyRawHit();
    const outcome = parser.parse(line, hit);
    if (outcome === null) {
      hits.push(hit);
      hitLines.push(line);
    } else if (isSkip(outcome)) {
      if (outcome === 'non_http_record') skippedHttp++;
    } else if (outcome !== 'empty_line') {
      rejects.push(outcome);
    }
  }
  const designed: string[] = [];
  for (const group of groups) {
    if (hits.length === 0) { reasons.push('no line parsed'); break; }
    const differences: string[] = [];
    compareMatomo(group.expected, hits[0], 'regex groups', differences);
    reasons.push(...setAsideByDesign(preset, hits[0], hitLines[0], differences, designed));
  }
  for (const test of tests) {
    for (const expected of test.hits ?? []) {
      const hit = hits[expected.hit_index];
      if (hit === undefined) {
        const missing = `${test.test}: hit ${expected.hit_index} missing (${hits.length} parsed)`;
        if (rejects.includes('missing_field')) designed.push(`${missing}: the line lacks a field siftlog needs and is rejected (missing_field); Matomo fills in a default (Incapsula's empty status becomes 200), siftlog does not invent one`);
        else reasons.push(missing);
        continue;
      }
      compareMatomo(expected.expected, hit, test.test, reasons, test.options_set?.log_hostname);
    }
    for (const a of test.other_asserts ?? []) {
      const m = /^len\(hits\) == (\d+)$/.exec(a.assert);
      if (m && entry.sample_file.includes('elb') && hits.length !== Number(m[1])) reasons.push(`${hits.length} hits, expected ${m[1]}`);
    }
  }
  if (entry.sample_file.includes('/elb.log') && skippedHttp !== 1) reasons.push(`the TCP-listener record was not skipped`);
  if (reasons.length > 0) return { status: 'fail', reasons };
  return designed.length === 0 ? pass() : { status: 'by_design', reasons: designed };
}

/**
 * Differences that follow from a field choice siftlog makes on purpose, moved to `designed` once the hit is
 * shown to hold what that choice gives; the others are returned.
 * Traefik: Matomo dates a hit by `time`, when the entry was written (to the second, after the response and
 * any buffering, in the server's zone); siftlog by StartUTC, when the request began (nanoseconds, UTC).
 */
function setAsideByDesign(preset: string, hit: RawHit, line: string, differences: string[], designed: string[]): string[] {
  if (preset !== 'traefik') return differences;
  const startUtc = (JSON.parse(line) as Entry).StartUTC;
  return differences.filter((d) => {
    const isStart = typeof startUtc === 'string' && Math.floor(hit.time / 1000) * 1000 === Date.parse(`${startUtc.slice(0, 19)}Z`);
    if (!/: time /.test(d) || !isStart) return true;
    designed.push(`${d}: Matomo takes Traefik's \`time\` (when the entry was written); siftlog takes StartUTC (when the request began) by design`);
    return false;
  });
}

function matomoTime(date: string, zone: string | undefined): number {
  if (date.charCodeAt(2) === 47) {
    return zone ? parseClfTime(`${date} ${zone}`) : parseHaproxyTime(date);
  }
  return parseIsoTime(zone ? `${date.replace(' ', 'T')}${zone}` : date.replace(' ', 'T'));
}

function compareMatomo(expected: Entry, hit: RawHit, where: string, reasons: string[], mockedHost?: string): void {
  const q = hit.target.indexOf('?');
  const path = q < 0 ? hit.target : hit.target.slice(0, q);
  const query = q < 0 ? '' : hit.target.slice(q + 1);
  const same = (field: string, ours: unknown, theirs: unknown) => {
    if (ours !== theirs) reasons.push(`${where}: ${field} ${JSON.stringify(ours)} ≠ ${JSON.stringify(theirs)}`);
  };
  for (const [key, value] of Object.entries(expected)) {
    if (value === null || value === undefined) continue;
    switch (key) {
      case 'ip': same('address', hit.clientAddress, value); break;
      case 'userid': same('user', hit.remoteUser, value === '-' ? '' : value); break;
      case 'date': {
        const text = String(value);
        // Hit dates are naive UTC datetimes, to the second unless they show a fraction; siftlog keeps milliseconds.
        const naive = !('timezone' in expected) && /^\d{4}-\d\d-\d\dT[\d:.]+$/.test(text);
        const instant = naive ? Date.parse(`${text}Z`) : matomoTime(text, expected.timezone);
        const ours = naive && !text.includes('.') ? Math.floor(hit.time / 1000) * 1000 : hit.time;
        same('time', new Date(ours).toISOString(), Number.isNaN(instant) ? `unparsable ${text}` : new Date(instant).toISOString());
        break;
      }
      // Regex groups are raw captures: some formats' path group holds the query too.
      case 'path': if (!(where === 'regex groups' && value === hit.target)) same('path', path, value); break;
      case 'query_string': same('query', query, value); break;
      // Matomo's full_path is its path capture: the query is in it only for formats without a query column.
      case 'full_path': same('target', 'query_string' in expected && !String(value).includes('?') ? path : hit.target, value); break;
      case 'status': same('status', hit.status, Number(value)); break;
      case 'length': same('bytes', hit.bytes, Number(value)); break;
      case 'referrer': same('referrer', hit.referrer, value === '-' ? '' : value); break;
      case 'user_agent': same('user agent', (hit.userAgent ?? '').replace(/\+/g, ' '), String(value).replace(/\+/g, ' ')); break;
      case 'host': if (value !== mockedHost && value !== 'foo') same('host', hit.vhost, value); break;
      case 'method': same('method', hit.method, value); break;
      case 'generation_time_milli': {
        if (where === 'regex groups') break; // a raw capture in the log's own unit
        const theirs = Number(value);
        const ours = Math.max(hit.durationMs, 0);
        if (Math.abs(ours - theirs) > 1e-6 * Math.max(1, theirs)) reasons.push(`${where}: duration ${ours} ms ≠ ${theirs} ms`);
        break;
      }
      default: break;
    }
  }
}

const VRL_FORMATS: Record<string, string | null> = {
  'parse_apache_log/common': 'common', 'parse_apache_log/combined': 'combined', 'parse_common_log/common': 'common',
  'parse_nginx_log/combined': 'combined', 'parse_nginx_log/main': 'combined_xff', 'parse_aws_alb_log/aws_alb': 'alb',
  'parse_nginx_log/ingress_upstreaminfo': INGRESS_UPSTREAMINFO,
};

function checkVrl(entry: Entry): Verdict {
  const key = `${entry.function}/${entry.format}`;
  const format = VRL_FORMATS[key];
  if (format === undefined || format === null) return unclaimed(`${key}: not an access-log format siftlog claims`);
  if (typeof entry.input !== 'string') return unclaimed('the input is built at run time by the peer\'s test');
  if (entry.args?.timestamp_format !== undefined) return unclaimed('a peer option (timestamp_format) changes the format; use --log-format');
  const parser = format.includes('$') ? new CompiledParser('ingress_upstreaminfo', parseNginxFormat(format)) : findPreset(format)!.create({ proxies: null });
  const hit = emptyRawHit();
  const outcome = parser.parse(entry.input, hit);
  if (entry.expected_error !== undefined) {
    return outcome !== null ? pass() : { status: 'fail', reasons: [`parsed a line the peer rejects (${entry.expected_error})`] };
  }
  if (outcome !== null) return rejected(outcome);
  const reasons: string[] = [];
  const same = (field: string, ours: unknown, theirs: unknown) => {
    if (ours !== theirs) reasons.push(`${field} ${JSON.stringify(ours)} ≠ ${JSON.stringify(theirs)}`);
  };
  const e = entry.expected as Entry;
  const request = e.request ?? e.message;
  for (const [k, v] of Object.entries(e)) {
    if (v === null) continue;
    switch (k) {
      case 'host': case 'client': case 'remote_addr': same('address', hit.clientAddress, v); break;
      case 'client_host': same('address', hit.clientAddress, String(v).slice(0, String(v).lastIndexOf(':'))); break;
      case 'user': case 'remote_user': same('user', hit.remoteUser, v); break;
      case 'timestamp': same('time', new Date(hit.time).toISOString(), new Date(Date.parse(String(v))).toISOString()); break;
      case 'method': case 'request_method': same('method', hit.method, v); break;
      case 'path': same('target', hit.target, v); break;
      case 'protocol': case 'request_protocol': same('protocol', hit.protocol, v); break;
      case 'status': case 'elb_status_code': same('status', hit.status, Number(v)); break;
      case 'size': case 'body_bytes_size': case 'sent_bytes': same('bytes', hit.bytes, Number(v)); break;
      case 'referrer': case 'referer': case 'http_referer': same('referrer', hit.referrer, v === '-' ? '' : v); break;
      case 'agent': case 'http_user_agent': case 'user_agent': same('user agent', hit.userAgent, v === '-' ? '' : v); break;
      case 'http_x_forwarded_for': same('x-forwarded-for', hit.forwardedFor, v); break;
      case 'request_time': same('duration', hit.durationMs, Number(v) * 1000); break;
      case 'request_url': {
        let url: URL;
        try {
          url = new URL(String(v));
        } catch {
          reasons.push(`the peer's request_url ${JSON.stringify(v)} is not a URL`);
          break;
        }
        same('host', hit.vhost, url.hostname);
        same('target', hit.target, `${url.pathname}${url.search}`);
        break;
      }
      default: break;
    }
  }
  if (typeof request === 'string' && !('path' in e) && !('request_url' in e)) {
    same('request', `${hit.method} ${hit.target}${hit.protocol ? ` ${hit.protocol}` : ''}`, request);
  }
  return reasons.length === 0 ? pass() : { status: 'fail', reasons };
}

/**
 * Beats takes the first public address of a client field holding a list (else the first entry): private and
 * loopback addresses count as its proxies. siftlog is given those ranges as trusted_proxies, the setting that
 * says the same; it then takes the right-most address that is not one, as it does with X-Forwarded-For.
 */
const BEATS_PROXIES = new TrustedProxies(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', 'fc00::/7', '::1']);

function checkBeats(entry: Entry): Verdict {
  const parser = findPreset('combined')!.create({ proxies: BEATS_PROXIES });
  const hit = emptyRawHit();
  const outcome = parser.parse(entry.input, hit);
  if (outcome !== null) {
    if (/^"?[0-9a-fA-F.:]+, /.test(entry.input)) return { status: 'fail', reasons: [`rejected: ${outcome}: the list of addresses in the client field was not read`] };
    return rejected(outcome);
  }
  const e = entry.expected as Entry;
  const reasons: string[] = [];
  const same = (field: string, ours: unknown, theirs: unknown) => {
    if (theirs !== undefined && ours !== theirs) reasons.push(`${field} ${JSON.stringify(ours)} ≠ ${JSON.stringify(theirs)}`);
  };
  const q = hit.target.indexOf('?');
  const address = e['source.address'] ?? e['source.ip'];
  const addressByDesign = hit.forwardedFor.length > 0 && hit.clientAddress !== address;
  if (!addressByDesign) same('address', hit.clientAddress, address);
  same('time', new Date(hit.time).toISOString(), e['@timestamp'] && new Date(Date.parse(e['@timestamp'])).toISOString());
  same('method', hit.method, e['http.request.method']);
  same('path', q < 0 ? hit.target : hit.target.slice(0, q), e['url.path']);
  if (e['url.query'] !== undefined) same('query', q < 0 ? '' : hit.target.slice(q + 1), e['url.query']);
  same('status', hit.status, e['http.response.status_code']);
  same('bytes', hit.bytes, e['http.response.body.bytes']);
  same('user agent', hit.userAgent, e['user_agent.original']);
  if (e['http.version'] !== undefined) same('protocol', hit.protocol, `HTTP/${e['http.version']}`);
  if (reasons.length > 0) return { status: 'fail', reasons };
  if (!addressByDesign) return pass();
  return {
    status: 'by_design',
    reasons: [`address ${JSON.stringify(hit.clientAddress)} ≠ ${JSON.stringify(address)}: Beats takes the left-most public address of the list, `
      + 'which the client can write itself; siftlog takes the right-most address that is not a trusted proxy (X-Forwarded-For rule, '
      + 'trusted_proxies = the private and loopback ranges Beats skips) by design'],
  };
}

/**
 * The issue asks for request lines that are not HTTP ("-", "", binary junk) and lines without a client or
 * time to be rejected with a reason; peers that accept them differ from siftlog by design.
 */
function rejected(outcome: string): Verdict {
  if (outcome === 'bad_request_line') return { status: 'by_design', reasons: ['the request is not an HTTP request line: siftlog rejects it (bad_request_line) by design'] };
  if (outcome === 'missing_field' || outcome === 'not_access_log' || outcome === 'bad_timestamp') {
    return { status: 'by_design', reasons: [`the line has no client address or time: siftlog rejects it (${outcome}) by design`] };
  }
  return { status: 'fail', reasons: [`rejected: ${outcome}`] };
}

export function loadExpectations(corpus: string): Entry[] {
  return JSON.parse(readFileSync(join(corpus, 'peer', 'expectations.json'), 'utf8')).samples as Entry[];
}

export { stripPort };
