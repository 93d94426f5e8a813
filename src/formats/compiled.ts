import { dropPort } from '../net/address.js';
import { ClfTimeParser } from './clf-time.js';
import type { TrustedProxies } from './client.js';
import { type FieldRole, type FieldSpan, type LineFields, roleOfName } from './field-roles.js';
import { FieldKind, missingEssentials } from './fields.js';
import { absoluteFormTarget, dashToEmpty, findClosingQuote, parseCount, splitRequestLine, stripVhostPort, threeDigitStatus } from './line-fields.js';
import { FormatStringError, type FormatSpec } from './format-string.js';
import { parseEpoch, parseHaproxyTime, parseIsoTime, parseMdyDate, parseTimeOfDay } from './time.js';
import type { LineParser, ParseOutcome, RawHit, RepairKind } from './types.js';

/**
 * A format string compiled into an extractor: the line is walked once, each field ending where the
 * literal text after it begins (indexOf), quoted fields at their closing unescaped quote. No regular
 * expression and no per-field allocation except the slices a RawHit keeps.
 */
export class CompiledParser implements LineParser {
  lastRepair: RepairKind | null = null;
  private readonly lead: string;
  private readonly kinds: FieldKind[];
  private readonly afters: string[];
  private readonly quoted: boolean[];
  private readonly roles: FieldRole[];
  private readonly time = new ClfTimeParser();
  private readonly needsQueryJoin: boolean;
  /** Date and time of day from separate fields (IIS native), joined after the walk. */
  private datePart = NaN;
  private timeOfDay = NaN;
  /** Set by fieldEnd(): the quoted field it measured has no closing quote. */
  private unterminated = false;

  constructor(readonly name: string, spec: FormatSpec, private readonly proxies: TrustedProxies | null = null) {
    const missing = missingEssentials(spec.fields.map((f) => f.kind));
    if (missing.length > 0) throw new FormatStringError(`the format has no field for ${missing.join(', ')}`);
    this.lead = spec.lead;
    this.kinds = spec.fields.map((f) => f.kind);
    this.afters = spec.fields.map((f) => f.after);
    this.quoted = spec.fields.map((f) => f.quoted);
    this.roles = spec.fields.map((f) => roleOfKind(f.kind) ?? roleOfName(f.name) ?? 'text');
    this.needsQueryJoin = this.kinds.includes(FieldKind.QUERY);
  }

  parse(line: string, out: RawHit): ParseOutcome {
    this.lastRepair = null;
    if (line.length === 0) return 'empty_line';
    if (!line.startsWith(this.lead)) return 'not_access_log';
    out.time = NaN; out.clientAddress = ''; out.remoteUser = ''; out.method = ''; out.target = ''; out.protocol = '';
    out.status = -1; out.bytes = 0; out.referrer = ''; out.userAgent = null; out.vhost = ''; out.durationMs = -1;
    out.forwardedFor = ''; out.acceptLanguage = '';
    this.datePart = NaN;
    let query = '';
    let pos = this.lead.length;
    const kinds = this.kinds;
    const afters = this.afters;
    const quoted = this.quoted;
    const count = kinds.length;
    for (let f = 0; f < count; f++) {
      const after = afters[f];
      const end = this.fieldEnd(line, f, pos);
      if (end < 0) return 'not_access_log';
      // A line cut inside its last quoted field (a truncated user agent) keeps what it has.
      if (this.unterminated) this.lastRepair = 'unterminated_quote';
      const kind = kinds[f];
      if (kind !== FieldKind.IGNORE) {
        const reject = this.apply(kind, line, pos, end, out);
        if (reject !== null) return reject;
        if (kind === FieldKind.QUERY) query = dashToEmpty(line.slice(pos, end));
      }
      if (end >= line.length) {
        if (f < count - 1 && this.lastRepair === null && !this.restIgnorable(f + 1)) return 'not_access_log';
        break;
      }
      if (quoted[f] && !line.startsWith(after, end)) return 'not_access_log';
      pos = end + after.length;
    }
    if (!Number.isNaN(this.datePart)) out.time = this.datePart + this.timeOfDay;
    if (this.needsQueryJoin && query.length > 0 && out.target.indexOf('?') < 0) out.target = `${out.target}?${query}`;
    if (out.clientAddress.length === 0) return 'missing_field';
    if (Number.isNaN(out.time)) return 'bad_timestamp';
    if (out.status < 0) return 'bad_status';
    if (out.target.length === 0) return 'bad_request_line';
    if (out.method.length === 0) out.method = 'GET';
    if (this.proxies !== null) out.clientAddress = this.proxies.resolve(out.clientAddress, out.forwardedFor);
    return null;
  }

