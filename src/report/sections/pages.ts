import { count, PAGEVIEWS, ranking, type Section, VISITORS } from '../section.js';

const ENTRIES = count('entries', 'entries');

/** Pages: the most viewed, and where visits start. Exit pages come with the visits table (issue 12). */
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
        measures: [ENTRIES, PAGEVIEWS], label: ([path]) => path,
      }),
    ];
  },
};
