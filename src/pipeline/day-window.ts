import { addDays, type SiteCalendar } from '../privacy/calendar.js';
import { ConfigError } from './config.js';

/** Calendar days of the site, first to last, and the instants they span: [from, to) in Unix ms. */
export interface DayWindow {
  first: string;
  last: string;
  from: number;
  to: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const QUARTER_HOUR_MS = 15 * 60_000;

/** The instant a site's day begins: local midnight, found on the quarter-hour grid every zone offset lies on. */
export function startOfDay(day: string, calendar: SiteCalendar): number {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  // Zone offsets lie between -12 and +14 hours.
  for (let t = utcMidnight - 15 * 3600_000; t <= utcMidnight + 13 * 3600_000; t += QUARTER_HOUR_MS) {
    if (calendar.dayKey(t) === day) return t;
  }
  throw new Error(`no instant of ${day} in ${calendar.timeZone}`);
}

/**
 * The days a nightly run loads: `date`, or `from`…`to`, or yesterday in the site's time zone. Dates are
 * checked: a mistyped or impossible date is a ConfigError naming the flag.
 */
export function dayWindow(options: { date?: string; from?: string; to?: string }, calendar: SiteCalendar, now: number): DayWindow {
  if (options.date !== undefined && (options.from !== undefined || options.to !== undefined)) {
    throw new ConfigError('give --date, or --from and --to, not both');
  }
  let first: string;
  let last: string;
  if (options.date !== undefined) {
    first = last = checkDay('--date', options.date);
  } else if (options.from !== undefined || options.to !== undefined) {
    if (options.from === undefined || options.to === undefined) throw new ConfigError('--from and --to go together');
    first = checkDay('--from', options.from);
    last = checkDay('--to', options.to);
    if (last < first) throw new ConfigError(`--to ${last} is before --from ${first}`);
  } else {
    first = last = addDays(calendar.dayKey(now), -1);
  }
  return { first, last, from: startOfDay(first, calendar), to: startOfDay(addDays(last, 1), calendar) };
}

function checkDay(flag: string, value: string): string {
  const time = Date.parse(`${value}T00:00:00Z`);
  if (!DAY.test(value) || Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) {
    throw new ConfigError(`${flag} ${value}: not a date; write it as YYYY-MM-DD`);
  }
  return value;
}
