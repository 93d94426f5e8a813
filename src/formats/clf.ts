import { ClfTimeParser } from './clf-time.js';
import { readAddressList, type TrustedProxies } from './client.js';
import type { FieldRole, FieldSpan, LineFields } from './field-roles.js';
import { dashToEmpty, findClosingQuote, parseCount, splitRequestLine, stripVhostPort, threeDigitStatus } from './line-fields.js';
import type { LineParser, ParseOutcome, RawHit, RepairKind } from './types.js';

/**
 * NCSA common and combined log formats as Apache (`%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"`)
 * and nginx (`$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer"
 * "$http_user_agent"`) write them, with or without a leading virtual-host field (`%v` or `%v:%p`).
 * Fields are found with indexOf, not a regular expression: this is the hot path.
 */
export class ClfParser implements LineParser {
  readonly name: string;
  lastRepair: RepairKind | null = null;
  private readonly time = new ClfTimeParser();

  /**
   * @param withAgent read the referrer and user-agent fields that follow the size (combined)
   * @param requireVhost accept only lines with the leading virtual host (the vhost_* presets)
   * @param proxies trusted_proxies, for a client field that logs a list of addresses
   */
  constructor(private readonly withAgent: boolean, private readonly requireVhost = false,
    private readonly proxies: TrustedProxies | null = null) {
    this.name = `${requireVhost ? 'vhost_' : ''}${withAgent ? 'combined' : 'common'}`;
  }

