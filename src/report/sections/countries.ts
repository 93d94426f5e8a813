import type { Block } from '../model.js';
import { measureOf, PAGEVIEWS, ranking, type Section, TOP, VISITORS } from '../section.js';

/** More than there are countries: the map shows them all. */
const ALL = 1000;

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

/** Countries (on a map, and the top 10) and cities, as the geo lookup placed the visitors' networks. */
export const countries: Section = {
  id: 'countries',
  title: 'Countries',
  reads: ['geo_daily'],
  async load(q) {
    const all = await ranking(q, {
      id: 'countries-top', title: 'Countries', keyLabel: 'country', from: 'geo_daily', keys: ['country'],
      measures: [VISITORS, PAGEVIEWS], label: ([code]) => countryLabel(code), limit: ALL,
    });
    const blocks: Block[] = [
      {
        kind: 'map', id: 'countries-map', title: 'Visitors by country', measure: measureOf(VISITORS),
        countries: all.rows.filter((r) => r.keys[0] !== '').map((r) => ({ code: r.keys[0], label: r.label, value: r.values[0] })),
      },
      { ...all, rows: all.rows.slice(0, TOP), more: all.more + Math.max(0, all.rows.length - TOP) },
      await ranking(q, {
        id: 'countries-cities', title: 'Cities', keyLabel: 'city', from: 'geo_daily', keys: ['city', 'country'],
        where: `city != ''`, measures: [VISITORS, PAGEVIEWS], label: ([city, code]) => `${city} (${code || '?'})`,
      }),
    ];
    return blocks;
  },
};
