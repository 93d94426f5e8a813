import { count, PAGEVIEWS, ranking, rate, type Section, VISITORS } from '../section.js';

const ENTRIES = count('entries', 'entries');

/**
 * Pages: the most viewed, and where people's visits start (with the visits that viewed nothing else) and end.
 * Entries, bounces and exits count visits by the day they started.
 */
export const pages: Section = {
  id: 'pages',
  title: 'Pages',
  reads: ['pages_daily'],
  async load(q) {
    return [
      await ranking(q, {
        id: 'pages-top', title: 'Top pages', keyLabel: 'page', from: 'pages_daily', keys: ['path'],
        measures: [PAGEVIEWS, VISITORS, ENTRIES], label: ([path]) => path,
      }),
      await ranking(q, {
        id: 'pages-entry', title: 'Entry pages', keyLabel: 'page', from: 'pages_daily', keys: ['path'],
        measures: [ENTRIES, count('bounces', 'bounces'), rate('bounce_rate', 'bounce rate', 'bounces', 'entries')], label: ([path]) => path,
      }),
      await ranking(q, {
        id: 'pages-exit', title: 'Exit pages', keyLabel: 'page', from: 'pages_daily', keys: ['path'],
        measures: [count('exits', 'exits'), PAGEVIEWS], label: ([path]) => path,
      }),
    ];
  },
};
