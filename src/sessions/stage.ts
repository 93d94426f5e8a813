import { GoalMatcher } from '../enrich/goals.js';
import type { Hit } from '../enrich/hit.js';
import { DEFAULT_VISIT_TIMEOUT_MS } from '../privacy/visitor-id.js';
import { ReorderBuffer } from './reorder.js';
import { parseVisitState, type VisitState } from './state.js';
import { addToVisit, type OpenVisit, recordOf, startVisit, type VisitRecord } from './visit.js';

export const DEFAULT_REORDER_WINDOW_MS = 60_000;
export const DEFAULT_MAX_BUFFERED_HITS = 1_000_000;

export interface VisitStageConfig {
  /** A gap longer than this ends a visit; the same value the boundary's visitor ids use. */
  timeoutMs: number;
  /** How far out of time order a hit may arrive and still be put in its place (reorder.ts). */
  reorderWindowMs: number;
  /** Most hits held for reordering at once. */
  maxBufferedHits: number;
  goals: GoalMatcher;
  /**
   * The site-calendar day of an instant (SaltStore.dayOf). With it the stage keeps the state at the start
   * of every day its hits cross, so that one day can be re-run from the state it started with.
   */
  dayOf?: (time: number) => string;
}

export const DEFAULT_VISIT_STAGE: VisitStageConfig = {
  timeoutMs: DEFAULT_VISIT_TIMEOUT_MS,
  reorderWindowMs: DEFAULT_REORDER_WINDOW_MS,
  maxBufferedHits: DEFAULT_MAX_BUFFERED_HITS,
  goals: new GoalMatcher(),
};

/** Where the stage's output goes: the `requests` rows and the `visits` rows. */
export interface VisitSink {
  /** A request leaves the stage with `isEntry` set: in time order, or at once when it came late. */
  hit(hit: Hit): void;
  /** A visit record: closed, or (from finish()) still open and provisional (`open: true`). */
  visit(record: VisitRecord): void;
}

/** The state with which a day started: resume from it to re-run that day alone. */
export interface DayStartState {
  day: string;
  state: VisitState;
}

export interface VisitStats {
  /** Closed visit records emitted. */
  visits: number;
  /** Visits still open at finish(), emitted as provisional records and kept in the state. */
  provisional: number;
  /** Requests that came past the reordering bound (released out of order, counted, never dropped). */
  lateHits: number;
  /** Late requests that started a visit of their own: the most by which the visit count may be too high. */
  lateVisits: number;
  /** Requests released before their window had passed, to keep memory under the bound. */
  forcedReleases: number;
  /** The most requests held for reordering at once. */
  maxHeld: number;
}

export interface VisitRunEnd {
  /** Publish with the run; the next run resumes from it. */
  state: VisitState;
  /** The state at the start of each day the run's hits entered, after the first. */
  dayStarts: DayStartState[];
  stats: VisitStats;
}

/**
 * Visits, in time order: requests are put back in order (reorder.ts), then each joins its visitor's open
 * visit or starts one. A visit closes once the released time has moved past its last request by more than
 * the timeout, so memory follows the visitors active at once. Open visits can be exported at the end of a
 * run and resumed by the next, and a visit goes on across midnight through the boundary's carry keys
 * (privacy/visitor-id.ts). E-mail open pixels are counted by their own table, not as visits.
 */
export class VisitStage {
  private readonly buffer: ReorderBuffer<Hit>;
  /** Open visits by visitor id, and by the next day's id of a visit that crossed midnight. */
  private readonly byKey = new Map<string, OpenVisit>();
  private readonly open = new Set<OpenVisit>();
  /**
   * The idle queue: open visits with the last-seen time they had when queued, roughly oldest first. A visit
   * continued since it was queued is queued again when it reaches the front (so not once per request, once
   * per timeout at most); a closed one is dropped there.
   */
  private idleVisits: OpenVisit[] = [];
  private idleTimes: number[] = [];
  private idleHead = 0;
  private readonly byCarryKey = new Map<string, OpenVisit>();
  /** The ids a visit is known by after midnight; memory only, never exported (they would link two days). */
  private readonly aliases = new Map<OpenVisit, string[]>();
  private readonly dayStarts: DayStartState[] = [];
  private lastDay = '';
  /** The time of the last request released in order. */
  private released = Number.NEGATIVE_INFINITY;
  /** No open visit can be idle for longer than the timeout before this instant: closeIdle() has nothing to do. */
  private nextIdleAt = Number.NEGATIVE_INFINITY;
  private readonly counts = { visits: 0, provisional: 0, lateVisits: 0 };

