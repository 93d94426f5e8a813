/**
 * The report's period: whole UTC days (the trend tables keep UTC days and hours), first and last day
 * included, and the period of the same length just before it, which every number is compared with.
 */
export interface Period {
  /** First day, YYYY-MM-DD. */
  from: string;
  /** Last day, YYYY-MM-DD, included. */
  to: string;
  days: number;
}

export interface PeriodChoice {
  period: Period;
  previous: Period;
  /** How the period was chosen, when the days alone do not say it: "last 7 days", "2026-11". */
  description: string | null;
}

export class PeriodError extends Error {}

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const LAST = /^(\d+)\s*([dw])$/;
/** Longer periods are almost always a typo (2062 for 2026); DateTime ends in 2106 anyway. */
const MAX_DAYS = 3660;

/** Parses a calendar day, refusing dates that do not exist (2026-02-30). */
export function parseDay(text: string): number {
  const m = ISO_DAY.exec(text.trim());
  if (m === null) throw new PeriodError(`"${text}" is not a day: write it as YYYY-MM-DD, e.g. 2026-11-30`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (formatDay(ms) !== text.trim()) throw new PeriodError(`"${text}" is not a day of the calendar`);
  return ms;
}

export function formatDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return formatDay(parseDay(day) + n * DAY_MS);
}

function periodOf(fromMs: number, toMs: number): Period {
  return { from: formatDay(fromMs), to: formatDay(toMs), days: Math.round((toMs - fromMs) / DAY_MS) + 1 };
}

/** The period of the same length that ends the day before `period` starts. */
export function previousOf(period: Period): Period {
  const from = parseDay(period.from);
  return periodOf(from - period.days * DAY_MS, from - DAY_MS);
}

/**
 * `--period`: `A..B` (both days included), one day `A`, or a month `YYYY-MM`.
 */
export function parsePeriod(text: string): PeriodChoice {
  const value = text.trim();
  let fromMs: number;
  let toMs: number;
  const month = MONTH.exec(value);
  if (month !== null) {
    const m = Number(month[2]);
    if (m < 1 || m > 12) throw new PeriodError(`"${text}" is not a month: write it as YYYY-MM, e.g. 2026-11`);
    fromMs = Date.UTC(Number(month[1]), m - 1, 1);
    toMs = Date.UTC(Number(month[1]), m, 1) - DAY_MS;
  } else if (value.includes('..')) {
    const [a, b, ...rest] = value.split('..');
    if (rest.length > 0 || a === '' || b === '') {
      throw new PeriodError(`"${text}" is not a period: write FIRST..LAST, e.g. 2026-11-01..2026-11-30`);
    }
    fromMs = parseDay(a);
    toMs = parseDay(b);
    if (toMs < fromMs) throw new PeriodError(`the period ${text} ends before it starts`);
  } else {
    fromMs = parseDay(value);
    toMs = fromMs;
  }
  return choice(periodOf(fromMs, toMs), month !== null ? value : null);
}

/**
 * `--last 7d` / `--last 4w`: that many days ending with `lastDay` (the newest day the store has data
 * for, so a report made in the morning does not end with an empty today).
 */
export function parseLast(text: string, lastDay: string): PeriodChoice {
  const m = LAST.exec(text.trim());
  if (m === null) throw new PeriodError(`"${text}" is not a length: write a number of days or weeks, e.g. 7d or 4w`);
  const days = Number(m[1]) * (m[2] === 'w' ? 7 : 1);
  if (days < 1) throw new PeriodError(`--last ${text}: the period needs at least one day`);
  if (days > MAX_DAYS) throw new PeriodError(`--last ${text}: at most ${MAX_DAYS} days`);
  const toMs = parseDay(lastDay);
  return choice(periodOf(toMs - (days - 1) * DAY_MS, toMs), `last ${days} day${days === 1 ? '' : 's'}`);
}

function choice(period: Period, description: string | null): PeriodChoice {
  if (period.days > MAX_DAYS) throw new PeriodError(`the period ${period.from}..${period.to} is longer than ${MAX_DAYS} days`);
  return { period, previous: previousOf(period), description };
}

/** Every day of a period, in order. */
export function daysOf(period: Period): string[] {
  const first = parseDay(period.from);
  return Array.from({ length: period.days }, (_, i) => formatDay(first + i * DAY_MS));
}
