import { count, derived, HITS, ranking, type Section, totals, type TrendMeasure } from '../section.js';

const DAY = 'toDate(hour)';
const percentile = (level: number, label: string): TrendMeasure =>
  derived(`p${Math.round(level * 100)}`, label, 'ms', (c) => `quantileTimingMergeIf(${level})(response_ms, ${c})`);
const P50 = percentile(0.5, 'median');
const P90 = percentile(0.9, 'p90');
const P99 = percentile(0.99, 'p99');
const TIMED = count('timed', 'timed requests');

/**
 * Response times and status classes (responses_hourly): every request, bots too (they load the server as
 * well). Percentiles are over requests whose log format has a duration; a period without one shows them as
 * unknown, never 0. quantileTiming is exact below 1024 ms, in 16 ms steps above.
 */
export const performance: Section = {
  id: 'performance',
  title: 'Response times',
  reads: ['responses_hourly'],
  async load(q) {
    return [
      await totals(q, { id: 'performance-totals', title: 'Response times', from: 'responses_hourly', day: DAY, measures: [TIMED, P50, P90, P99] }),
      await ranking(q, {
        id: 'performance-slowest', title: 'Slowest paths', keyLabel: 'path', from: 'responses_hourly', day: DAY, keys: ['path'],
        measures: [P90, P50, P99, TIMED], label: ([path]) => path,
      }),
      await ranking(q, {
        id: 'performance-classes', title: 'Status classes', keyLabel: 'class', from: 'responses_hourly', day: DAY, keys: ['status_class'],
        measures: [HITS], label: ([c]) => c,
      }),
    ];
  },
};
