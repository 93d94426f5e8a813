import { hash } from 'node:crypto';
import type { VisitorId } from './brands.js';
import { addDays } from './calendar.js';
import { visitorId } from './mint.js';
import type { SaltStore } from './salt.js';

/**
 * The visit inactivity timeout: a gap longer than this ends a visit (30 minutes, as in Google Analytics,
 * Matomo and Plausible). The one default for the whole pipeline: the pipeline file's
 * `sessions.visit_timeout_minutes` overrides it for the boundary and sessions/ alike.
 */
export const DEFAULT_VISIT_TIMEOUT_MS = 30 * 60_000;
/** The id cache is swept of visitors idle this long (in log time) once it has doubled since the last sweep. */
const CACHE_IDLE_MS = 6 * 3600_000;
const CACHE_SWEEP_MIN = 4096;

/**
 * A keyed 64-bit hash as a decimal UInt64: SHA-256 of (secret salt as hex, text), first 64 bits. The salt
 * is a secret 32-byte prefix; since only 64 of the 256 bits of the hash state are ever output, a length
 * extension is impossible and this keyed hash is a PRF like HMAC, at a third of its cost (one-shot
 * crypto.hash, no Hmac object per call; measured). Callers put a domain word in `text` so that ids made for
 * different purposes from one salt never coincide.
 */
export function keyedId(saltHex: string, text: string): string {
  return BigInt(`0x${hash('sha256', `${saltHex}\n${text}`, 'hex').slice(0, 16)}`).toString();
}

/** What the boundary learns about a request's visitor. */
export interface VisitorRef {
  /** The visitor id of the request's own day: keyed hash of (that day's salt, address, user agent, site). */
  id: VisitorId;
  /**
   * The carry key, set only near midnight: a keyed hash of (the salt of the day a visit would continue
   * into, "carry", address, user agent, site). A request in the last visit timeout of a day and one in the
   * first visit timeout of the next get the same key, so sessions/ can continue a visit across midnight
   * while each request keeps its own day's id. It appears in no table: linking it to an id needs the salt
   * and the address. null for the rest of the day.
   */
  carryKey: string | null;
}

interface Seen {
  /** The day whose salt made `id`. */
  day: string;
  id: VisitorId;
  lastSeen: number;
}

interface DayBounds {
  day: string;
  /** First instant of the day in the site's time zone, and of the next day. */
  start: number;
  end: number;
}

const QUARTER_HOUR_MS = 15 * 60_000;

/**
 * Visitor ids: keyed hashes of (the day's secret salt, address or client host name, user agent, site) — see
 * keyedId.
 *
 * `identify()`: every request gets the id of its own day, so a day's unique visitors
 * are exact and no id outlives its day; a visit that crosses midnight stays one visit through the carry
 * key, which sessions/ matches in time order. Nothing here depends on earlier requests, so the answer is
 * the same in one run or split over several; the cache only saves hashing.
 */
export class VisitorIds {
  /** Keyed by address, agent and site: memory only, dropped with the process. */
  private readonly seen = new Map<string, Seen>();
  private bounds: DayBounds = { day: '', start: 0, end: 0 };
  /** Requests before this instant get a carry key: visits resumed from an earlier run may still go on. */
  private carryUntilMs = Number.NEGATIVE_INFINITY;
  private nextSweepAt = CACHE_SWEEP_MIN;
  private latest = Number.NEGATIVE_INFINITY;

  constructor(private readonly salts: SaltStore, private readonly visitTimeoutMs = DEFAULT_VISIT_TIMEOUT_MS) {}

  identify(time: number, address: string, userAgent: string, site: string): VisitorRef {
    const bounds = this.boundsOf(time);
    const key = `${address}\n${userAgent}\n${site}`;
    let id: VisitorId;
    const entry = this.seen.get(key);
    if (entry !== undefined && entry.day === bounds.day) {
      id = entry.id;
      if (time > entry.lastSeen) entry.lastSeen = time;
    } else {
      id = visitorId(keyedId(this.salts.saltHexFor(bounds.day), key));
      if (entry !== undefined) {
        entry.day = bounds.day;
        entry.id = id;
        entry.lastSeen = time;
      } else {
        this.remember(key, { day: bounds.day, id, lastSeen: time });
      }
    }
    if (time > this.latest) this.latest = time;
    let carryKey: string | null = null;
    if (time >= bounds.end - this.visitTimeoutMs) {
      carryKey = keyedId(this.salts.saltHexFor(addDays(bounds.day, 1)), `carry\n${key}`);
    } else if (time < bounds.start + this.visitTimeoutMs || time < this.carryUntilMs) {
      carryKey = keyedId(this.salts.saltHexFor(bounds.day), `carry\n${key}`);
    }
    return { id, carryKey };
  }

  /**
   * After resuming open visits from an earlier run (sessions/ VisitStage.carryHorizon()): requests before
   * `until` get carry keys even past the first timeout of their day, so a visit that had already crossed
   * midnight in the earlier run is still found.
   */
  carryUntil(until: number): void {
    this.carryUntilMs = until;
  }

  /**
   * A cache entry for identify(). Entries of visitors idle for six hours (in log time) are swept whenever
   * the cache has doubled since the last sweep: its size follows the visitors of the last hours, and no size
   * empties it. (Only hashing is saved: an id is the same whether it comes from the cache or not.)
   */
  private remember(key: string, entry: Seen): void {
    if (this.seen.size >= this.nextSweepAt) {
      const idleBefore = this.latest - CACHE_IDLE_MS;
      for (const [k, e] of this.seen) if (e.lastSeen < idleBefore) this.seen.delete(k);
      this.nextSweepAt = Math.max(CACHE_SWEEP_MIN, this.seen.size * 2);
    }
    this.seen.set(key, entry);
  }

  /** The site-calendar day of `time` with its first and last instants; found once per day. */
  private boundsOf(time: number): DayBounds {
    const b = this.bounds;
    if (time >= b.start && time < b.end) return b;
    const day = this.salts.dayOf(time);
    // Midnight falls on a quarter hour of UTC in every zone in use: search the quarters around `time`.
    const firstQuarter = (from: number, to: number, isAfter: (q: number) => boolean): number => {
      let lo = from;
      let hi = to;
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (isAfter(mid)) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    };
    const q = Math.floor(time / QUARTER_HOUR_MS);
    const span = 27 * 4;
    const start = firstQuarter(q - span, q, (x) => this.salts.dayOf(x * QUARTER_HOUR_MS) >= day);
    const end = firstQuarter(q + 1, q + span, (x) => this.salts.dayOf(x * QUARTER_HOUR_MS) > day);
    this.bounds = { day, start: start * QUARTER_HOUR_MS, end: end * QUARTER_HOUR_MS };
    return this.bounds;
  }
}
