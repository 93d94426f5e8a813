import type { IngestSummary } from '../pipeline/ingest.js';
import { REJECT_REASONS, REPAIRS, SKIPS } from '../formats/types.js';

const n = (value: number) => value.toLocaleString('en-US');

/** The human summary printed at the end of `siftlog ingest`. */
export function renderSummary(s: IngestSummary): string {
  const out: string[] = [];
  for (const f of s.inputs) {
    const skipped = f.skipped > 0 ? `, ${n(f.skipped)} skipped` : '';
    const loaded = f.alreadyLoaded > 0 ? `, ${n(f.alreadyLoaded)} already loaded by run ${f.loadedBy?.slice(0, 8)}` : '';
    const status = f.error ? `FAILED: ${f.error}`
      : f.linesRead > 0 && f.alreadyLoaded === f.linesRead ? `already loaded by run ${f.loadedBy?.slice(0, 8)}, nothing new`
        : `${n(f.parsed)} parsed, ${n(f.rejected)} rejected${skipped}${loaded}`;
    out.push(`  ${f.input}  [${f.format || 'no format'}]  ${n(f.linesRead)} lines: ${status}`);
  }
  out.push(`lines read    ${n(s.linesRead)}`);
  out.push(`parsed        ${n(s.parsed)}`);
  out.push(`rejected      ${n(s.rejected)}`);
  for (const [reason, count] of Object.entries(s.rejectedByReason)) {
    out.push(`  ${reason.padEnd(18)} ${n(count ?? 0)}  (${REJECT_REASONS[reason as keyof typeof REJECT_REASONS]})`);
  }
  for (const [kind, count] of Object.entries(s.skipped)) {
    out.push(`skipped       ${n(count ?? 0)} ${kind}: ${SKIPS[kind as keyof typeof SKIPS]}`);
  }
  for (const [repair, count] of Object.entries(s.repaired)) {
    out.push(`repaired      ${n(count ?? 0)} ${repair}: ${REPAIRS[repair as keyof typeof REPAIRS]}`);
  }
  if (s.alreadyLoaded > 0) {
    out.push(`already loaded ${n(s.alreadyLoaded)} lines skipped: an earlier run loaded the same content (--force loads them again)`);
  }
  if (s.otherDays > 0) out.push(`other days    ${n(s.otherDays)} lines of other days, left out`);
  if (s.excluded > 0) {
    out.push(`excluded      ${n(s.excluded)} lines left out by exclude: rules`);
    for (const [rule, count] of Object.entries(s.excludedByRule)) out.push(`  ${rule.padEnd(18)} ${n(count)}`);
  }
  out.push(`bots          ${n(s.bots)} (flagged, not dropped)`);
  const v = s.visits;
  if (v.visits + v.provisional > 0) {
    out.push(`visits        ${n(v.visits)} closed, ${n(v.provisional)} still open (provisional until a later run continues or ends them)`);
  }
  if (v.lateHits > 0) {
    out.push(`late          ${n(v.lateHits)} requests came past the reordering window (sessions.reorder_window_seconds); `
      + `visit count up to ${n(v.lateVisits)} too high`);
  }
  if (v.forcedReleases > 0) out.push(`reordering    ${n(v.forcedReleases)} requests released early: sessions.max_buffered_hits reached`);
  out.push(`rows written  ${n(s.rowsWritten)} → ${s.mode === 'embedded' ? `embedded store ${s.store}` : 'ClickHouse server'}, published as run ${s.runId.slice(0, 8)}`);
  if (s.rowsReplaced > 0) out.push(`replaced      ${n(s.rowsReplaced)} rows earlier runs had loaded from the same inputs`);
  if (s.days.length > 0) out.push(`days          ${s.days.length <= 4 ? s.days.join(', ') : `${s.days.length}, ${s.days[0]} to ${s.days.at(-1)}`} (UTC)`);
  out.push(`elapsed       ${s.elapsedSeconds.toFixed(2)} s, ${n(s.linesPerSecond)} lines/s`);
  if (s.quarantineFile) out.push(`quarantine    ${s.quarantineFile}`);
  for (const error of s.errors) out.push(`error: ${error}`);
  for (const warning of s.warnings) out.push(`warning: ${warning}`);
  return `${out.join('\n')}\n`;
}
