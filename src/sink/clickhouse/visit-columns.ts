import type { VisitState } from '../../sessions/state.js';
import type { VisitRecord } from '../../sessions/visit.js';
import type { NativeColumn } from './encoder.js';

/**
 * The column tables of `visits` and `visit_state`: each column's name, its type as the table has it, and how
 * a visit record (or a state row) fills it. Migration 6 (schema-visits.ts) lists the same columns by hand, as
 * a migration must stay as it ran; test/unit/sink/visit-columns.test.ts compares these lists with the
 * migrated tables (system.columns). Both the Native blocks of the embedded engine and the JSONEachRow rows
 * sent to a server are built from these lists (pipeline/visit-wiring.ts).
 */

/** What a visit row takes from its run rather than from the record: the run's id. */
export type VisitRowContext = string;

/** A `visit_state` row: the state a day started with (`day`), or the one the latest run ended with (''). */
export interface StateRow {
  day: string;
  state: VisitState;
}

const flag = (on: boolean) => (on ? 1 : 0);
/** Milliseconds since the epoch as whole seconds (a DateTime). */
const seconds = (ms: number) => Math.floor(ms / 1000);

export const VISIT_COLUMNS: readonly NativeColumn<VisitRecord, VisitRowContext>[] = [
  { name: 'site', type: 'LowCardinality(String)', value: (v) => v.site },
  { name: 'visitor_id', type: 'UInt64', value: (v) => v.visitorId },
  { name: 'start', type: "DateTime('UTC')", value: (v) => seconds(v.start) },
  { name: 'end', type: "DateTime('UTC')", value: (v) => seconds(v.end) },
  { name: 'duration', type: 'UInt32', value: (v) => v.durationSeconds },
  { name: 'pageviews', type: 'UInt32', value: (v) => v.pageviews },
  { name: 'hits', type: 'UInt32', value: (v) => v.hits },
  { name: 'entry_page', type: 'String', value: (v) => v.entryPage },
  { name: 'exit_page', type: 'String', value: (v) => v.exitPage },
  { name: 'bounce', type: 'UInt8', value: (v) => flag(v.bounce) },
  { name: 'referrer_class', type: 'LowCardinality(String)', value: (v) => v.referrerClass },
  { name: 'referrer_source', type: 'LowCardinality(String)', value: (v) => v.referrerSource },
  { name: 'referrer_host', type: 'LowCardinality(String)', value: (v) => v.referrerHost },
  { name: 'search_keyword', type: 'String', value: (v) => v.searchKeyword },
  { name: 'utm_source', type: 'LowCardinality(String)', value: (v) => v.campaign.source },
  { name: 'utm_medium', type: 'LowCardinality(String)', value: (v) => v.campaign.medium },
  { name: 'utm_campaign', type: 'LowCardinality(String)', value: (v) => v.campaign.campaign },
  { name: 'utm_term', type: 'LowCardinality(String)', value: (v) => v.campaign.term },
  { name: 'utm_content', type: 'LowCardinality(String)', value: (v) => v.campaign.content },
  { name: 'country', type: 'LowCardinality(String)', value: (v) => v.country },
  { name: 'org', type: 'LowCardinality(String)', value: (v) => v.org },
  { name: 'org_category', type: 'LowCardinality(String)', value: (v) => v.orgCategory },
  { name: 'browser', type: 'LowCardinality(String)', value: (v) => v.browser },
  { name: 'os', type: 'LowCardinality(String)', value: (v) => v.os },
  { name: 'device_type', type: 'LowCardinality(String)', value: (v) => v.deviceType },
  { name: 'is_bot', type: 'UInt8', value: (v) => flag(v.isBot) },
  { name: 'is_person', type: 'UInt8', value: (v) => flag(v.isPerson) },
  { name: 'goals', type: 'Array(LowCardinality(String))', value: (v) => v.goals },
  { name: 'late_hits', type: 'UInt32', value: (v) => v.lateHits },
  { name: 'is_open', type: 'UInt8', value: (v) => flag(v.open) },
  { name: 'run_id', type: 'UUID', value: (_, runId) => runId },
];

export const VISIT_STATE_COLUMNS: readonly NativeColumn<StateRow, VisitRowContext>[] = [
  { name: 'day', type: 'String', value: (r) => r.day },
  { name: 'released_up_to', type: 'Int64', value: (r) => r.state.releasedUpTo ?? 0 },
  { name: 'state', type: 'String', value: (r) => JSON.stringify(r.state) },
  { name: 'run_id', type: 'UUID', value: (_, runId) => runId },
];

/** A row as a JSONEachRow object (a server's insert), from the same column table. */
export function jsonRow<R, C>(columns: readonly NativeColumn<R, C>[], record: R, context: C): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const column of columns) row[column.name] = column.value(record, context);
  return row;
}
