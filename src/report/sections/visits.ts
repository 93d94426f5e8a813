import { count, derived, rate, type Section, totals, VISITS } from '../section.js';

const DAY = 'toDate(hour)';

/**
 * Visits: people's visits by the hour they started (a visit across midnight counts on its first day, with
 * its whole duration). Bounce rate, views per visit and duration are over the visits that viewed a page,
 * as in queries/visits.sql; entry and exit pages are in the Pages section.
 */
export const visits: Section = {
  id: 'visits',
  title: 'Visits',
  reads: ['traffic_hourly'],
  async load(q) {
    return [
      await totals(q, {
        id: 'visits-totals', title: 'Visits', from: 'traffic_hourly', day: DAY,
        measures: [
          VISITS,
          count('page_visits', 'visits with a page'),
          derived('views_per_visit', 'views per visit', 'ratio', (c) => `sumIf(pageviews, ${c}) / sumIf(page_visits, ${c})`),
          rate('bounce_rate', 'bounce rate', 'bounces', 'page_visits'),
          derived('median_duration', 'median duration', 'seconds', (c) => `quantileTimingMergeIf(0.5)(visit_seconds, ${c})`),
          derived('mean_duration', 'mean duration', 'seconds', (c) => `sumIf(visit_seconds_sum, ${c}) / sumIf(page_visits, ${c})`),
        ],
      }),
    ];
  },
};
