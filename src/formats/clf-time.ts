const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Parses the common-log time `dd/Mon/yyyy:HH:MM:SS +hhmm` (26 characters, as Apache `%t` and nginx
 * `$time_local` write it) into epoch milliseconds, or NaN. Consecutive lines usually share the second,
 * so the caller-visible cost is mostly one string comparison.
 */
export class ClfTimeParser {
  private lastText = '';
  private lastValue = NaN;

  parse(text: string): number {
    if (text === this.lastText) return this.lastValue;
    const value = parseClfTime(text);
    this.lastText = text;
    this.lastValue = value;
    return value;
  }
}

export function parseClfTime(t: string): number {
  if (t.length !== 26 || t.charCodeAt(2) !== 47 /* / */ || t.charCodeAt(6) !== 47 || t.charCodeAt(11) !== 58 /* : */
    || t.charCodeAt(20) !== 32) return NaN;
  const day = digits(t, 0, 2);
  const month = MONTHS[t.slice(3, 6)];
  const year = digits(t, 7, 4);
  const hour = digits(t, 12, 2);
  const minute = digits(t, 15, 2);
  const second = digits(t, 18, 2);
  const sign = t.charCodeAt(21) === 45 /* - */ ? -1 : t.charCodeAt(21) === 43 /* + */ ? 1 : 0;
  const offH = digits(t, 22, 2);
  const offM = digits(t, 24, 2);
  if (month === undefined || day < 1 || day > 31 || year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
    || second < 0 || second > 60 || sign === 0 || offH < 0 || offM < 0) return NaN;
  const local = Date.UTC(year, month, day, hour, minute, second);
  // Date.UTC rolls 31/Feb over to March: reject days the month does not have.
  if (new Date(local).getUTCDate() !== day) return NaN;
  return local - sign * (offH * 60 + offM) * 60_000;
}
