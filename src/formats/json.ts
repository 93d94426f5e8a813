import { stripPort } from '../net/address.js';
import { parseClfTime } from './clf-time.js';
import type { TrustedProxies } from './client.js';
import { type FieldRole, type LineFields, roleOfName } from './field-roles.js';
import { absoluteFormTarget, splitRequestLine, stripVhostPort } from './line-fields.js';
import { parseEpoch, parseIsoTime } from './time.js';
import type { LineParser, ParseOutcome, RawHit, RepairKind } from './types.js';

/**
 * Where each RawHit field is in a JSON access-log object: a dotted path (`request.headers.User-Agent.0`),
 * or several tried in order. `durationUnit` says what the duration number counts.
 */
export interface JsonFieldMap {
  client: string[];
  time: string[];
  request?: string[];
  method?: string[];
  target?: string[];
  query?: string[];
  protocol?: string[];
  status: string[];
  bytes?: string[];
  referrer?: string[];
  userAgent?: string[];
  host?: string[];
  user?: string[];
  duration?: string[];
  forwardedFor?: string[];
  durationUnit?: 's' | 'ms' | 'us' | 'ns';
}

export const CADDY_FIELDS: JsonFieldMap = {
  client: ['request.client_ip', 'request.remote_ip'], time: ['ts'], method: ['request.method'], target: ['request.uri'],
  protocol: ['request.proto'], status: ['status'], bytes: ['size'], referrer: ['request.headers.Referer.0'],
  userAgent: ['request.headers.User-Agent.0'], host: ['request.host'], user: ['user_id'], duration: ['duration'],
  forwardedFor: ['request.headers.X-Forwarded-For.0'], durationUnit: 's',
};

export const TRAEFIK_FIELDS: JsonFieldMap = {
  client: ['ClientHost', 'ClientAddr'], time: ['StartUTC', 'StartLocal', 'time'], method: ['RequestMethod'],
  target: ['RequestPath'], protocol: ['RequestProtocol'], status: ['DownstreamStatus', 'OriginStatus'],
  bytes: ['DownstreamContentSize'], referrer: ['request_Referer'], userAgent: ['request_User-Agent'],
  host: ['RequestHost'], user: ['ClientUsername'], duration: ['Duration'], forwardedFor: ['request_X-Forwarded-For'],
  durationUnit: 'ns',
};

/** nginx `log_format … escape=json` with the variable names as keys, and Matomo's documented key names. */
export const NGINX_JSON_FIELDS: JsonFieldMap = {
  client: ['remote_addr', 'ip', 'client'], time: ['time_iso8601', 'time_local', 'msec', 'date', 'time', 'timestamp'],
  request: ['request'], method: ['request_method', 'method'], target: ['request_uri', 'uri', 'path'],
  query: ['args', 'query_string'], protocol: ['server_protocol', 'protocol'], status: ['status'],
  bytes: ['body_bytes_sent', 'bytes_sent', 'length', 'size'], referrer: ['http_referer', 'referrer', 'referer'],
  userAgent: ['http_user_agent', 'user_agent'], host: ['host', 'http_host', 'server_name'],
  user: ['remote_user', 'userid'], duration: ['request_time'], forwardedFor: ['http_x_forwarded_for'], durationUnit: 's',
};

type Path = string[];

/**
 * One JSON object per line (NDJSON). JSON.parse is native and faster than walking the text by hand;
 * fields are then read through the paths compiled once from the field map.
 */
export class JsonParser implements LineParser {
  lastRepair: RepairKind | null = null;
  private readonly paths: Record<keyof Omit<JsonFieldMap, 'durationUnit'>, Path[]>;
  private readonly durationScale: number;
  /** The role of each mapped path (`request.remote_ip` → client), for fieldsOf. */
  private readonly mappedRoles = new Map<string, FieldRole>();

  constructor(readonly name: string, map: JsonFieldMap, private readonly proxies: TrustedProxies | null = null) {
    const compile = (list?: string[]) => (list ?? []).map((p) => p.split('.'));
    this.paths = {
      client: compile(map.client), time: compile(map.time), request: compile(map.request), method: compile(map.method),
      target: compile(map.target), query: compile(map.query), protocol: compile(map.protocol), status: compile(map.status),
      bytes: compile(map.bytes), referrer: compile(map.referrer), userAgent: compile(map.userAgent), host: compile(map.host),
      user: compile(map.user), duration: compile(map.duration), forwardedFor: compile(map.forwardedFor),
    };
    const roles: Array<[FieldRole, string[] | undefined]> = [
      ['client', map.client], ['user', map.user], ['forwarded_for', map.forwardedFor], ['host', map.host], ['request', map.request],
      ['request', map.target], ['query', map.query], ['referrer', map.referrer],
    ];
    for (const [role, list] of roles) for (const path of list ?? []) this.mappedRoles.set(path, role);
    const unit = map.durationUnit ?? 's';
    this.durationScale = unit === 's' ? 1000 : unit === 'ms' ? 1 : unit === 'us' ? 0.001 : 0.000001;
  }

