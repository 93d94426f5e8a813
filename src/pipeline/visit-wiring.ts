import { GoalMatcher } from '../enrich/goals.js';
import type { Hit } from '../enrich/hit.js';
import type { PrivacyBoundary } from '../privacy/boundary.js';
import type { ExclusionRules } from '../privacy/exclusions.js';
import { addDays, SiteCalendar } from '../privacy/calendar.js';
import { type VisitRunEnd, VisitStage, type VisitStats } from '../sessions/stage.js';
import { parseVisitState, type VisitState } from '../sessions/state.js';
import type { VisitRecord } from '../sessions/visit.js';
import type { RowContext } from '../sink/clickhouse/columns.js';
import { type NativeColumn, NativeBlockEncoder, nativeInserts } from '../sink/clickhouse/encoder.js';
import { DATABASE } from '../sink/clickhouse/schema.js';
import type { Store } from '../sink/clickhouse/store.js';
import { jsonRow, type StateRow, VISIT_COLUMNS, VISIT_STATE_COLUMNS } from '../sink/clickhouse/visit-columns.js';
import { BatchRefusedError, type LineRange } from '../sink/clickhouse/writer.js';
import { sessionsConfig, type PipelineConfig } from './config.js';
import type { IngestSummary } from './run-types.js';
import type { StagedRun } from './staged-run.js';

/** A hit on its way through the visit stage: where it came from, and what its row carries besides the hit. */
export interface LineHit extends Hit {
  input: string;
  lineNo: number;
  row: RowContext;
}

/** The visits part of a run's summary and run log. */
export type RunVisitStats = Omit<VisitStats, 'maxHeld'>;

const VISIT_BATCH = 20_000;

/**
 * The sessions stage of a run (docs/visits.md, "Wiring"): hits go through `VisitStage` and come out in time
 * order with `isEntry` set, into the staged run's `requests` writer; visit records go to the run's staged
 * `visits` rows; the state the run ends with (and each day's start state) is staged with the run, and the
 * publish merges both with what is published.
 *
 * The stage is made at the first hit, from the published state that fits its time: the latest state when the
 * hit is not before the time it released up to (the run goes on from the last one); else the state the hit's
 * day started with (a day loaded again: `--force`, `nightly`); else none (older logs than any state).
 */
export class RunVisits {
  private stage: VisitStage | null = null;
  private states: StateRow[] | null = null;
  /**
   * Visit rows waiting to be staged: a Native block built as the records come (the embedded engine), or
   * JSONEachRow rows (a server, whose client sends no Native); both from the column table (visit-columns.ts).
   */
  private readonly block: NativeBlockEncoder<VisitRecord, string> | null;
  private pending: Record<string, unknown>[] = [];
  private staged: StagedRun | null = null;
  private readonly calendar: SiteCalendar;
  private readonly totals: RunVisitStats = { visits: 0, provisional: 0, lateHits: 0, lateVisits: 0, forcedReleases: 0 };
  private readonly ended = new Set<number>();
  /** Each stream's first line's time, where it is known (streamStarts()). */
  private starts: readonly (number | null)[] = [];
  /** Exclusions already in an earlier staged run's log (--follow publishes several). */
  private excludedLogged: Record<string, number> = {};

  constructor(
    private readonly config: PipelineConfig,
    private readonly store: Store,
    private readonly boundary: PrivacyBoundary,
    private readonly exclusions: ExclusionRules,
    private readonly streams: number,
    private readonly onHit: (hit: LineHit) => void,
  ) {
    this.calendar = new SiteCalendar(config.privacy.time_zone);
    this.block = nativeInserts(store.mode) ? new NativeBlockEncoder(VISIT_COLUMNS) : null;
  }

  /** Reads the published states; before the first hit of the run. */
  async load(): Promise<void> {
    if (this.states !== null) return;
    const rows = await (await this.store.client.query({
      query: `SELECT day, state FROM ${DATABASE}.visit_state`, format: 'JSONEachRow',
    })).json<{ day: string; state: string }>();
    this.states = rows.map((r) => ({ day: r.day, state: parseVisitState(JSON.parse(r.state)) }));
  }

  /** The staged run visit rows go to now (a new one after each publish of --follow). */
  attach(staged: StagedRun): void {
    this.staged = staged;
  }

  /** Before the first hit is crossed: makes the stage (see the class comment) and resumes the boundary's carry keys. */
  beforeHit(time: number): void {
    if (this.stage !== null) return;
    const resume = this.resumeState(time);
    const sink = { hit: (hit: Hit) => this.onHit(hit as LineHit), visit: (record: VisitRecord) => this.visit(record) };
    // A calendar of its own: the stage reads days in release order, the boundary in arrival order.
    const dayCalendar = new SiteCalendar(this.config.privacy.time_zone);
    this.stage = new VisitStage(
      { ...sessionsConfig(this.config), goals: new GoalMatcher(this.config.goals), dayOf: (t) => dayCalendar.dayKey(t) }, sink, resume,
    );
    if (this.streams > 1) this.stage.openStreams(this.streams);
    for (const [stream, time] of this.starts.entries()) if (time !== null) this.stage.streamStartsAt(stream, time);
    for (const stream of this.ended) this.stage.endStream(stream);
    this.boundary.resumeCarry(this.stage.carryHorizon());
  }

  push(hit: LineHit, stream: number): void {
    this.stage!.push(hit, stream);
  }

  /**
   * The time of each input's first line (null where unknown), before the run's first hit: an input not read
   * yet holds back only what comes a window before it (ReorderBuffer.startsAt).
   */
  streamStarts(times: readonly (number | null)[]): void {
    this.starts = times;
  }

