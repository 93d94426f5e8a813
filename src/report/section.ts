import type { Block, Measure, RankingBlock, TotalsBlock } from './model.js';
import { inBoth, inPeriod, inPrevious, num, numOrNull, type ReportQuery, SITE_FILTER, table } from './query.js';

/**
 * One section of the report: the tables it reads, and its questions, which answer in blocks (totals,
 * series, rankings). How a block kind is drawn — its text lines, its HTML chart and table — lives in
 * text.ts and html/; a section chooses which blocks it shows and with what measures. A later section
 * (visits, goals, e-mail, response times) is one more entry in sections/index.ts.
 */
export interface Section {
  id: string;
  title: string;
  /** Tables and views of database siftlog it reads; when one is missing the report says so in one line. */
  reads: readonly string[];
  load(q: ReportQuery): Promise<Block[]>;
}

/**
 * A measure of a trend table: a sum of a count column, the merge of a visitor state, or (`derived`) an
 * expression of aggregates over the rows that match a condition: a rate, a mean, a percentile.
 */
export type TrendMeasure =
  | (Measure & { merge: 'sum' | 'uniq'; column: string })
  | (Measure & { merge: 'derived'; of: (condition: string) => string });

/**
 * The aggregate of a measure over the days that match `condition`. A derived value with nothing under it
 * (a rate over no visits, a percentile of no timed request) is NULL, shown as unknown, never 0.
 */
export function aggregate(m: TrendMeasure, condition: string): string {
  switch (m.merge) {
    case 'sum':
      return `sumIf(${m.column}, ${condition})`;
    case 'uniq':
      return `uniqCombinedMergeIf(${m.column}, ${condition})`;
    case 'derived': {
      const value = `toFloat64(${m.of(condition)})`;
      return `if(isFinite(ifNull(${value}, nan)), ${value}, NULL)`;
    }
  }
}

export const derived = (id: string, label: string, format: Measure['format'], of: (condition: string) => string): TrendMeasure =>
  ({ id, label, format, merge: 'derived', of });

/** 100 × a sum over another, over the same rows. */
export const rate = (id: string, label: string, part: string, whole: string): TrendMeasure =>
  derived(id, label, 'percent', (c) => `100 * sumIf(${part}, ${c}) / sumIf(${whole}, ${c})`);

export const count = (id: string, label: string, column = id): TrendMeasure => ({ id, label, format: 'count', column, merge: 'sum' });
export const VISITORS: TrendMeasure = { id: 'visitors', label: 'visitors', format: 'count', column: 'visitors', merge: 'uniq' };
export const PAGEVIEWS = count('pageviews', 'pageviews');
export const VISITS = count('visits', 'visits');
export const HITS = count('hits', 'hits');

/** The measure part of a trend measure, as the report model keeps it. */
export function measureOf({ id, label, format }: TrendMeasure): Measure {
  return { id, label, format };
}

export interface RankingSpec {
  id: string;
  title: string;
  keyLabel: string;
  /** The trend table it reads. */
  from: string;
  /** Its day: a Date column or expression (default `day`). */
  day?: string;
  /** Column expressions that make a row, in the order rows tie-break on. */
  keys: readonly string[];
  /** An extra condition on the table's rows (a constant, never user input). */
  where?: string;
  /** The first orders the list; only rows where it is above 0 in the period are listed. */
  measures: readonly TrendMeasure[];
  label(keys: readonly string[]): string;
  limit?: number;
  note?: string;
}

export const TOP = 10;

/**
 * A top list over a daily trend table, both periods in one pass: each row's value in the period and in
 * the previous one, and how many rows the period has past the limit.
 */
export async function ranking(q: ReportQuery, spec: RankingSpec): Promise<RankingBlock> {
  const keys = spec.keys.map((k, i) => `${k} AS k${i}`);
  const day = spec.day ?? 'day';
  const values = spec.measures.flatMap((m, i) => [`${aggregate(m, inPeriod(day))} AS c${i}`, `${aggregate(m, inPrevious(day))} AS p${i}`]);
  const keyNames = spec.keys.map((_, i) => `k${i}`);
  const rows = await q.rows<Record<string, unknown>>(`
    SELECT ${[...keys, ...values].join(', ')}, count() OVER () AS listed
    FROM ${table(spec.from)}
    WHERE ${SITE_FILTER} AND ${inBoth(day)}${spec.where ? ` AND (${spec.where})` : ''}
    GROUP BY ${keyNames.join(', ')}
    HAVING c0 > 0
    ORDER BY c0 DESC, ${keyNames.join(', ')}
    LIMIT {limit:UInt32}`, { limit: spec.limit ?? TOP });
  return {
    kind: 'ranking', id: spec.id, title: spec.title, keyLabel: spec.keyLabel,
    measures: spec.measures.map(measureOf),
    rows: rows.map((r) => {
      const rowKeys = keyNames.map((k) => String(r[k]));
      return { keys: rowKeys, label: spec.label(rowKeys), values: spec.measures.map((_, i) => ({ current: num(r[`c${i}`]), previous: numOrNull(r[`p${i}`]) })) };
    }),
    more: rows.length === 0 ? 0 : num(rows[0].listed) - rows.length,
    ...(spec.note ? { note: spec.note } : {}),
  };
}

export interface TotalsSpec {
  id: string;
  title: string;
  from: string;
  day?: string;
  measures: readonly TrendMeasure[];
}

/** Headline numbers of a trend table over the period and the previous one, in one pass. */
export async function totals(q: ReportQuery, spec: TotalsSpec): Promise<TotalsBlock> {
  const day = spec.day ?? 'day';
  const values = spec.measures.flatMap((m, i) => [`${aggregate(m, inPeriod(day))} AS c${i}`, `${aggregate(m, inPrevious(day))} AS p${i}`]);
  const [row] = await q.rows<Record<string, unknown>>(`
    SELECT ${values.join(', ')} FROM ${table(spec.from)} WHERE ${SITE_FILTER} AND ${inBoth(day)}`);
  return {
    kind: 'totals', id: spec.id, title: spec.title, measures: spec.measures.map(measureOf),
    values: spec.measures.map((_, i) => ({ current: num(row[`c${i}`]), previous: numOrNull(row[`p${i}`]) })),
  };
}
