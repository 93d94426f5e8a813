import type { TrustedProxies } from './client.js';
import { type FieldRole, type FieldSpan, type LineFields, roleOfName } from './field-roles.js';
import { absoluteFormTarget, dashToEmpty, parseCount, splitRequestLine, stripVhostPort } from './line-fields.js';
import { parseW3cDateTime } from './time.js';
import type { LineParser, ParseOutcome, RawHit, RepairKind } from './types.js';

/** Columns siftlog reads, by W3C field identifier (IIS, CloudFront, NetScaler and Incapsula spellings). */
const COLUMNS: Record<string, keyof Columns> = {
  date: 'date', time: 'time', 'c-ip': 'client', 'cs-method': 'method', 'cs-uri-stem': 'path', 'cs-uri-query': 'query',
  'cs-uri': 'target', 'sc-status': 'status', 'sc-bytes': 'bytes', 'cs(user-agent)': 'userAgent', 'cs(referer)': 'referrer',
  'cs(referrer)': 'referrer', 'cs-host': 'host', 'cs(host)': 'host', 'x-host-header': 'host', 's-sitename': 'site',
  'cs-username': 'user', 'time-taken': 'duration', 'cs-version': 'protocol', 'cs-protocol-version': 'protocol',
  bytes: 'bytes', 'c-status': 'status', 'cs-bytes': 'contentLength', 'x-duration': 'durationSeconds', 'x-forwarded-for': 'forwardedFor', 's-xff': 'forwardedFor', 'cs(x-forwarded-for)': 'forwardedFor', 'x-edge-location': 'edge',
};

interface Columns {
  date: number; time: number; client: number; method: number; path: number; query: number; target: number;
  status: number; bytes: number; userAgent: number; referrer: number; host: number; site: number; user: number;
  duration: number; durationSeconds: number; protocol: number; forwardedFor: number; edge: number;
  /** `cs-bytes`: request bytes in IIS, but Incapsula's "content length" of the response (its only size column). */
  contentLength: number;
}

function noColumns(): Columns {
  return {
    date: -1, time: -1, client: -1, method: -1, path: -1, query: -1, target: -1, status: -1, bytes: -1, userAgent: -1,
    referrer: -1, host: -1, site: -1, user: -1, duration: -1, durationSeconds: -1, protocol: -1, forwardedFor: -1, edge: -1,
    contentLength: -1,
  };
}

/**
 * W3C extended log files (IIS, CloudFront web distributions, NetScaler, Incapsula): the columns are named by
 * a `#Fields:` directive, which may change mid-file and repeat (IIS starts a new block on restart). Values
 * are separated by spaces (tabs for CloudFront); IIS writes spaces inside values as `+`, CloudFront
 * percent-encodes agents twice; both are decoded for the user agent. `time-taken` is milliseconds in IIS
 * and seconds in CloudFront (recognised by its x-edge-location column) and NetScaler (by #Software).
 * An empty value (`-`, or `""` in Incapsula's all-quoted lines) is a missing one.
 */
export class W3cParser implements LineParser {
  readonly name = 'w3c';
  lastRepair: RepairKind | null = null;
  private columns: Columns | null = null;
  private count = 0;
  private durationInSeconds = false;
  /** NetScaler writes time-taken in seconds (IIS in milliseconds); known from #Software. */
  private secondsWriter = false;
  /** Incapsula (Imperva) logs the response size as cs-bytes; known from #Software or its cs-clapp column. */
  private incapsulaWriter = false;
  private readonly values: string[] = [];
  /** Each column's role for privacy (fieldsOf), from its name. */
  private roles: FieldRole[] = [];
  /** From `#Date:`, for files whose #Fields has no date column (IIS 4). */
  private directiveDate = '';
  /** From `#GMT-Offset: -0800` (Oracle Web Cache): the times are local, this many ms ahead of UTC. */
  private offsetMs = 0;

  constructor(private readonly proxies: TrustedProxies | null = null) {}

