import { HITS, ranking, type Section } from '../section.js';

/** Bots: flagged, never dropped; counted by their name. */
export const bots: Section = {
  id: 'bots',
  title: 'Bots',
  reads: ['clients_daily'],
  async load(q) {
    return [
      await ranking(q, {
        id: 'bots-top', title: 'Bots', keyLabel: 'bot', from: 'clients_daily', keys: ['bot_name'],
        where: 'is_bot = 1', measures: [HITS], label: ([name]) => name || 'unnamed',
      }),
    ];
  },
};