  /** An input read side by side with the others has ended (whether or not it gave a hit). */
  endStream(stream: number): void {
    if (this.streams <= 1) return;
    if (this.stage === null) this.ended.add(stream);
    else this.stage.endStream(stream);
  }

  /**
   * Stages visit rows once enough are waiting. `lines`: the batch whose requests closed them, which names
   * them when the engine refuses them, as a refused batch of requests is named.
   */
  async drain(lines: LineRange): Promise<void> {
    if (this.pendingRows() < VISIT_BATCH) return;
    try {
      await this.writeVisits();
    } catch (err) {
      throw new BatchRefusedError([lines], err);
    }
  }

  /**
   * The end of a staged run, before its publish: `final` (the process's last run) releases every held
   * request and emits the open visits as provisional rows; else (a --follow commit) the held requests are
   * released and the open visits emitted as provisional rows, the stage going on. Stages the visit rows and
   * the states: the end state, each day's start state, and for a nightly day the end state as the next
   * day's start state. Adds the visit and exclusion counts to the summary and the staged run's log.
   */
  async endRun(final: boolean, summary: IngestSummary, window?: { from: number; to: number }): Promise<void> {
    const stats = await this.stageStates(final, window);
    const v = summary.visits;
    v.visits += stats.visits;
    v.provisional += stats.provisional;
    v.lateHits += stats.lateHits;
    v.lateVisits += stats.lateVisits;
    v.forcedReleases += stats.forcedReleases;
    const byRule = this.exclusions.excludedByRule();
    summary.excludedByRule = byRule;
    summary.excluded = this.exclusions.excludedTotal;
    const excluded: Record<string, number> = {};
    for (const [rule, n] of Object.entries(byRule)) if (n > (this.excludedLogged[rule] ?? 0)) excluded[rule] = n - (this.excludedLogged[rule] ?? 0);
    this.excludedLogged = { ...byRule };
    Object.assign(this.staged!.counts, { excluded, visits: stats.visits, lateHits: stats.lateHits, lateVisits: stats.lateVisits });
  }

  private async stageStates(final: boolean, window?: { from: number; to: number }): Promise<RunVisitStats> {
    const staged = this.staged!;
    const stage = this.stage;
    let end: VisitRunEnd | null = null;
    if (stage !== null) {
      if (final) {
        end = stage.finish();
      } else {
        stage.flush();
        stage.emitOpen();
        end = { state: stage.exportState(), dayStarts: stage.takeDayStarts(), stats: stage.stats };
      }
    }
    await this.writeVisits();
    const before = { ...this.totals };
    if (end !== null) {
      const rows: StateRow[] = [{ day: '', state: end.state }, ...end.dayStarts];
      if (window !== undefined) rows.push({ day: addDays(this.calendar.dayKey(window.from), 1), state: end.state });
      await this.insertRows(staged.staging.visitStateRun, VISIT_STATE_COLUMNS, rows, staged.runId);
      // The published states now include these: a --follow run's next commit resumes nothing, it goes on.
      const s = end.stats;
      Object.assign(this.totals, {
        visits: s.visits, provisional: s.provisional, lateHits: s.lateHits, lateVisits: s.lateVisits, forcedReleases: s.forcedReleases,
      });
    }
    return {
      visits: this.totals.visits - before.visits, provisional: this.totals.provisional - before.provisional,
      lateHits: this.totals.lateHits - before.lateHits, lateVisits: this.totals.lateVisits - before.lateVisits,
      forcedReleases: this.totals.forcedReleases - before.forcedReleases,
    };
  }

  private resumeState(time: number): VisitState | undefined {
    const states = this.states ?? [];
    const latest = states.find((s) => s.day === '');
    if (latest !== undefined && (latest.state.releasedUpTo === null || latest.state.releasedUpTo <= time)) return latest.state;
    const day = this.calendar.dayKey(time);
    const start = states.find((s) => s.day === day);
    if (start !== undefined && (start.state.releasedUpTo === null || start.state.releasedUpTo <= time)) return start.state;
    return undefined;
  }

  private visit(record: VisitRecord): void {
    const runId = this.staged!.runId;
    if (this.block !== null) this.block.add(record, runId);
    else this.pending.push(jsonRow(VISIT_COLUMNS, record, runId));
  }

  private pendingRows(): number {
    return this.block !== null ? this.block.rows : this.pending.length;
  }

  /**
   * Stages the waiting visit rows. Every caller awaits it (drain, stageStates), so one block's bytes are in
   * flight at a time, as take() needs.
   */
  private async writeVisits(): Promise<void> {
    const table = this.staged!.staging.visitsRun;
    if (this.block !== null) {
      if (this.block.rows === 0) return;
      await this.store.insertEncoded(table, this.block.columns, this.block.format, this.block.take());
      return;
    }
    if (this.pending.length === 0) return;
    const values = this.pending;
    this.pending = [];
    await this.store.client.insert({ table, values, format: 'JSONEachRow' });
  }

  /** A few rows at once (`visit_state`), in the store's format. */
  private async insertRows<R>(table: string, columns: readonly NativeColumn<R, string>[], rows: readonly R[], runId: string): Promise<void> {
    if (this.block === null) {
      await this.store.client.insert({ table, values: rows.map((r) => jsonRow(columns, r, runId)), format: 'JSONEachRow' });
      return;
    }
    const block = new NativeBlockEncoder(columns);
    for (const row of rows) block.add(row, runId);
    await this.store.insertEncoded(table, block.columns, block.format, block.take());
  }
}