  constructor(private readonly config: VisitStageConfig, private readonly sink: VisitSink, resume?: VisitState) {
    this.buffer = new ReorderBuffer<Hit>(
      { windowMs: config.reorderWindowMs, maxBuffered: config.maxBufferedHits },
      (hit, late) => this.handle(hit, late),
    );
    if (resume !== undefined) this.resume(parseVisitState(resume));
  }

  /** Declares the inputs read side by side (one stream each) before their first hits; see reorder.ts. */
  openStreams(count: number): void {
    this.buffer.openStreams(count);
  }

  endStream(stream: number): void {
    this.buffer.endStream(stream);
  }

  /** A stream not begun yet starts at `time` (its first line's): see ReorderBuffer.startsAt. */
  streamStartsAt(stream: number, time: number): void {
    this.buffer.startsAt(stream, time);
  }

  push(hit: Hit, stream = 0): void {
    this.buffer.push(hit, hit.anon.time, stream);
  }

  /** Releases every held request (a commit point in follow mode); later requests before them are late. */
  flush(): void {
    this.buffer.flush();
  }

  /**
   * Requests before this instant need carry keys from the boundary (PrivacyBoundary.resumeCarry): an open
   * visit with a carry key may still go on until then. -Infinity when none may.
   */
  carryHorizon(): number {
    let horizon = Number.NEGATIVE_INFINITY;
    for (const v of this.open) if (v.carryKey !== null && v.lastSeen + this.config.timeoutMs > horizon) horizon = v.lastSeen + this.config.timeoutMs;
    return horizon;
  }

  /** The day-start states collected since the last call. */
  takeDayStarts(): DayStartState[] {
    return this.dayStarts.splice(0);
  }

  /** The open visits and the released time, as plain data (a deep copy). */
  exportState(): VisitState {
    return {
      version: 1,
      timeoutMs: this.config.timeoutMs,
      releasedUpTo: Number.isFinite(this.released) ? this.released : null,
      open: structuredClone([...this.open]),
    };
  }

  /**
   * End of a run: releases every held request, emits each open visit as a provisional record, and returns
   * the state to publish with the run. The stage is not used afterwards.
   */
  finish(): VisitRunEnd {
    this.buffer.flush();
    // The idle queue is in order but for visits started by late requests: one pass makes sure only visits
    // that may still go on are left open.
    const idleBefore = this.released - this.config.timeoutMs;
    for (const visit of this.open) if (visit.lastSeen < idleBefore) this.close(visit);
    for (const visit of this.open) {
      this.counts.provisional++;
      this.sink.visit(recordOf(visit, true));
    }
    return { state: this.exportState(), dayStarts: this.takeDayStarts(), stats: this.stats };
  }

  /**
   * A --follow commit: emits each open visit as a provisional record and keeps building it; the record a
   * later commit emits for it (same site, visitor id and start, a later end) replaces this one.
   */
  emitOpen(): void {
    for (const visit of this.open) this.sink.visit(recordOf(visit, true));
  }

  get stats(): VisitStats {
    const r = this.buffer.stats;
    return {
      visits: this.counts.visits, provisional: this.counts.provisional, lateHits: r.late, lateVisits: this.counts.lateVisits,
      forcedReleases: r.forced, maxHeld: r.maxHeld,
    };
  }

  get openVisits(): number {
    return this.open.size;
  }

  private resume(state: VisitState): void {
    if (state.releasedUpTo !== null) {
      this.buffer.releasedUpTo = state.releasedUpTo;
      this.released = state.releasedUpTo;
    }
    const visits = [...state.open].sort((a, b) => a.lastSeen - b.lastSeen);
    for (const visit of visits) this.track(visit);
    if (state.releasedUpTo !== null && this.config.dayOf) this.lastDay = this.config.dayOf(state.releasedUpTo);
  }

  private handle(hit: Hit, late: boolean): void {
    const a = hit.anon;
    const time = a.time;
    if (!late) {
      this.noteDay(time);
      this.released = time;
      this.closeIdle(time);
    }
    if (a.email !== null) {
      // The pixel and the click redirect are not page views; the pixel is the mail client, not a visit.
      hit.isPage = false;
      if (a.email.kind === 'open') {
        hit.isEntry = false;
        this.sink.hit(hit);
        return;
      }
    }
    const goals = this.config.goals.match(a.site, a.method, a.path, a.status);
    const own = this.byKey.get(a.visitorId);
    let visit = own;
    if (visit !== undefined && !this.fits(visit, time, late)) {
      if (!late) this.close(visit);
      visit = undefined;
    }
    if (visit === undefined && a.carryKey !== null) visit = this.carriedVisit(hit, late);
    if (visit === undefined) {
      hit.isEntry = true;
      const started = startVisit(hit, goals);
      if (late) this.counts.lateVisits++;
      if (late && own !== undefined) {
        // The visitor has another open visit this late request does not belong to: a visit of its own.
        started.lateHits = 1;
        this.sink.hit(hit);
        this.emit(started, false);
        return;
      }
      if (late) started.lateHits = 1;
      this.track(started);
    } else {
      hit.isEntry = false;
      addToVisit(visit, hit, goals, late);
      if (!late && a.carryKey !== null && a.carryKey !== visit.carryKey) this.setCarryKey(visit, a.carryKey);
    }
    this.sink.hit(hit);
  }

