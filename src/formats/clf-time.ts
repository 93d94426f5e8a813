import { digitsAt as digits, MONTHS, utcMillis } from './time.js';

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
  const month = MONTHS[t.slice(3, 6)];
  const sign = t.charCodeAt(21) === 45 /* - */ ? -1 : t.charCodeAt(21) === 43 /* + */ ? 1 : 0;
  const offH = digits(t, 22, 2);
  const offM = digits(t, 24, 2);
  if (month === undefined || sign === 0 || offH < 0 || offM < 0) return NaN;
  // utcMillis rejects days the month does not have (31/Feb), which Date.UTC would roll over.
  const local = utcMillis(digits(t, 7, 4), month, digits(t, 0, 2), digits(t, 12, 2), digits(t, 15, 2), digits(t, 18, 2));
  return local - sign * (offH * 60 + offM) * 60_000;
}
