import { type FieldRole, IDENTIFYING_ROLES, type LineFields } from '../formats/field-roles.js';
import { lineShape } from '../formats/line-shape.js';
import type { RedactedLine, RejectedLineRedactor } from '../formats/quarantine.js';
import { type LeakPolicy, textLeaks } from './leak-detectors.js';
import { filterQuery } from './query.js';
import { authorityEnd } from './referrer-host.js';

/**
 * What a quarantine file keeps of a rejected line. Where the parser can split the line into its fields, the
 * fields that identify a person (client, forwarded-for, user, ident, cookie, request body) are replaced by
 * `{client}`, `{user}`…, a virtual host is kept only when it may be a site name, request targets and
 * referrers keep their scrubbed path and allow-listed query pairs, and every other field is scrubbed like a
 * path. A line that cannot be split keeps only its shape and length (formats/line-shape.ts), and so does one
 * whose kept text would still show an address, an e-mail or an unlisted query key.
 */
export class RejectedLines implements RejectedLineRedactor {
  private readonly policy: LeakPolicy;

  /**
   * @param clean the boundary's scrubbing of free text (identifiers replaced, unlisted `&key=value` dropped)
   * @param allowKey the query allow-list
   * @param storedHost a host as it may be stored: itself when it may be a site name, else a placeholder
   */
  constructor(
    private readonly clean: (text: string) => string,
    private readonly allowKey: (key: string) => boolean,
    private readonly storedHost: (host: string) => string,
  ) {
    // No network is ever kept here: any prefix will do.
    this.policy = { ipv4Prefix: 24, ipv6Prefix: 48, allowKey };
  }

  redact(line: string, fields: LineFields | null): RedactedLine {
    if (fields === null) return unsplit(line);
    const text = fields.kind === 'text' ? this.spans(line, fields) : JSON.stringify(this.value(fields.doc, [], fields.roleOf));
    if (textLeaks(text, this.policy, false).length > 0) return unsplit(line);
    return { text };
  }

  private spans(line: string, fields: Extract<LineFields, { kind: 'text' }>): string {
    let out = '';
    let at = 0;
    for (const span of fields.spans) {
      out += line.slice(at, span.start) + this.field(line.slice(span.start, span.end), span.role);
      at = span.end;
    }
    out += line.slice(at, fields.splitTo);
    return fields.splitTo < line.length ? out + lineShape(line.slice(fields.splitTo)) : out;
  }

  private value(value: unknown, path: string[], roleOf: (path: readonly string[]) => FieldRole): unknown {
    if (value === null || typeof value !== 'object') {
      const role = roleOf(path);
      if (typeof value === 'string') return this.field(value, role);
      return IDENTIFYING_ROLES.has(role) ? `{${role}}` : value;
    }
    if (path.length > 0 && IDENTIFYING_ROLES.has(roleOf(path))) return `{${roleOf(path)}}`;
    if (Array.isArray(value)) return value.map((item, i) => this.value(item, [...path, String(i)], roleOf));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = this.value(item, [...path, key], roleOf);
    return out;
  }

  /** One field's kept text by its role. `-` and empty fields say nothing and stay. */
  private field(text: string, role: FieldRole): string {
    if (text.length === 0 || text === '-') return text;
    if (IDENTIFYING_ROLES.has(role)) return `{${role}}`;
    switch (role) {
      // A virtual host that is no site name is `{host}`, whatever it is instead.
      case 'host': return this.storedHost(text).startsWith('{') ? '{host}' : text;
      case 'request': return this.request(text);
      case 'referrer': return this.url(text);
      case 'query': return filterQuery(text, this.allowKey, this.clean);
      default: return this.clean(text);
    }
  }

  /** `METHOD target PROTOCOL`, or a target alone. */
  private request(text: string): string {
    const first = text.indexOf(' ');
    const last = text.lastIndexOf(' ');
    if (first < 0) return this.target(text);
    if (last === first) return `${this.clean(text.slice(0, first))} ${this.target(text.slice(first + 1))}`;
    return `${this.clean(text.slice(0, first))} ${this.target(text.slice(first + 1, last))} ${this.clean(text.slice(last + 1))}`;
  }

  /** A path with its query string, or an absolute URL. */
  private target(text: string): string {
    if (text.indexOf('://') > 0) return this.url(text);
    const q = text.indexOf('?');
    if (q < 0) return this.clean(text);
    const query = text.slice(q + 1);
    const kept = filterQuery(query, this.allowKey, this.clean);
    return `${this.clean(text.slice(0, q))}?${kept.length > 0 || query.length === 0 ? kept : '{query}'}`;
  }

  /** A URL without its user info; host and path scrubbed, query filtered. Anything else is scrubbed text. */
  private url(text: string): string {
    const scheme = text.indexOf('://');
    if (scheme <= 0) return this.clean(text);
    let start = scheme + 3;
    const end = authorityEnd(text, start);
    const at = text.lastIndexOf('@', end);
    const userInfo = at >= start ? '{user}@' : '';
    if (at >= start) start = at + 1;
    const host = text.slice(start, end);
    return `${this.clean(text.slice(0, scheme + 3))}${userInfo}${host.length === 0 ? '' : this.storedHost(host)}${this.target(text.slice(end))}`;
  }
}

function unsplit(line: string): RedactedLine {
  return { shape: lineShape(line), length: line.length };
}
