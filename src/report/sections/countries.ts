import { PAGEVIEWS, ranking, type Section, VISITORS } from '../section.js';

const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** "DE Germany"; the code alone when it is not a region ICU knows. */
export function countryLabel(code: string): string {
  if (code === '') return 'unknown';
  let name = code;
  try {
    name = names.of(code) ?? code;
  } catch {
    // not a region code ICU accepts: keep the code
  }
  return name === code ? code : `${code} ${name}`;
}

/** Countries and cities, as the geo lookup placed the visitors' networks. */
export const countries: Section = {
  id: 'countries',
  title: 'Countries',
  reads: ['geo_daily'],
  async load(q) {
    return [
      await ranking(q, {
        id: 'countries-top', title: 'Countries', keyLabel: 'country', from: 'geo_daily', keys: ['country'],
        measures: [VISITORS, PAGEVIEWS], label: ([code]) => countryLabel(code),
      }),
      await ranking(q, {
        id: 'countries-cities', title: 'Cities', keyLabel: 'city', from: 'geo_daily', keys: ['city', 'country'],
        where: `city != ''`, measures: [VISITORS, PAGEVIEWS], label: ([city, code]) => `${city} (${code || '?'})`,
      }),
    ];
  },
};