  parse(line: string, out: RawHit): ParseOutcome {
    this.lastRepair = null;
    if (line.length === 0) return 'empty_line';
    if (line.charCodeAt(0) !== 123 /* { */) return 'bad_json';
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch {
      return 'bad_json';
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return 'bad_json';
    const p = this.paths;
    const text = (paths: Path[]) => {
      const v = first(doc, paths);
      return v === undefined || v === null || v === '-' ? '' : String(v);
    };
    out.clientAddress = stripPort(text(p.client));
    if (out.clientAddress.length === 0) return 'missing_field';
    out.time = jsonTime(first(doc, p.time));
    if (Number.isNaN(out.time)) return 'bad_timestamp';
    out.remoteUser = text(p.user);
    out.vhost = stripVhostPort(text(p.host));
    out.forwardedFor = text(p.forwardedFor);
    const request = text(p.request);
    if (request.length > 0) {
      const reject = splitRequestLine(request, 0, request.length, out);
      if (reject !== null) return reject;
    } else {
      out.method = text(p.method) || 'GET';
      const target = text(p.target);
      const query = text(p.query);
      out.target = query.length > 0 && target.indexOf('?') < 0 ? `${target}?${query}` : target;
      out.protocol = text(p.protocol);
    }
    if (out.target.length === 0) return 'bad_request_line';
    absoluteFormTarget(out);
    const status = Number(text(p.status));
    if (!Number.isInteger(status) || status < 100 || status > 599) return 'bad_status';
    out.status = status;
    const bytes = Number(text(p.bytes) || 0);
    if (!Number.isFinite(bytes) || bytes < 0) return 'bad_bytes';
    out.bytes = bytes;
    out.referrer = text(p.referrer);
    const agent = first(doc, p.userAgent);
    out.userAgent = p.userAgent.length === 0 ? null : agent === undefined || agent === null || agent === '-' ? '' : String(agent);
    const duration = Number(first(doc, p.duration));
    // Rounded to nanoseconds: 0.001335486 s * 1000 is not exactly 1.335486 in binary floating point.
    out.durationMs = Number.isFinite(duration) && duration >= 0 ? Math.round(duration * this.durationScale * 1e6) / 1e6 : -1;
    if (this.proxies !== null) out.clientAddress = this.proxies.resolve(out.clientAddress, out.forwardedFor);
    return null;
  }

  /**
   * The object's values by key path: a mapped one has the role of what it is read as; any other is judged by
   * its own key or the nearest enclosing key that says something (`request.headers.Cookie.0` is a cookie).
   */
  fieldsOf(line: string): LineFields | null {
    if (line.charCodeAt(0) !== 123 /* { */) return null;
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch {
      return null;
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return null;
    return { kind: 'json', doc: doc as Record<string, unknown>, roleOf: (path) => this.roleOf(path) };
  }

  private roleOf(path: readonly string[]): FieldRole {
    const mapped = this.mappedRoles.get(path.join('.'));
    if (mapped !== undefined) return mapped;
    for (let i = path.length - 1; i >= 0; i--) {
      const role = roleOfName(path[i]);
      if (role !== null) return role;
    }
    return 'text';
  }
}

function first(doc: unknown, paths: Path[]): unknown {
  for (const path of paths) {
    let v: unknown = doc;
    for (const key of path) {
      if (v === null || typeof v !== 'object') { v = undefined; break; }
      v = (v as Record<string, unknown>)[key];
    }
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

/** Numbers are epoch seconds (milliseconds when too large for seconds); strings ISO 8601, CLF or epoch. */
function jsonTime(value: unknown): number {
  if (typeof value === 'number') return value > 1e11 ? parseEpoch(String(value), 'ms') : parseEpoch(String(value), 's');
  if (typeof value !== 'string') return NaN;
  if (value.charCodeAt(4) === 45) return parseIsoTime(value);
  if (value.charCodeAt(2) === 47) return parseClfTime(value.charCodeAt(0) === 91 ? value.slice(1, -1) : value);
  return parseEpoch(value, Number(value) > 1e11 ? 'ms' : 's');
}
