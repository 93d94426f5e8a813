/**
 * The two panel patterns most dashboards repeat: one number over the hourly traffic table, and the rows of a
 * daily table ranked by a measure. Each returns a whole PanelSpec, SQL and shape together.
 */
import type { PanelSpec, RankingShape } from './panel-spec.js';
import { DAYS, DB, HOURS } from './sql.js';

interface Common {
  title: string;
  description: string;
  width?: number;
  height?: number;
}

/** The optional fields a caller set, and no others (the specs stay free of `undefined` keys). */
function placed(o: Common): Pick<PanelSpec, 'width' | 'height'> {
  return {
    ...(o.width === undefined ? {} : { width: o.width }),
    ...(o.height === undefined ? {} : { height: o.height }),
  };
}

export interface TrafficStat extends Common {
  /** The column's name. */
  value: string;
  /** An aggregate over traffic_hourly's rows in the range. */
  expression: string;
  unit?: string;
  decimals?: number;
}

/** One number over `traffic_hourly` in the time range. */
export function trafficStat(o: TrafficStat): PanelSpec {
  return {
    title: o.title,
    description: o.description,
    sql: `SELECT ${o.expression} AS ${o.value}
FROM ${DB}.traffic_hourly
WHERE ${HOURS}`,
    shape: {
      kind: 'stat', value: o.value,
      ...(o.unit === undefined ? {} : { unit: o.unit }), ...(o.decimals === undefined ? {} : { decimals: o.decimals }),
    },
    ...placed(o),
  };
}

export interface Ranking extends Common {
  kind: RankingShape['kind'];
  /** A daily trend table. */
  table: string;
  /** The label column's name, and the expression it comes from when it is not a column (`if(…) AS label`). */
  label: string;
  labelSql?: string;
  /** The measure's name and its aggregate. */
  value: string;
  valueSql: string;
  /** More conditions on the rows, after the site and the days. */
  where?: string;
  limit?: number;
  unit?: string;
}

/** A daily table's rows in the range, grouped by a label, with a positive measure, largest first. */
export function ranking(o: Ranking): PanelSpec {
  const lines = [
    `SELECT ${o.labelSql ?? o.label}, ${o.valueSql} AS ${o.value}`,
    `FROM ${DB}.${o.table}`,
    `WHERE ${DAYS}${o.where === undefined ? '' : ` AND ${o.where}`}`,
    `GROUP BY ${o.label}`,
    `HAVING ${o.value} > 0`,
    `ORDER BY ${o.value} DESC, ${o.label}`,
  ];
  if (o.limit !== undefined) lines.push(`LIMIT ${o.limit}`);
  return {
    title: o.title,
    description: o.description,
    sql: lines.join('\n'),
    shape: { kind: o.kind, label: o.label, value: o.value, ...(o.unit === undefined ? {} : { unit: o.unit }) },
    ...placed(o),
  };
}
