/**
 * Time fields other than the common-log `[dd/Mon/yyyy:HH:MM:SS +zzzz]` (see clf-time.ts): ISO 8601 / RFC 3339
 * with sub-second digits and offsets, epoch seconds or milliseconds with fractions, W3C `date` + `time`
 * pairs (UTC by definition) and HAProxy's `dd/Mon/yyyy:HH:MM:SS.mmm`. All return epoch milliseconds or NaN.
 * Written with charCodeAt, not Date.parse or a regular expression: these run once per line.
 */

export const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

export function digitsAt(s: string, from: number, count: number): number {
  if (from + count > s.length) return -1;
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Milliseconds of a UTC calendar time, or NaN when a field is out of range or the day does not exist. */
export function utcMillis(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  if (year < 0 || month < 0 || month > 11 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59
    || second < 0 || second > 60) return NaN;
  if (day > 28 && day > daysInMonth(year, month)) return NaN;
  return Date.UTC(year, month, day, hour, minute, second);
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month !== 1) return DAYS[month];
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** Reads `.ddd…` at `at` as milliseconds (extra digits truncated); returns [ms, index after the digits]. */
function fraction(s: string, at: number, out: { end: number }): number {
  let i = at + 1;
  let ms = 0;
  let scale = 100;
  while (i < s.length) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    ms += c * scale;
    scale /= 10;
    i++;
  }
  out.end = i;
  return Math.floor(ms);
}

const cursor = { end: 0 };

/**
 * `yyyy-mm-ddTHH:MM:SS[.fff…](Z|±hh:mm|±hhmm)`; a space may stand for the T, and a missing zone means UTC
 * (Traefik's `time`, nginx `$time_iso8601` always carries one).
 */
export function parseIsoTime(s: string): number {
  if (s.length < 19 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const sep = s.charCodeAt(10);
  if (sep !== 84 /* T */ && sep !== 32 && sep !== 116 /* t */) return NaN;
  let value = utcMillis(digitsAt(s, 0, 4), digitsAt(s, 5, 2) - 1, digitsAt(s, 8, 2), digitsAt(s, 11, 2), digitsAt(s, 14, 2), digitsAt(s, 17, 2));
  if (Number.isNaN(value)) return NaN;
  let i = 19;
  if (s.charCodeAt(i) === 46 /* . */ || s.charCodeAt(i) === 44 /* , */) {
    value += fraction(s, i, cursor);
    i = cursor.end;
  }
  if (i === s.length) return value;
  const z = s.charCodeAt(i);
  if ((z === 90 || z === 122) && i + 1 === s.length) return value;
  if (z !== 43 && z !== 45) return NaN;
  const offH = digitsAt(s, i + 1, 2);
  const colon = s.charCodeAt(i + 3) === 58 ? 1 : 0;
  const offM = digitsAt(s, i + 3 + colon, 2);
  if (offH < 0 || offM < 0 || i + 5 + colon !== s.length) return NaN;
  return value - (z === 45 ? -1 : 1) * (offH * 60 + offM) * 60_000;
}

/**
 * Epoch seconds with an optional fraction (`1703373474.8155608`, nginx `$msec`, Caddy `ts`), or whole
 * milliseconds when `unit` says so. Values before 2000 or after 2100 are rejected: they are a wrong unit.
 */
export function parseEpoch(s: string, unit: 's' | 'ms' | 'us' = 's'): number {
  if (s.length === 0) return NaN;
  const n = Number(s);
  if (!Number.isFinite(n)) return NaN;
  const ms = unit === 's' ? Math.floor(n * 1000) : unit === 'ms' ? Math.floor(n) : Math.floor(n / 1000);
  return ms >= 946_684_800_000 && ms < 4_102_444_800_000 ? ms : NaN;
}

/** W3C extended `date` (yyyy-mm-dd) and `time` (HH:MM:SS[.fff]), both UTC. */
export function parseW3cDateTime(date: string, time: string): number {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45 || time.length < 8
    || time.charCodeAt(2) !== 58 || time.charCodeAt(5) !== 58) return NaN;
  const value = utcMillis(digitsAt(date, 0, 4), digitsAt(date, 5, 2) - 1, digitsAt(date, 8, 2), digitsAt(time, 0, 2), digitsAt(time, 3, 2), digitsAt(time, 6, 2));
  if (time.length === 8 || Number.isNaN(value)) return value;
  if (time.charCodeAt(8) !== 46) return NaN;
  return value + fraction(time, 8, cursor);
}

/** HAProxy's accept date `dd/Mon/yyyy:HH:MM:SS.mmm`, which has no zone: read as UTC (documented). */
export function parseHaproxyTime(t: string): number {
  if (t.length < 20 || t.charCodeAt(2) !== 47 || t.charCodeAt(6) !== 47 || t.charCodeAt(11) !== 58) return NaN;
  const month = MONTHS[t.slice(3, 6)];
  if (month === undefined) return NaN;
  const value = utcMillis(digitsAt(t, 7, 4), month, digitsAt(t, 0, 2), digitsAt(t, 12, 2), digitsAt(t, 15, 2), digitsAt(t, 18, 2));
  if (t.length === 20 || Number.isNaN(value)) return value;
  return t.charCodeAt(20) === 46 ? value + fraction(t, 20, cursor) : NaN;
}

/** `mm/dd/yy` or `mm/dd/yyyy` (IIS native) → UTC midnight in milliseconds; two-digit years are 19xx from 70. */
export function parseMdyDate(s: string): number {
  const a = s.indexOf('/');
  const b = s.indexOf('/', a + 1);
  if (a < 1 || b < 0) return NaN;
  const month = digitsAt(s, 0, a);
  const day = digitsAt(s, a + 1, b - a - 1);
  let year = digitsAt(s, b + 1, s.length - b - 1);
  if (month < 1 || day < 1 || year < 0) return NaN;
  if (s.length - b - 1 === 2) year += year >= 70 ? 1900 : 2000;
  else if (s.length - b - 1 !== 4) return NaN;
  return utcMillis(year, month - 1, day, 0, 0, 0);
}

/** `H:MM:SS[.fff]` → milliseconds since midnight, or NaN. */
export function parseTimeOfDay(s: string): number {
  const a = s.indexOf(':');
  if (a < 1 || a > 2 || s.charCodeAt(a + 3) !== 58) return NaN;
  const hour = digitsAt(s, 0, a);
  const minute = digitsAt(s, a + 1, 2);
  const second = digitsAt(s, a + 4, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return NaN;
  let ms = ((hour * 60 + minute) * 60 + second) * 1000;
  if (s.length > a + 6) {
    if (s.charCodeAt(a + 6) !== 46) return NaN;
    ms += fraction(s, a + 6, cursor);
  }
  return ms;
}