  /**
   * The client field `line[start, end)` holds a list of addresses (readAddressList), separated by commas or
   * quoted: the right-most is the peer, the others are X-Forwarded-For, resolved like any other with
   * trusted_proxies. Off the hot path: a field with one address never comes here. False when the field is
   * not such a list.
   */
  private readClientList(line: string, start: number, end: number, out: RawHit): boolean {
    if (end <= start) return false;
    const field = line.slice(start, end);
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0) return false;
    const list = readAddressList(field);
    if (list === null) return false;
    out.forwardedFor = list.forwardedFor;
    out.clientAddress = this.proxies === null ? list.peer : this.proxies.resolve(list.peer, list.forwardedFor);
    return true;
  }

  parse(line: string, out: RawHit): ParseOutcome {
    this.lastRepair = null;
    if (line.length === 0) return 'empty_line';
    out.durationMs = -1;
    out.forwardedFor = '';
    out.acceptLanguage = '';
    const open = timeOpening(line);
    if (open < 0) return 'not_access_log';

    // Three fields before the time (host ident user), or four with a virtual host in front.
    const s1 = line.indexOf(' ');
    const s2 = line.indexOf(' ', s1 + 1);
    const s3 = line.indexOf(' ', s2 + 1);
    let s2h = s2, s3h = s3;
    if (s3 === open && s2 > 0) {
      if (this.requireVhost) return 'not_access_log';
      out.vhost = '';
      out.clientAddress = line.slice(0, s1);
      if (out.clientAddress.length === 0) return 'not_access_log';
      if (out.clientAddress.indexOf(',') >= 0 && !this.readClientList(line, 0, s1, out)) return 'not_access_log';
    } else if (s3 < 0 || s3 > open) {
      return 'not_access_log';
    } else if (!this.requireVhost && isDash(line, s1 + 1, s2) && line.charCodeAt(s1 - 1) !== 44 && line.charCodeAt(0) !== 34) {
      // `client - john doe [`: the user field has a space, and the first field is the client, not a virtual host.
      out.vhost = '';
      out.clientAddress = line.slice(0, s1);
      s3h = open;
    } else {
      const s4 = line.indexOf(' ', s3 + 1);
      // A first field ending in a comma or opening a quote starts a list of addresses, not a virtual host.
      const vhostFirst = line.charCodeAt(s1 - 1) !== 44 && line.charCodeAt(0) !== 34;
      if (vhostFirst) out.vhost = stripVhostPort(line.slice(0, s1));
      else if (this.requireVhost) return 'not_access_log';
      else out.vhost = '';
      if (vhostFirst && (s4 === open || isDash(line, s2 + 1, s3))) {
        // `vhost client ident user [`, the user field possibly with spaces.
        out.clientAddress = line.slice(s1 + 1, s2);
        if (out.clientAddress.length === 0 || isDash(line, s1 + 1, s2)) return 'not_access_log';
        if (out.clientAddress.indexOf(',') >= 0 && !this.readClientList(line, s1 + 1, s2, out)) return 'not_access_log';
        s2h = s3; s3h = open;
      } else {
        s3h = open;
        s2h = line.lastIndexOf(' ', open - 1);
        if (!this.readClientList(line, vhostFirst ? s1 + 1 : 0, line.lastIndexOf(' ', s2h - 1), out)) return 'not_access_log';
      }
    }
    const user = line.slice(s2h + 1, s3h);
    out.remoteUser = user === '-' ? '' : user;

    const close = line.indexOf(']', open + 2);
    if (close < 0) return 'bad_timestamp';
    const time = this.time.parse(line.slice(open + 2, close));
    if (Number.isNaN(time)) return 'bad_timestamp';
    out.time = time;

    if (line.charCodeAt(close + 1) !== 32 || line.charCodeAt(close + 2) !== 34 /* " */) return 'not_access_log';
    const reqStart = close + 3;
    const reqEnd = findClosingQuote(line, reqStart);
    if (reqEnd < 0) return 'not_access_log';
    const reject = splitRequestLine(line, reqStart, reqEnd, out);
    if (reject !== null) return reject;

    // ` status size`
    const statusStart = reqEnd + 2;
    if (line.charCodeAt(reqEnd + 1) !== 32) return 'not_access_log';
    const status = threeDigitStatus(line, statusStart);
    if (status < 0 || (line.length > statusStart + 3 && line.charCodeAt(statusStart + 3) !== 32)) return 'bad_status';
    out.status = status;
    const bytesStart = statusStart + 4;
    let bytesEnd = line.indexOf(' ', bytesStart);
    if (bytesEnd < 0) bytesEnd = line.length;
    const bytes = parseCount(line, bytesStart, bytesEnd);
    if (bytes < 0) return bytesStart >= line.length ? 'not_access_log' : 'bad_bytes';
    out.bytes = bytes;

    out.referrer = '';
    out.userAgent = null;
    if (!this.withAgent || bytesEnd >= line.length - 1) return null;
    // ` "referrer" "user agent"` — anything after them (an X-Forwarded-For field, timings) is ignored here.
    if (line.charCodeAt(bytesEnd + 1) !== 34) return null;
    const refStart = bytesEnd + 2;
    let refEnd = findClosingQuote(line, refStart);
    if (refEnd < 0) {
      this.lastRepair = 'unterminated_quote';
      refEnd = line.length;
    }
    out.referrer = dashToEmpty(line.slice(refStart, refEnd));
    if (refEnd + 2 >= line.length || line.charCodeAt(refEnd + 2) !== 34) return null;
    const uaStart = refEnd + 3;
    let uaEnd = findClosingQuote(line, uaStart);
    if (uaEnd < 0) {
      this.lastRepair = 'unterminated_quote';
      uaEnd = line.length;
    }
    out.userAgent = dashToEmpty(line.slice(uaStart, uaEnd));
    return null;
  }

  /**
   * Before the time: a virtual host where this parser would read one (four or more fields, the second not
   * `-`), then client, ident and user, replaced as one field when they cannot be told apart (lists of
   * addresses, user names with spaces). After it: the time, then quoted fields (request, referrer, agent)
   * and the unquoted ones between them (status, size, anything trailing).
   */
  fieldsOf(line: string): LineFields | null {
    // Without a time where it belongs, nothing tells where the client, ident and user fields end.
    const open = timeOpening(line);
    if (open <= 0 || line.charCodeAt(open + 4) !== 47 /* / */) return null;
    const spans: FieldSpan[] = [];
    const parts = line.slice(0, open).split(' ');
    let from = 0;
    if (parts.length >= 4 && parts[1] !== '-' && !parts[0].endsWith(',') && !parts[0].startsWith('"')) {
      spans.push({ start: 0, end: parts[0].length, role: 'host' });
      from = parts[0].length + 1;
      parts.shift();
    }
    if (parts.length === 3) {
      spans.push({ start: from, end: from + parts[0].length, role: 'client' });
      from += parts[0].length + 1;
      spans.push({ start: from, end: from + parts[1].length, role: 'ident' });
      spans.push({ start: from + parts[1].length + 1, end: open, role: 'user' });
    } else {
      spans.push({ start: from, end: open, role: 'client' });
    }
    const close = line.indexOf(']', open + 2);
    if (close < 0) return { kind: 'text', spans, splitTo: open + 2 };
    spans.push({ start: open + 2, end: close, role: 'text' });
    const quotedRoles: FieldRole[] = ['request', 'referrer'];
    let pos = close + 1;
    while (pos < line.length) {
      if (line.charCodeAt(pos) === 32) { pos++; continue; }
      if (line.charCodeAt(pos) === 34 /* " */) {
        let end = findClosingQuote(line, pos + 1);
        if (end < 0) end = line.length;
        spans.push({ start: pos + 1, end, role: quotedRoles.shift() ?? 'text' });
        pos = end + 1;
      } else {
        let end = line.indexOf(' ', pos);
        if (end < 0) end = line.length;
        spans.push({ start: pos, end, role: 'text' });
        pos = end;
      }
    }
    return { kind: 'text', spans, splitTo: line.length };
  }
}


/**
 * Where ` [` opens the time: the first ` [` followed by `dd/` (a client logged as `[2001:db8::1]:443` after
 * a virtual host opens a bracket too), else the first ` [` at all, so a bad time is still a bad time; -1 when
 * there is none.
 */
function timeOpening(line: string): number {
  const first = line.indexOf(' [');
  for (let open = first; open >= 0; open = line.indexOf(' [', open + 2)) {
    if (line.charCodeAt(open + 4) === 47 /* / */) return open;
  }
  return first;
}

/** `line[start, end)` is a lone `-`. */
function isDash(line: string, start: number, end: number): boolean {
  return end === start + 1 && line.charCodeAt(start) === 45;
}
