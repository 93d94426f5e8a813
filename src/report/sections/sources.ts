import { PAGEVIEWS, ranking, type Section, VISITORS, VISITS } from '../section.js';

const MEASURES = [VISITS, VISITORS, PAGEVIEWS];

/**
 * Sources: where visits come from (internal navigation is not a source: sources_daily leaves it out), by
 * referrer class, by source (the search engine, network or mail service, else the referring host), and
 * the search keywords the referrers carried.
 */
export const sources: Section = {
  id: 'sources',
  title: 'Sources',
  reads: ['sources_daily'],
  async load(q) {
    return [
      await ranking(q, {
        id: 'sources-classes', title: 'Referrer classes', keyLabel: 'class', from: 'sources_daily', keys: ['referrer_class'],
        measures: MEASURES, label: ([c]) => c || 'unknown',
      }),
      await ranking(q, {
        id: 'sources-top', title: 'Top sources', keyLabel: 'source', from: 'sources_daily',
        keys: [`if(referrer_source != '', referrer_source, referrer_host)`, 'referrer_class'], where: `referrer_class != 'direct'`,
        measures: MEASURES, label: ([source, c]) => `${source || '(no host)'} (${c})`,
      }),
      await ranking(q, {
        id: 'sources-keywords', title: 'Search keywords', keyLabel: 'keyword', from: 'sources_daily',
        keys: ['search_keyword'], where: `search_keyword != ''`, measures: MEASURES, label: ([k]) => k,
      }),
    ];
  },
};
