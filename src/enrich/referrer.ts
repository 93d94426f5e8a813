/**
 * The host of a referrer URL, lower-cased, without user info or port: all of a referrer that is kept.
 * '' for no referrer or one that is not an absolute http(s)/other URL.
 */
export function referrerHost(referrer: string): string {
  if (referrer.length === 0) return '';
  const scheme = referrer.indexOf('://');
  if (scheme <= 0 || scheme > 32) return '';
  let start = scheme + 3;
  let end = referrer.length;
  for (let i = start; i < referrer.length; i++) {
    const c = referrer.charCodeAt(i);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) {
      end = i;
      break;
    }
  }
  const at = referrer.lastIndexOf('@', end);
  if (at >= start) start = at + 1;
  let host = referrer.slice(start, end);
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    host = close > 0 ? host.slice(0, close + 1) : host;
  } else {
    const colon = host.indexOf(':');
    if (colon >= 0) host = host.slice(0, colon);
  }
  return host.toLowerCase();
}
