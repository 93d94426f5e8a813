/**
 * SQL pieces every panel shares. Panels read only trend tables and the privacy views, never `requests` (a
 * read-only dashboard role sees nothing else), and filter with the ClickHouse plugin's macros. A macro's argument
 * is always a plain column name and panel SQL has no comments, so the plugin's two macro expanders (sqlutil's in
 * 4.x, macropro's later) give the same SQL; the test checks that they do.
 */

/** The database the schema creates (src/sink/clickhouse/schema.ts; the test checks they agree). */
export const DB = 'siftlog';

/** The sites chosen in the `site` variable, quoted by Grafana ('a','b'). */
export const SITES = 'site IN (${site:singlequote})';

/** Hourly rows inside the dashboard's time range (an hour counts when it starts inside the range). */
export const HOURS = `${SITES} AND $__timeFilter(hour)`;

/** Daily rows of every day the time range touches (days are UTC days, like the tables). */
export const DAYS = `${SITES} AND $__dateFilter(day)`;

/** Time-series buckets over hourly rows; the panel's interval (the `period` variable) sets their size. */
export const HOUR_BUCKET = '$__timeInterval(hour) AS time';

/**
 * Time-series buckets over daily rows. `day` is a Date: the macro's toDateTime() would read it in the server's
 * time zone, so it becomes a UTC DateTime first, under an alias that keeps the macro's argument a plain name.
 */
export function dailySeries(select: string): string {
  return `WITH toDateTime(day, 'UTC') AS day_start
SELECT $__timeInterval(day_start) AS time, ${select}`;
}

/** The range's first and last UTC day, as the arguments of the `companies_between` view. */
export const RANGE_DAYS = "first = toDate($__fromTime, 'UTC'), last = toDate($__toTime, 'UTC')";

/** An empty dimension shown as a word, not a blank bar. */
export function named(column: string, alias: string, empty = 'unknown'): string {
  return `if(${column} = '', '${empty}', ${column}) AS ${alias}`;
}
