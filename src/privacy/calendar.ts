/**
 * Calendar days in the site's time zone. A salt belongs to a day as the site's visitors live it, so a
 * site in Berlin starts a new salt at midnight Berlin time, not at midnight UTC.
 */
const QUARTER_HOUR_MS = 15 * 60_000;

export class InvalidTimeZoneError extends Error {}

/** Throws InvalidTimeZoneError unless `timeZone` is an IANA name (or UTC) this Node knows. */
export function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone });
  } catch {
    throw new InvalidTimeZoneError(`unknown time zone "${timeZone}": use an IANA name such as Europe/Berlin, America/New_York or UTC`);
  }
}

/**
 * Maps instants to `YYYY-MM-DD` in one time zone. Every zone offset in use is a multiple of 15 minutes, so
 * midnight always falls on a quarter-hour boundary of UTC: the answer is remembered per quarter hour, and
 * hits that come in time order cost one comparison each.
 */
export class SiteCalendar {
  private readonly format: Intl.DateTimeFormat;
  private lastQuarter = NaN;
  private lastKey = '';

  constructor(readonly timeZone: string = 'UTC') {
    checkTimeZone(timeZone);
    // en-CA formats dates as YYYY-MM-DD.
    this.format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  dayKey(timeMs: number): string {
    const quarter = Math.floor(timeMs / QUARTER_HOUR_MS);
    if (quarter !== this.lastQuarter) {
      this.lastQuarter = quarter;
      this.lastKey = this.format.format(quarter * QUARTER_HOUR_MS);
    }
    return this.lastKey;
  }
}

/** The day `days` calendar days after (or before, when negative) a `YYYY-MM-DD` key. */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
