/**
 * What a dashboard panel is, as data: its title, its SQL and the shape of the rows that SQL must return. The
 * renderer (render.ts) turns a spec into the Grafana panel; the test runs every spec's SQL against a real
 * store and checks the rows against the same shape, so a panel and its check cannot drift apart.
 */

/** One column of a table panel: its SQL name, the header shown, and Grafana's unit for it. */
export interface TableColumn {
  name: string;
  title: string;
  unit?: string;
}

/** A time series: a `time` column first, then (long form) label columns, then numeric value columns. */
export interface TimeSeriesShape {
  kind: 'timeseries';
  /** Columns after `time` that name a series (one line per distinct value); empty for wide rows. */
  labels: readonly string[];
  /** Numeric columns, each drawn as a line (or one line per label value). */
  values: readonly string[];
  unit?: string;
  /** Bars instead of lines: daily counts read better as bars. */
  bars?: boolean;
  stacked?: boolean;
}

/** One number. */
export interface StatShape {
  kind: 'stat';
  value: string;
  unit?: string;
  decimals?: number;
}

/** One bar, slice or map marker per row: a label column (for a map, an ISO country code) and a numeric value column. */
export interface RankingShape {
  kind: 'bargauge' | 'piechart' | 'geomap';
  label: string;
  value: string;
  unit?: string;
}

export interface TableShape {
  kind: 'table';
  columns: readonly TableColumn[];
}

export type PanelShape = TimeSeriesShape | StatShape | RankingShape | TableShape;

export interface PanelSpec {
  title: string;
  description: string;
  sql: string;
  shape: PanelShape;
  /** Grid width (of 24) and height; each kind has a default. */
  width?: number;
  height?: number;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  panels: readonly PanelSpec[];
}

/** The columns a panel's rows must have, in order. */
export function expectedColumns(shape: PanelShape): string[] {
  switch (shape.kind) {
    case 'timeseries':
      return ['time', ...shape.labels, ...shape.values];
    case 'stat':
      return [shape.value];
    case 'bargauge':
    case 'piechart':
    case 'geomap':
      return [shape.label, shape.value];
    case 'table':
      return shape.columns.map((c) => c.name);
  }
}