  parse(line: string, out: RawHit): ParseOutcome {
    this.lastRepair = null;
    if (line.length === 0) return 'empty_line';
    if (line.charCodeAt(0) === 35 /* # */) {
      if (line.startsWith('#Fields:')) this.setFields(line.slice(8).trim().split(/\s+/));
      else if (line.startsWith('#Date:')) this.directiveDate = line.slice(6).trim().slice(0, 10);
      else if (line.startsWith('#GMT-Offset:')) this.offsetMs = parseOffset(line.slice(12).trim());
      else if (line.startsWith('#Software:')) {
        this.secondsWriter = /netscaler/i.test(line);
        this.incapsulaWriter = /incapsula|imperva/i.test(line);
      }
      return 'directive';
    }
    const c = this.columns;
    if (c === null) return 'no_fields_header';
    const v = this.values;
    const found = splitColumns(line, v, this.count);
    if (found < this.count) return 'not_access_log';
    const get = (i: number) => (i < 0 ? '' : dashToEmpty(v[i]));
    out.time = parseW3cDateTime(c.date < 0 ? this.directiveDate : get(c.date), get(c.time)) - this.offsetMs;
    if (Number.isNaN(out.time)) return 'bad_timestamp';
    out.clientAddress = get(c.client);
    if (out.clientAddress.length === 0) return 'missing_field';
    out.remoteUser = get(c.user);
    out.vhost = stripVhostPort(c.host >= 0 ? get(c.host) : '');
    out.forwardedFor = get(c.forwardedFor);
    out.protocol = get(c.protocol);
    const uri = c.target < 0 ? '' : get(c.target);
    if (uri.indexOf(' ') > 0) {
      const reject = splitRequestLine(uri, 0, uri.length, out);
      if (reject !== null) return reject;
    } else if (uri.length > 0) {
      out.method = get(c.method) || 'GET';
      const query = get(c.query);
      // Incapsula writes cs-uri as host + path without a scheme.
      const slash = uri.indexOf('/');
      if (slash > 0 && out.vhost.length === 0) out.vhost = uri.slice(0, slash);
      const path = slash > 0 ? uri.slice(slash) : uri;
      out.target = query.length > 0 && path.indexOf('?') < 0 ? `${path}?${query}` : path;
    } else {
      out.method = get(c.method) || 'GET';
      const query = get(c.query);
      out.target = query.length > 0 ? `${get(c.path)}?${query}` : get(c.path);
    }
    if (out.target.length === 0) return 'bad_request_line';
    absoluteFormTarget(out);
    // Incapsula leaves the status empty ("") when the origin closed the connection without answering.
    const statusText = get(c.status);
    if (statusText.length === 0) return 'missing_field';
    const status = Number(statusText);
    if (!Number.isInteger(status) || status < 100 || status > 599) return 'bad_status';
    out.status = status;
    const bytesText = get(c.bytes);
    const bytes = bytesText.length === 0 ? 0 : parseCount(bytesText, 0, bytesText.length);
    if (bytes < 0) return 'bad_bytes';
    out.bytes = bytes;
    out.referrer = get(c.referrer);
    out.userAgent = c.userAgent < 0 ? null : decodeAgent(get(c.userAgent));
    const inSeconds = c.duration < 0 || this.durationInSeconds || this.secondsWriter;
    const column = c.duration >= 0 ? c.duration : c.durationSeconds;
    const duration = column < 0 ? NaN : Number(get(column) || NaN);
    out.durationMs = Number.isFinite(duration) && duration >= 0 ? (inSeconds ? duration * 1000 : duration) : -1;
    if (this.proxies !== null) out.clientAddress = this.proxies.resolve(out.clientAddress, out.forwardedFor);
    return null;
  }

  /**
   * The columns of the current #Fields block, each with its role. A line with fewer columns than the block
   * names cannot be told apart into them (its values would land in the wrong columns): null, like a line
   * before any #Fields header and a directive.
   */
  fieldsOf(line: string): LineFields | null {
    if (this.columns === null || line.charCodeAt(0) === 35 /* # */) return null;
    const spans: FieldSpan[] = [];
    if (splitColumns(line, [], this.count, spans) < this.count) return null;
    for (let i = 0; i < spans.length; i++) spans[i].role = this.roles[i];
    return { kind: 'text', spans, splitTo: spans[spans.length - 1].end };
  }

  private setFields(names: string[]): void {
    const columns = noColumns();
    names.forEach((name, i) => {
      const key = COLUMNS[name.toLowerCase()];
      if (key !== undefined && columns[key] < 0) columns[key] = i;
    });
    if (columns.bytes < 0 && (this.incapsulaWriter || names.includes('cs-clapp'))) columns.bytes = columns.contentLength;
    this.columns = columns;
    this.roles = names.map((name) => {
      const read = COLUMNS[name.toLowerCase()];
      return (read === undefined ? undefined : ROLES[read]) ?? roleOfName(name) ?? 'text';
    });
    this.count = names.length;
    this.durationInSeconds = columns.edge >= 0;
  }
}

/** Columns whose role follows from what siftlog reads in them; the others are judged by name (roleOfName). */
const ROLES: Partial<Record<keyof Columns, FieldRole>> = {
  client: 'client', user: 'user', forwardedFor: 'forwarded_for', host: 'host', site: 'host', path: 'request', target: 'request',
  query: 'query', referrer: 'referrer',
};

/**
 * Splits on tabs when the line has any, else on spaces; a value in double quotes (IIS cookies) may hold
 * spaces. Fills `out` and returns how many values it found (more than expected are ignored); with `spans`,
 * also where each value starts and ends.
 */
function splitColumns(line: string, out: string[], expected: number, spans?: FieldSpan[]): number {
  const tab = line.indexOf('\t') >= 0;
  const sep = tab ? '\t' : ' ';
  let pos = 0;
  let n = 0;
  while (pos < line.length && n < expected) {
    let end: number;
    if (line.charCodeAt(pos) === 34) {
      // "quoted value": Incapsula quotes every value, IIS and Oracle quote cookies and agents.
      const close = line.indexOf('"', pos + 1);
      end = close < 0 ? line.length : close + 1;
      spans?.push({ start: pos + 1, end: close < 0 ? line.length : close, role: 'text' });
      out[n++] = line.slice(pos + 1, close < 0 ? line.length : close);
    } else {
      end = line.indexOf(sep, pos);
      if (end < 0) end = line.length;
      spans?.push({ start: pos, end, role: 'text' });
      out[n++] = line.slice(pos, end);
    }
    pos = end + 1;
    // Some writers (Oracle Web Cache, CloudFront RTMP) pad columns with runs of spaces.
    if (!tab) while (line.charCodeAt(pos) === 32) pos++;
  }
  return n;
}

/** `-0800` → -8 h in milliseconds; 0 for anything else. */
function parseOffset(text: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (m === null) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

function decodeAgent(agent: string): string {
  let text = agent;
  if (text.indexOf('+') >= 0 && text.indexOf(' ') < 0) text = text.replace(/\+/g, ' ');
  for (let round = 0; round < 2 && text.indexOf('%') >= 0; round++) {
    try {
      text = decodeURIComponent(text);
    } catch {
      break;
    }
  }
  return text;
}
