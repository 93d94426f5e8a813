import { PAGEVIEWS, ranking, type Section, VISITORS, VISITS } from '../section.js';

/** Campaigns: visits that came with utm_* tags, by campaign, source and medium. */
export const campaigns: Section = {
  id: 'campaigns',
  title: 'Campaigns',
  reads: ['campaigns_daily'],
  async load(q) {
    return [
      await ranking(q, {
        id: 'campaigns-top', title: 'Campaigns', keyLabel: 'campaign (source / medium)', from: 'campaigns_daily',
        keys: ['utm_campaign', 'utm_source', 'utm_medium'], measures: [VISITS, VISITORS, PAGEVIEWS],
        label: ([campaign, source, medium]) => `${campaign || '(none)'} (${source || '-'} / ${medium || '-'})`,
      }),
    ];
  },
};
