import type { DashboardSpec } from '../panel-spec.js';
import { ranking } from '../patterns.js';
import { DAYS, DB, RANGE_DAYS, SITES, named } from '../sql.js';

/**
 * Companies come from the view `companies_between`, which hides every organisation seen by fewer than
 * `small_group_k` (3) visitors over the whole range; the table below it (`companies_daily_state`) is never read.
 */
export const audience: DashboardSpec = {
  uid: 'siftlog-audience',
  title: 'siftlog / Audience',
  description: 'Where visitors are (country, region, city) and which organisations they visit from, small groups hidden.',
  panels: [
    ranking({
      kind: 'geomap', title: 'Visitors by country', description: 'A marker per country, sized and coloured by visitors.',
      table: 'geo_daily', label: 'country_code', labelSql: 'country AS country_code', value: 'visitors',
      valueSql: 'uniqCombinedMerge(visitors)', where: "country != ''",
    }),
    ranking({
      kind: 'bargauge', title: 'Countries', description: 'Visitors by country (ISO code; "unknown" where the geo data has none).',
      table: 'geo_daily', label: 'country_code', labelSql: named('country', 'country_code'), value: 'visitors',
      valueSql: 'uniqCombinedMerge(visitors)', limit: 20, width: 8, height: 12,
    }),
    {
      title: 'Cities',
      description: 'Visitors, visits and pageviews by city.',
      sql: `SELECT country, region, city, uniqCombinedMerge(visitors) AS visitors, sum(visits) AS visits,
  sum(pageviews) AS pageviews
FROM ${DB}.geo_daily
WHERE ${DAYS} AND city != ''
GROUP BY country, region, city
HAVING visitors > 0
ORDER BY visitors DESC, country, region, city
LIMIT 200`,
      shape: {
        kind: 'table',
        columns: [
          { name: 'country', title: 'Country' },
          { name: 'region', title: 'Region' },
          { name: 'city', title: 'City' },
          { name: 'visitors', title: 'Visitors', unit: 'short' },
          { name: 'visits', title: 'Visits', unit: 'short' },
          { name: 'pageviews', title: 'Pageviews', unit: 'short' },
        ],
      },
      width: 24,
    },
    {
      title: 'Organisations',
      description: 'The company or network behind the visitors\' addresses, from your registries, MaxMind files or the public ASN registry. ' +
        'Organisations seen by fewer than 3 visitors in the range are hidden.',
      sql: `SELECT org AS organisation, ${named('org_category', 'category')}, org_domain AS domain,
  sum(visitors) AS visitors, sum(visits) AS visits, sum(pageviews) AS pageviews
FROM ${DB}.companies_between(${RANGE_DAYS})
WHERE ${SITES}
GROUP BY organisation, category, domain
ORDER BY visitors DESC, organisation
LIMIT 200`,
      shape: {
        kind: 'table',
        columns: [
          { name: 'organisation', title: 'Organisation' },
          { name: 'category', title: 'Category' },
          { name: 'domain', title: 'Domain' },
          { name: 'visitors', title: 'Visitors', unit: 'short' },
          { name: 'visits', title: 'Visits', unit: 'short' },
          { name: 'pageviews', title: 'Pageviews', unit: 'short' },
        ],
      },
      width: 16,
      height: 12,
    },
    {
      title: 'Organisation categories',
      description: 'Visitors of the organisations shown by category: business, education, government, isp, hosting.',
      sql: `SELECT ${named('org_category', 'category')}, sum(visitors) AS visitors
FROM ${DB}.companies_between(${RANGE_DAYS})
WHERE ${SITES}
GROUP BY category
ORDER BY visitors DESC, category`,
      shape: { kind: 'piechart', label: 'category', value: 'visitors' },
      height: 12,
    },
  ],
};
