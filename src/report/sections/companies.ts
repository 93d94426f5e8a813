import type { RankingBlock } from '../model.js';
import { num, type ReportQuery, SITE_FILTER, table } from '../query.js';
import { measureOf, PAGEVIEWS, type Section, TOP, VISITORS, VISITS } from '../section.js';

const MEASURES = [VISITORS, PAGEVIEWS, VISITS];

interface CompanyRow {
  org: string;
  org_category: string;
  visitors: unknown;
  pageviews: unknown;
  visits: unknown;
  listed: unknown;
}

/**
 * Companies and networks behind the visitors, through the privacy view `companies_between`: a company
 * appears only when it had at least k distinct visitors (small_group_k, default 3) over the whole period,
 * and its previous-period numbers only when they reached k too — otherwise they are unknown, not 0.
 */
export const companies: Section = {
  id: 'companies',
  title: 'Companies',
  reads: ['companies_between'],
  async load(q) {
    return [await topCompanies(q)];
  },
};

const companiesIn = (first: string, last: string) => `
  SELECT org, org_category, sum(visitors) AS visitors, sum(pageviews) AS pageviews, sum(visits) AS visits, count() OVER () AS listed
  FROM ${table('companies_between')}(first = {${first}:Date}, last = {${last}:Date})
  WHERE ${SITE_FILTER}`;

async function topCompanies(q: ReportQuery): Promise<RankingBlock> {
  const current = await q.rows<CompanyRow>(`${companiesIn('from', 'to')}
    GROUP BY org, org_category ORDER BY visitors DESC, org, org_category LIMIT {limit:UInt32}`, { limit: TOP });
  const previous = current.length === 0 ? [] : await q.rows<CompanyRow>(`${companiesIn('prev_from', 'prev_to')}
    AND org IN {orgs:Array(String)} GROUP BY org, org_category`, { orgs: current.map((r) => r.org) });
  const before = new Map(previous.map((r) => [`${r.org}\n${r.org_category}`, r]));
  return {
    kind: 'ranking', id: 'companies-top', title: 'Companies and networks', keyLabel: 'organisation (category)',
    measures: MEASURES.map(measureOf),
    rows: current.map((r) => {
      const was = before.get(`${r.org}\n${r.org_category}`);
      return {
        keys: [r.org, r.org_category], label: `${r.org} (${r.org_category || 'unknown'})`,
        values: MEASURES.map((m) => ({ current: num(r[m.id as keyof CompanyRow]), previous: was ? num(was[m.id as keyof CompanyRow]) : null })),
      };
    }),
    more: current.length === 0 ? 0 : num(current[0].listed) - current.length,
    note: 'Only organisations with at least k visitors in a period are shown (small-group rule); "?" is a previous period under k.',
  };
}
