/**
 * The host of a referrer URL, lower-cased, without user info or port: all of a referrer that is kept. It
 * ends at the first character no host name has, so `https://www.google.com&page=5` gives `www.google.com`.
 * '' for no referrer or one that is not an absolute URL.
 */
export function referrerHost(referrer: string): string {
  if (referrer.length === 0) return '';
  const scheme = referrer.indexOf('://');
  if (scheme <= 0 || scheme > 32) return ''; // android-app:// and ios-app:// name the app as host
  let start = scheme + 3;
  const end = authorityEnd(referrer, start);
  const at = referrer.lastIndexOf('@', end);
  if (at >= start) start = at + 1;
  if (referrer.charCodeAt(start) === 91 /* [ */) {
    const close = referrer.indexOf(']', start);
    return close > 0 && close < end ? referrer.slice(start, close + 1).toLowerCase() : '';
  }
  let stop = start;
  while (stop < end && isHostChar(referrer.charCodeAt(stop))) stop++;
  return referrer.slice(start, stop).toLowerCase();
}

/** Letters, digits, `.`, `-`, `_`. */
function isHostChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 45 || c === 95;
}

/** Where the authority (user info, host, port) of a URL that starts at `start` ends: at `/`, `?`, `#` or the end. */
export function authorityEnd(url: string, start: number): number {
  for (let i = start; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) return i;
  }
  return url.length;
}
