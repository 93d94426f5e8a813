import { ClfTimeParser } from './clf-time.js';
import { stripPort, type TrustedProxies } from './client.js';
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
  private readonly time = new ClfTimeParser();
  private readonly needsQueryJoin: boolean;
  /** Date and time of day from separate fields (IIS native), joined after the walk. */
  private datePart = NaN;
  private timeOfDay = NaN;

  constructor(readonly name: string, spec: FormatSpec, private readonly proxies: TrustedProxies | null = null) {
    const missing = missingEssentials(spec.fields.map((f) => f.kind));
    if (missing.length > 0) throw new FormatStringError(`the format has no field for ${missing.join(', ')}`);
    this.lead = spec.lead;
    this.kinds = spec.fields.map((f) => f.kind);
    this.afters = spec.fields.map((f) => f.after);
    this.quoted = spec.fields.map((f) => f.quoted);
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
      let end: number;
      if (quoted[f]) {
        end = findClosingQuote(line, pos);
        if (end < 0) {
          // A line cut inside its last quoted field (a truncated user agent) keeps what it has.
          this.lastRepair = 'unterminated_quote';
          end = line.length;
        }
      } else if (after.length === 0) {
        end = line.length;
      } else {
        end = line.indexOf(after, pos);
        if (end < 0) {
          if (f === count - 1 || pos >= line.length) end = line.length;
          else return 'not_access_log';
        }
      }
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

/**
 * A field that always ends in `:port` (load balancers). ALB writes IPv6 clients without brackets
 * (`2001:db8::1:50599`), so the last colon is the port's whatever the address looks like.
 */
function dropPort(address: string): string {
  if (address.charCodeAt(0) === 91 /* [ */) return stripPort(address);
  const colon = address.lastIndexOf(':');
  return colon < 0 ? address : address.slice(0, colon);
}






/** A non-negative decimal (`0.123`, `57`), or -1 for '-' and anything else (`0.001, 0.002` upstream lists). */
function parseDuration(text: string): number {
  if (text.length === 0 || text === '-') return -1;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : -1;
}
