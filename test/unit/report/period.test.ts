import t from 'tap';
import { daysOf, parseLast, parsePeriod, PeriodError, previousOf } from '../../../src/report/period.js';

t.test('a FIRST..LAST period includes both days and is compared with the same number of days before it', async (t) => {
  t.same(parsePeriod('2026-11-01..2026-11-30'), {
    period: { from: '2026-11-01', to: '2026-11-30', days: 30 }, previous: { from: '2026-10-02', to: '2026-10-31', days: 30 }, description: null,
  });
  t.same(parsePeriod('2024-03-01..2024-03-01').previous, { from: '2024-02-29', to: '2024-02-29', days: 1 }, 'a leap day');
});

t.test('one day, and a month, are periods too', async (t) => {
  t.same(parsePeriod('2026-11-30'), {
    period: { from: '2026-11-30', to: '2026-11-30', days: 1 }, previous: { from: '2026-11-29', to: '2026-11-29', days: 1 }, description: null,
  });
  t.same(parsePeriod('2024-02'), {
    period: { from: '2024-02-01', to: '2024-02-29', days: 29 }, previous: { from: '2024-01-03', to: '2024-01-31', days: 29 }, description: '2024-02',
  });
});

t.test('--last counts back from the last day with data, in days or weeks', async (t) => {
  t.same(parseLast('7d', '2015-05-17'), {
    period: { from: '2015-05-11', to: '2015-05-17', days: 7 }, previous: { from: '2015-05-04', to: '2015-05-10', days: 7 }, description: 'last 7 days',
  });
  t.same(parseLast('2w', '2026-01-13').period, { from: '2025-12-31', to: '2026-01-13', days: 14 }, 'across a new year');
  t.same(parseLast('1d', '2026-01-13').description, 'last 1 day');
});

t.test('mistakes say what to write instead', async (t) => {
  t.throws(() => parsePeriod('2026-02-30'), new PeriodError('"2026-02-30" is not a day of the calendar'));
  t.throws(() => parsePeriod('30/11/2026'), new PeriodError('"30/11/2026" is not a day: write it as YYYY-MM-DD, e.g. 2026-11-30'));
  t.throws(() => parsePeriod('2026-11-30..2026-11-01'), new PeriodError('the period 2026-11-30..2026-11-01 ends before it starts'));
  t.throws(() => parsePeriod('2026-11-01..'), new PeriodError('"2026-11-01.." is not a period: write FIRST..LAST, e.g. 2026-11-01..2026-11-30'));
  t.throws(() => parsePeriod('2026-13'), new PeriodError('"2026-13" is not a month: write it as YYYY-MM, e.g. 2026-11'));
  t.throws(() => parseLast('7', '2026-01-01'), new PeriodError('"7" is not a length: write a number of days or weeks, e.g. 7d or 4w'));
  t.throws(() => parseLast('0d', '2026-01-01'), new PeriodError('--last 0d: the period needs at least one day'));
  t.throws(() => parsePeriod('2000-01-01..2026-01-01'), /is longer than 3660 days/);
});

t.test('the days of a period, and the period before it', async (t) => {
  t.same(daysOf({ from: '2026-02-27', to: '2026-03-02', days: 4 }), ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
  t.same(previousOf({ from: '2026-03-01', to: '2026-03-02', days: 2 }), { from: '2026-02-27', to: '2026-02-28', days: 2 });
});
