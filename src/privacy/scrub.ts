/**
 * Text scrubbing for everything that crosses the boundary as free text (paths, kept query values) and for
 * quarantined lines. Cheap pre-checks keep the common case (nothing to scrub) free of regex work.
 */

const EMAIL = /[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const IPV4 = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])/g;
// Either a '::' compression or eight groups: times such as 10:05:03 have neither.
const IPV6 = /(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?(?:\.\d{1,3}){0,3}(?![\w:])/g;

export function scrubEmails(text: string): string {
  if (text.indexOf('@') < 0 && text.indexOf('%40') < 0) return text;
  return text.replace(EMAIL, '{email}');
}

/** Replaces e-mail addresses and IPv4/IPv6 literals: for text kept verbatim, such as quarantined lines. */
export function scrubFreeText(text: string): string {
  return scrubEmails(text).replace(IPV4, '{address}').replace(IPV6, (m) => (m === '::' ? m : '{address}'));
}

/**
 * Scrubs a log line that could not be parsed. When it still starts like a common-log record
 * (`host ident user [` or with a virtual host in front), the host, ident and user fields are replaced
 * whatever they hold: a host name or a user name identifies as much as an address.
 */
export function scrubRejectedLine(line: string): string {
  const open = line.indexOf(' [');
  let text = line;
  if (open > 0) {
    const fields = line.slice(0, open).split(' ');
    if (fields.length === 3 || fields.length === 4) {
      const vhost = fields.length === 4 ? `${fields[0]} ` : '';
      text = `${vhost}{client} {ident} {user}${line.slice(open)}`;
    }
  }
  return scrubFreeText(text);
}

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

/** Keeps only allow-listed `key=value` pairs of a query string (values scrubbed of e-mails). */
export function filterQuery(query: string, allowed: (key: string) => boolean): string {
  if (query.length === 0) return '';
  let kept = '';
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (key.length === 0 || !allowed(key)) continue;
    kept += (kept.length > 0 ? '&' : '') + scrubFreeText(pair);
  }
  return kept;
}
