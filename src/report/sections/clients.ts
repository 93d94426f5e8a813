import { PAGEVIEWS, ranking, type Section, VISITORS } from '../section.js';

const PEOPLE = 'is_person = 1';
const MEASURES = [VISITORS, PAGEVIEWS];

/** Browsers, operating systems and device types of the people (bots are their own section). */
export const clients: Section = {
  id: 'clients',
  title: 'Browsers, systems and devices',
  reads: ['clients_daily'],
  async load(q) {
    return [
      await ranking(q, {
        id: 'clients-browsers', title: 'Browsers', keyLabel: 'browser', from: 'clients_daily', keys: ['browser'],
        where: PEOPLE, measures: MEASURES, label: ([b]) => b || 'unknown',
      }),
      await ranking(q, {
        id: 'clients-os', title: 'Operating systems', keyLabel: 'system', from: 'clients_daily', keys: ['os'],
        where: PEOPLE, measures: MEASURES, label: ([os]) => os || 'unknown',
      }),
      await ranking(q, {
        id: 'clients-devices', title: 'Device types', keyLabel: 'device', from: 'clients_daily', keys: ['device_type'],
        where: PEOPLE, measures: MEASURES, label: ([d]) => d || 'unknown',
      }),
    ];
  },
};
