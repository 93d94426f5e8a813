import type { Period } from './period.js';

/**
 * What a report holds, independent of how it is shown: the text and HTML renderers read only this, and
 * the HTML page carries it whole as its data. Every number is a period's value beside the previous
 * period's.
 */

/**
 * How a number is shown. `percent` holds 0–100 (a bounce or conversion rate), `ms` a response time,
 * `seconds` a visit duration, `ratio` a mean such as views per visit (two decimals).
 */
export type ValueFormat = 'count' | 'bytes' | 'percent' | 'ms' | 'seconds' | 'ratio';

export interface Measure {
  id: string;
  /** Lower case, as in a column header: "pageviews", "visitors". */
  label: string;
  format: ValueFormat;
}

export interface Compared {
  current: number;
  /** null when the previous period's value is not known (hidden by the small-group rule). */
  previous: number | null;
}

/** Headline numbers, each with its change. */
export interface TotalsBlock {
  kind: 'totals';
  id: string;
  title: string;
  measures: Measure[];
  values: Compared[];
}

/** Numbers over time; the previous period's point is the one at the same offset from its start. */
export interface SeriesBlock {
  kind: 'series';
  id: string;
  title: string;
  unit: 'day' | 'hour';
  measures: Measure[];
  points: SeriesPoint[];
}

export interface SeriesPoint {
  /** Day (YYYY-MM-DD) or hour (YYYY-MM-DD HH:00) of the period. */
  at: string;
  /** The same offset in the previous period. */
  previousAt: string;
  values: Compared[];
}

/** A top list: ordered by the first measure in the period, then by label. */
export interface RankingBlock {
  kind: 'ranking';
  id: string;
  title: string;
  /** Header of the name column: "page", "country". */
  keyLabel: string;
  measures: Measure[];
  rows: RankingRow[];
  /** Rows the period has beyond the ones shown. */
  more: number;
  /** One line under the table, when the numbers need one (the small-group rule). */
  note?: string;
}

export interface RankingRow {
  /** The stored values that make the row (path; source and host; campaign, source and medium…). */
  keys: string[];
  /** How the row is named on screen. */
  label: string;
  values: Compared[];
}

/** Countries on a world map, shaded by one measure in the period. */
export interface MapBlock {
  kind: 'map';
  id: string;
  title: string;
  measure: Measure;
  /** Every country with a value in the period, by ISO 3166 alpha-2 code, largest first. */
  countries: MapCountry[];
}

export interface MapCountry {
  code: string;
  label: string;
  value: Compared;
}

export type Block = TotalsBlock | SeriesBlock | RankingBlock | MapBlock;

export type SectionResult =
  | { id: string; title: string; status: 'ok'; blocks: Block[] }
  /** Tables or views the section reads that this store does not have (yet). */
  | { id: string; title: string; status: 'missing'; missing: string[] };

export interface Report {
  /** The site reported on, or null for every site together. */
  site: string | null;
  /** Sites the store has data for. */
  sites: string[];
  period: Period;
  previous: Period;
  /** How the period was chosen when the days alone do not say it ("last 7 days", "2026-11"). */
  periodDescription: string | null;
  /** First and last day the store has traffic for (for the chosen site), null when it has none. */
  dataFrom: string | null;
  dataTo: string | null;
  /** ISO time the report was made. */
  generatedAt: string;
  sections: SectionResult[];
}
