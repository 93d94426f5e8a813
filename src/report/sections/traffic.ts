import type { Block, SeriesBlock } from '../model.js';
import { addDays, daysOf } from '../period.js';
import { inBoth, num, type ReportQuery, SITE_FILTER, table } from '../query.js';
import { count, HITS, measureOf, PAGEVIEWS, ranking, type Section, totals, VISITORS, VISITS } from '../section.js';

/** Periods this short are drawn by the hour. */
const HOURLY_UP_TO_DAYS = 2;
const DAY = 'toDate(hour)';

const SERIES_MEASURES = [VISITORS, VISITS, PAGEVIEWS];

/**
 * Traffic: the headline numbers, visitors/visits/pageviews over time, and the sites side by side when the
 * report covers several. Visitors over more than a day count each day's visitors (ids change daily).
 */
export const traffic: Section = {
  id: 'traffic',
  title: 'Traffic',
  reads: ['traffic_hourly'],
  async load(q) {
    const blocks: Block[] = [
      await totals(q, {
        id: 'traffic-totals', title: 'Totals', from: 'traffic_hourly', day: DAY,
        measures: [VISITORS, VISITS, PAGEVIEWS, HITS, { ...count('bytes', 'data sent'), format: 'bytes' }, count('bot_hits', 'bot hits')],
      }),
      await series(q),
    ];
    if (q.scope.site === null) {
      const sites = await ranking(q, {
        id: 'traffic-sites', title: 'Sites', keyLabel: 'site', from: 'traffic_hourly', day: DAY, keys: ['site'],
        measures: [VISITORS, VISITS, PAGEVIEWS, HITS], label: ([site]) => site,
      });
      if (sites.rows.length > 1) blocks.push(sites);
    }
    return blocks;
  },
};

async function series(q: ReportQuery): Promise<SeriesBlock> {
  const { period } = q.scope;
  const hourly = period.days <= HOURLY_UP_TO_DAYS;
  const at = hourly ? `formatDateTime(hour, '%Y-%m-%d %H:00')` : `toString(${DAY})`;
  const rows = await q.rows<{ at: string; visitors: unknown; visits: unknown; pageviews: unknown }>(`
    SELECT ${at} AS at, uniqCombinedMerge(visitors) AS visitors, sum(visits) AS visits, sum(pageviews) AS pageviews
    FROM ${table('traffic_hourly')} WHERE ${SITE_FILTER} AND ${inBoth(DAY)}
    GROUP BY at`);
  const byAt = new Map(rows.map((r) => [r.at, [num(r.visitors), num(r.visits), num(r.pageviews)]]));
  const valueAt = (key: string, i: number) => byAt.get(key)?.[i] ?? 0;
  const slots = hourly
    ? daysOf(period).flatMap((day) => Array.from({ length: 24 }, (_, h) => `${day} ${String(h).padStart(2, '0')}:00`))
    : daysOf(period);
  return {
    kind: 'series', id: 'traffic-series', title: `Visitors, visits and pageviews per ${hourly ? 'hour' : 'day'}`,
    unit: hourly ? 'hour' : 'day', measures: SERIES_MEASURES.map(measureOf),
    points: slots.map((slot) => {
      const previousAt = `${addDays(slot.slice(0, 10), -period.days)}${slot.slice(10)}`;
      return { at: slot, previousAt, values: SERIES_MEASURES.map((_, i) => ({ current: valueAt(slot, i), previous: valueAt(previousAt, i) })) };
    }),
  };
}
