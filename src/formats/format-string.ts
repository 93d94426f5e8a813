import { APACHE_DIRECTIVES, FieldKind, HEADER_FIELDS, NGINX_VARIABLES } from './fields.js';

/**
 * A log format as data: literal text, then fields each followed by the literal text that ends them.
 * `"$request" $status` is lead `"`, field REQUEST (quoted) ending at `" `, field STATUS ending at ''.
 */
export interface FormatSpec {
  lead: string;
  fields: FieldSpec[];
}

export interface FieldSpec {
  /** The name as written (`$remote_addr`, `%{User-Agent}i`), for messages. */
  name: string;
  kind: FieldKind;
  /** Enclosed in double quotes: its end is the next unescaped quote, so it may contain the separator. */
  quoted: boolean;
  /** Literal text between this field and the next (or the end of the format). */
  after: string;
}

export class FormatStringError extends Error {}

interface Piece { literal?: string; name?: string; kind?: FieldKind }

/**
 * nginx `log_format` syntax: `$name` or `${name}` variables between literal text. The string may be given
 * as nginx.conf writes it, in one or more quoted parts (`'$remote_addr - ' '"$request"'`).
 */
export function parseNginxFormat(format: string): FormatSpec {
  const text = unquoteConfigParts(format.trim());
  const pieces: Piece[] = [];
  let i = 0;
  let literal = '';
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      literal += c;
      i++;
      continue;
    }
    let name: string;
    if (text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      if (close < 0) throw new FormatStringError(`unclosed \${ at character ${i + 1} of the format`);
      name = text.slice(i + 2, close);
      i = close + 1;
    } else {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j])) j++;
      name = text.slice(i + 1, j);
      i = j;
    }
    if (name.length === 0) throw new FormatStringError(`a "$" at character ${i} is not followed by a variable name`);
    if (literal.length > 0) pieces.push({ literal });
    literal = '';
    pieces.push({ name: `$${name}`, kind: nginxKind(name) });
  }
  if (literal.length > 0) pieces.push({ literal });
  return assemble(pieces);
}

function nginxKind(name: string): FieldKind {
  const known = NGINX_VARIABLES[name];
  if (known !== undefined) return known;
  if (name.startsWith('http_')) return HEADER_FIELDS[name.slice(5).replace(/_/g, '-')] ?? FieldKind.IGNORE;
  return FieldKind.IGNORE;
}

/**
 * Apache `LogFormat` syntax: `%h`, `%>s`, `%{Referer}i`, `%{ms}T`, `%{sec}t`, with optional status
 * conditions (`%400,501{User-agent}i`) and the config file's `\"` escapes.
 */
export function parseApacheFormat(format: string): FormatSpec {
  let text = format.trim();
  if (text.length >= 2 && text[0] === '"' && text[text.length - 1] === '"') text = text.slice(1, -1);
  const pieces: Piece[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      const next = text[i + 1];
      literal += next === 't' ? '\t' : next === 'n' ? '\n' : next;
      i += 2;
      continue;
    }
    if (c !== '%') {
      literal += c;
      i++;
      continue;
    }
    if (text[i + 1] === '%') {
      literal += '%';
      i += 2;
      continue;
    }
    const start = i;
    i++;
    while (i < text.length && /[0-9,!<>]/.test(text[i])) i++;
    let arg: string | null = null;
    if (text[i] === '{') {
      const close = text.indexOf('}', i);
      if (close < 0) throw new FormatStringError(`unclosed %{ at character ${i + 1} of the format`);
      arg = text.slice(i + 1, close);
      i = close + 1;
    }
    const directive = text[i];
    if (directive === undefined) throw new FormatStringError(`the format ends inside the directive "${text.slice(start)}"`);
    i++;
    const name = text.slice(start, i);
    const kind = apacheKind(directive, arg, name);
    if (directive === 't' && (arg === null || arg.startsWith('%') || arg === '')) {
      // %t writes its own brackets: [10/Oct/2000:13:55:36 -0700]
      literal += '[';
      pieces.push({ literal }, { name, kind });
      literal = ']';
      continue;
    }
    if (literal.length > 0) pieces.push({ literal });
    literal = '';
    pieces.push({ name, kind });
  }
  if (literal.length > 0) pieces.push({ literal });
  return assemble(pieces);
}

function apacheKind(directive: string, arg: string | null, name: string): FieldKind {
  if (arg === null) return APACHE_DIRECTIVES[directive] ?? FieldKind.IGNORE;
  switch (directive) {
    case 'i': return HEADER_FIELDS[arg.toLowerCase()] ?? FieldKind.IGNORE;
    case 'a': return FieldKind.CLIENT;
    case 'T': return arg === 'ms' ? FieldKind.DURATION_MS : arg === 'us' ? FieldKind.DURATION_US : FieldKind.DURATION_S;
    case 't':
      if (arg === 'sec') return FieldKind.TIME_EPOCH_S;
      if (arg === 'msec') return FieldKind.TIME_EPOCH_MS;
      if (arg === 'usec') return FieldKind.TIME_EPOCH_US;
      if (arg === '%d/%b/%Y:%H:%M:%S %z' || arg === '') return FieldKind.TIME_CLF;
      if (arg === '%Y-%m-%dT%H:%M:%S%z' || arg === '%FT%T%z') return FieldKind.TIME_ISO;
      throw new FormatStringError(`${name}: only the default %t, %{sec|msec|usec}t and ISO 8601 (%{%Y-%m-%dT%H:%M:%S%z}t) times are supported`);
    default: return FieldKind.IGNORE;
  }
}

/** Joins literals, checks that every two fields are separated, and marks quoted fields. */
function assemble(pieces: Piece[]): FormatSpec {
  const merged: Piece[] = [];
  for (const p of pieces) {
    const last = merged[merged.length - 1];
    if (p.literal !== undefined && last?.literal !== undefined) last.literal += p.literal;
    else merged.push({ ...p });
  }
  let k = 0;
  let lead = '';
  if (merged[0]?.literal !== undefined) lead = merged[k++].literal!;
  const fields: FieldSpec[] = [];
  while (k < merged.length) {
    const field = merged[k++];
    let after = '';
    if (k < merged.length && merged[k].literal !== undefined) after = merged[k++].literal!;
    else if (k < merged.length) {
      throw new FormatStringError(`${field.name} and ${merged[k].name} have no text between them, so a line cannot be split there`);
    }
    const before = fields.length === 0 ? lead : fields[fields.length - 1].after;
    fields.push({ name: field.name!, kind: field.kind!, quoted: before.endsWith('"') && after.startsWith('"'), after });
  }
  if (fields.length === 0) throw new FormatStringError('the format has no fields');
  return { lead, fields };
}

/** `'a ' 'b'` (nginx.conf's way of splitting a long format) → `a b`; an unquoted string is returned as is. */
function unquoteConfigParts(text: string): string {
  const q = text[0];
  if ((q !== "'" && q !== '"') || text[text.length - 1] !== q) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const quote = text[i];
    if (quote !== "'" && quote !== '"') {
      if (/\s/.test(quote)) { i++; continue; }
      return text;
    }
    let j = i + 1;
    while (j < text.length && text[j] !== quote) {
      if (text[j] === '\\' && j + 1 < text.length) { out += text[j + 1]; j += 2; continue; }
      out += text[j++];
    }
    if (j >= text.length) return text;
    i = j + 1;
  }
  return out;
}