  /**
   * Where field `f`, starting at `pos`, ends: at its closing quote (the end of the line when there is none),
   * else where the literal text after it begins; the end of the line for the last field or one the line
   * stops in. -1 when the literal after a field in the middle of the line is missing. Sets `unterminated`
   * when a quoted field has no closing quote.
   */
  private fieldEnd(line: string, f: number, pos: number): number {
    this.unterminated = false;
    if (this.quoted[f]) {
      const close = findClosingQuote(line, pos);
      this.unterminated = close < 0;
      return close < 0 ? line.length : close;
    }
    const after = this.afters[f];
    if (after.length === 0) return line.length;
    const end = line.indexOf(after, pos);
    if (end >= 0) return end;
    return f === this.kinds.length - 1 || pos >= line.length ? line.length : -1;
  }

  /** The fields in format order, as far as the format's literal text is where it should be. */
  fieldsOf(line: string): LineFields | null {
    if (!line.startsWith(this.lead)) return null;
    const spans: FieldSpan[] = [];
    let pos = this.lead.length;
    for (let f = 0; f < this.kinds.length && pos <= line.length; f++) {
      const end = this.fieldEnd(line, f, pos);
      if (end < 0) break;
      spans.push({ start: pos, end, role: this.roles[f] });
      if (end >= line.length || !line.startsWith(this.afters[f], end)) {
        pos = end;
        break;
      }
      pos = end + this.afters[f].length;
    }
    return { kind: 'text', spans, splitTo: pos };
  }

  /** Fields that may be cut off at the end of a line: referrer, agent and everything siftlog does not read. */
  private restIgnorable(from: number): boolean {
    for (let f = from; f < this.kinds.length; f++) {
      const k = this.kinds[f];
      if (k !== FieldKind.IGNORE && k !== FieldKind.REFERRER && k !== FieldKind.USER_AGENT && k !== FieldKind.FORWARDED_FOR && k !== FieldKind.ACCEPT_LANGUAGE
        && k !== FieldKind.DURATION_S && k !== FieldKind.DURATION_MS && k !== FieldKind.DURATION_US && k !== FieldKind.VHOST) return false;
    }
    return true;
  }

