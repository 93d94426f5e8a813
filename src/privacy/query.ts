/**
 * Query strings, read and filtered inside the boundary: the only place a full one is seen. Only allow-listed
 * keys cross; a `key=value` pair glued on with `&` where no `?` came first (`/search&session=…`,
 * `https://www.google.com&page=5`) is a query pair all the same.
 */

/** Compiles allow-list patterns such as `utm_*` into a key test. Keys compare case-insensitively. */
export function compileAllowList(patterns: readonly string[]): (key: string) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const p of patterns) {
    const lower = p.toLowerCase();
    if (lower.endsWith('*')) prefixes.push(lower.slice(0, -1));
    else exact.add(lower);
  }
  return (key) => {
    const lower = key.toLowerCase();
    if (exact.has(lower)) return true;
    for (const prefix of prefixes) if (lower.startsWith(prefix)) return true;
    return false;
  };
}

/** Keeps only allow-listed `key=value` pairs of a query string (`&` or `?` between pairs), each passed through `clean`. */
export function filterQuery(query: string, allowed: (key: string) => boolean, clean: (pair: string) => string): string {
  if (query.length === 0) return '';
  let kept = '';
  let at = 0;
  while (at <= query.length) {
    let end = at;
    while (end < query.length && query.charCodeAt(end) !== 38 /* & */ && query.charCodeAt(end) !== 63 /* ? */) end++;
    const eq = query.indexOf('=', at);
    const key = eq < 0 || eq > end ? query.slice(at, end) : query.slice(at, eq);
    if (key.length > 0 && allowed(key)) kept += (kept.length > 0 ? '&' : '') + clean(query.slice(at, end));
    at = end + 1;
  }
  return kept;
}

/**
 * Drops every `&key=value` (and `?key=value`) pair whose key is not allow-listed from free text: a path
 * after its query string was cut off, a search keyword, a campaign value. A pair runs to the next `&`, `?`,
 * `#` or the end. Text without `=` is returned as it is, without a scan.
 */
export function dropQueryPairs(text: string, allowed: (key: string) => boolean): string {
  if (text.indexOf('=') < 0) return text;
  let out = '';
  let from = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 38 /* & */ && c !== 63 /* ? */) { i++; continue; }
    let k = i + 1;
    while (k < text.length && isKeyChar(text.charCodeAt(k))) k++;
    if (k === i + 1 || text.charCodeAt(k) !== 61 /* = */) { i++; continue; }
    let end = k + 1;
    while (end < text.length) {
      const e = text.charCodeAt(end);
      if (e === 38 || e === 63 || e === 35 /* # */) break;
      end++;
    }
    if (!allowed(text.slice(i + 1, k))) {
      out += text.slice(from, i);
      from = end;
    }
    i = end;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** What a query key is made of: anything up to `=` but separators, space and quotes. */
function isKeyChar(c: number): boolean {
  return c > 32 && c !== 38 && c !== 63 && c !== 61 && c !== 35 && c !== 34 && c !== 47 /* / */;
}

/** Decodes a query value: '+' as space, percent-decoded (undecodable text kept as is). */
export function decodeQueryValue(raw: string): string {
  const value = raw.indexOf('+') >= 0 ? raw.replace(/\+/g, ' ') : raw;
  if (value.indexOf('%') < 0) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Reads a query parameter from a URL by exact name, decoded; '' when absent. Scans without splitting. */
export function queryParam(url: string, name: string): string {
  const q = url.indexOf('?');
  if (q < 0) return '';
  const hash = url.indexOf('#', q);
  const end = hash < 0 ? url.length : hash;
  let at = q + 1;
  while (at < end) {
    let amp = url.indexOf('&', at);
    if (amp < 0 || amp > end) amp = end;
    if (url.startsWith(name, at) && url.charCodeAt(at + name.length) === 61 /* = */ && at + name.length < amp) {
      return decodeQueryValue(url.slice(at + name.length + 1, amp));
    }
    at = amp + 1;
  }
  return '';
}