  /** Whether a request at `time` continues `visit`: in order, within the timeout of its last request. */
  private fits(visit: OpenVisit, time: number, late: boolean): boolean {
    const timeout = this.config.timeoutMs;
    if (!late) return time - visit.lastSeen <= timeout;
    return time >= visit.start - timeout && time - visit.lastSeen <= timeout;
  }

  /** A visit of an earlier day this request continues past midnight (same carry key), made known by its id. */
  private carriedVisit(hit: Hit, late: boolean): OpenVisit | undefined {
    const visit = this.byCarryKey.get(hit.anon.carryKey!);
    if (visit === undefined || visit.visitorId === hit.anon.visitorId || !this.fits(visit, hit.anon.time, late)) return undefined;
    this.byKey.set(hit.anon.visitorId, visit);
    const known = this.aliases.get(visit);
    if (known) known.push(hit.anon.visitorId);
    else this.aliases.set(visit, [hit.anon.visitorId]);
    return visit;
  }

  private track(visit: OpenVisit): void {
    this.byKey.set(visit.visitorId, visit);
    this.open.add(visit);
    this.queueIdle(visit);
    if (visit.carryKey !== null) this.byCarryKey.set(visit.carryKey, visit);
  }

  private queueIdle(visit: OpenVisit): void {
    this.idleVisits.push(visit);
    this.idleTimes.push(visit.lastSeen);
    const at = visit.lastSeen + this.config.timeoutMs + 1;
    if (at < this.nextIdleAt) this.nextIdleAt = at;
  }

  private setCarryKey(visit: OpenVisit, key: string): void {
    if (visit.carryKey !== null && this.byCarryKey.get(visit.carryKey) === visit) this.byCarryKey.delete(visit.carryKey);
    visit.carryKey = key;
    this.byCarryKey.set(key, visit);
  }

  /**
   * Closes the visits whose last request is more than the timeout before `now`, walking the idle queue from
   * the front while its entries were queued idle; nothing is to do before the front entry's time plus the
   * timeout.
   */
  private closeIdle(now: number): void {
    if (now < this.nextIdleAt) return;
    const timeout = this.config.timeoutMs;
    const idleBefore = now - timeout;
    while (this.idleHead < this.idleTimes.length && this.idleTimes[this.idleHead] < idleBefore) {
      const visit = this.idleVisits[this.idleHead];
      this.idleVisits[this.idleHead] = undefined as unknown as OpenVisit;
      this.idleHead++;
      if (!this.open.has(visit)) continue;
      if (visit.lastSeen < idleBefore) this.close(visit);
      else this.queueIdle(visit);
    }
    if (this.idleHead === this.idleTimes.length) {
      this.idleVisits = [];
      this.idleTimes = [];
      this.idleHead = 0;
      this.nextIdleAt = Number.POSITIVE_INFINITY;
    } else {
      if (this.idleHead >= 65_536 && this.idleHead * 2 >= this.idleTimes.length) {
        this.idleVisits = this.idleVisits.slice(this.idleHead);
        this.idleTimes = this.idleTimes.slice(this.idleHead);
        this.idleHead = 0;
      }
      this.nextIdleAt = this.idleTimes[this.idleHead] + timeout + 1;
    }
  }

  private close(visit: OpenVisit): void {
    this.open.delete(visit);
    if (this.byKey.get(visit.visitorId) === visit) this.byKey.delete(visit.visitorId);
    const known = this.aliases.get(visit);
    if (known) {
      for (const id of known) if (this.byKey.get(id) === visit) this.byKey.delete(id);
      this.aliases.delete(visit);
    }
    if (visit.carryKey !== null && this.byCarryKey.get(visit.carryKey) === visit) this.byCarryKey.delete(visit.carryKey);
    this.emit(visit, false);
  }

  private emit(visit: OpenVisit, open: boolean): void {
    this.counts.visits++;
    this.sink.visit(recordOf(visit, open));
  }

  /** Before the first in-order request of a new day: keep the state that day starts from. */
  private noteDay(time: number): void {
    const dayOf = this.config.dayOf;
    if (dayOf === undefined) return;
    const day = dayOf(time);
    if (day === this.lastDay) return;
    if (this.lastDay !== '') this.dayStarts.push({ day, state: this.exportState() });
    this.lastDay = day;
  }
}
