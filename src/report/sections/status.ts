import { count, HITS, ranking, type Section, totals } from '../section.js';

/**
 * Status: client and server errors, and the paths that fail most (bots included: a crawler's 404s are
 * broken links too). Status classes by hour and response times come with issue 12's table.
 */
export const status: Section = {
  id: 'status',
  title: 'Errors',
  reads: ['traffic_hourly', 'pages_daily'],
  async load(q) {
    return [
      await totals(q, {
        id: 'status-totals', title: 'Errors', from: 'traffic_hourly', day: 'toDate(hour)',
        measures: [count('status_4xx', 'client errors (4xx)'), count('status_5xx', 'server errors (5xx)')],
      }),
      await ranking(q, {
        id: 'status-failing', title: 'Failing paths', keyLabel: 'path', from: 'pages_daily', keys: ['path'],
        measures: [count('errors', 'errors (4xx, 5xx)'), HITS], label: ([path]) => path,
      }),
    ];
  },
};