  private apply(kind: FieldKind, line: string, start: number, end: number, out: RawHit): ParseOutcome {
    switch (kind) {
      case FieldKind.CLIENT:
        out.clientAddress = dashToEmpty(line.slice(start, end));
        return null;
      case FieldKind.CLIENT_PORT:
        out.clientAddress = dropPort(dashToEmpty(line.slice(start, end)));
        return null;
      case FieldKind.REMOTE_USER:
        out.remoteUser = dashToEmpty(line.slice(start, end));
        return null;
      case FieldKind.TIME_CLF:
        out.time = this.time.parse(line.slice(start, end));
        return Number.isNaN(out.time) ? 'bad_timestamp' : null;
      case FieldKind.TIME_ISO:
        out.time = parseIsoTime(line.slice(start, end));
        return Number.isNaN(out.time) ? 'bad_timestamp' : null;
      case FieldKind.TIME_EPOCH_S:
      case FieldKind.TIME_EPOCH_MS:
      case FieldKind.TIME_EPOCH_US:
        out.time = parseEpoch(line.slice(start, end), kind === FieldKind.TIME_EPOCH_S ? 's' : kind === FieldKind.TIME_EPOCH_MS ? 'ms' : 'us');
        return Number.isNaN(out.time) ? 'bad_timestamp' : null;
      case FieldKind.TIME_HAPROXY:
        out.time = parseHaproxyTime(line.slice(start, end));
        return Number.isNaN(out.time) ? 'bad_timestamp' : null;
      case FieldKind.DATE_MDY:
        this.datePart = parseMdyDate(line.slice(start, end));
        return Number.isNaN(this.datePart) ? 'bad_timestamp' : null;
      case FieldKind.TIME_OF_DAY:
        this.timeOfDay = parseTimeOfDay(line.slice(start, end));
        return Number.isNaN(this.timeOfDay) ? 'bad_timestamp' : null;
      case FieldKind.REQUEST: {
        if (line.startsWith('- - -', start)) return 'non_http_record';
        const reject = splitRequestLine(line, start, end, out);
        if (reject !== null) return reject;
        absoluteFormTarget(out);
        return null;
      }
      case FieldKind.METHOD:
        out.method = dashToEmpty(line.slice(start, end));
        return null;
      case FieldKind.TARGET:
      case FieldKind.PATH:
        out.target = dashToEmpty(line.slice(start, end));
        absoluteFormTarget(out);
        return null;
      case FieldKind.PROTOCOL:
        out.protocol = dashToEmpty(line.slice(start, end));
        return null;
      case FieldKind.STATUS: {
        if (end - start === 1 && line.charCodeAt(start) === 45) return null;
        const status = end - start === 3 ? threeDigitStatus(line, start) : -1;
        if (status < 0) return 'bad_status';
        out.status = status;
        return null;
      }
      case FieldKind.BYTES: {
        const bytes = parseCount(line, start, end);
        if (bytes < 0) return 'bad_bytes';
        out.bytes = bytes;
        return null;
      }
      case FieldKind.REFERRER:
        out.referrer = dashToEmpty(line.slice(start, end));
        return null;
      case FieldKind.USER_AGENT:
        out.userAgent = dashToEmpty(line.slice(start, end));
        return null;
      case FieldKind.VHOST:
        if (out.vhost.length === 0) out.vhost = stripVhostPort(dashToEmpty(line.slice(start, end)));
        return null;
      case FieldKind.DURATION_S:
      case FieldKind.DURATION_MS:
      case FieldKind.DURATION_US: {
        const value = parseDuration(line.slice(start, end));
        if (value >= 0) out.durationMs = kind === FieldKind.DURATION_S ? value * 1000 : kind === FieldKind.DURATION_MS ? value : value / 1000;
        return null;
      }
      case FieldKind.FORWARDED_FOR:
        out.forwardedFor = dashToEmpty(line.slice(start, end));
        return null;
      case FieldKind.ACCEPT_LANGUAGE:
        out.acceptLanguage = dashToEmpty(line.slice(start, end));
        return null;
      default:
        return null;
    }
  }
}

/** What a field is for privacy, by what siftlog reads from it; null for the fields it does not read. */
function roleOfKind(kind: FieldKind): FieldRole | null {
  switch (kind) {
    case FieldKind.CLIENT: case FieldKind.CLIENT_PORT: return 'client';
    case FieldKind.REMOTE_USER: return 'user';
    case FieldKind.FORWARDED_FOR: return 'forwarded_for';
    case FieldKind.VHOST: return 'host';
    case FieldKind.REQUEST: case FieldKind.TARGET: case FieldKind.PATH: return 'request';
    case FieldKind.QUERY: return 'query';
    case FieldKind.REFERRER: return 'referrer';
    case FieldKind.IGNORE: return null;
    default: return 'text';
  }
}

/** A non-negative decimal (`0.123`, `57`), or -1 for '-' and anything else (`0.001, 0.002` upstream lists). */
function parseDuration(text: string): number {
  if (text.length === 0 || text === '-') return -1;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : -1;
}
