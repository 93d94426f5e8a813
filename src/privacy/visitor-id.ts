import { hash } from 'node:crypto';
import type { VisitorId } from './brands.js';
import { addDays } from './calendar.js';
import { visitorId } from './mint.js';
import type { SaltStore } from './salt.js';

/** Same inactivity timeout as sessions/visits.ts: a gap longer than this ends a visit. */
const VISIT_TIMEOUT_MS = 30 * 60_000;
const CACHE_LIMIT = 200_000;

interface Seen {
  /** The day whose salt made `id`. */
  day: string;
  id: VisitorId;
  lastSeen: number;
}

/**
 * Visitor ids: SHA-256 of (the day's secret salt, address, user agent, site), first 64 bits as a decimal
 * UInt64. The salt is a secret 32-byte prefix; since only 64 of the 256 bits of the hash state are ever
 * output, a length extension is impossible and this keyed hash is a PRF like HMAC, at a third of its cost
 * (one-shot crypto.hash, no Hmac object per visitor; measured). A visitor seen before midnight who is still in the same visit after it keeps the id made
 * with the previous day's salt (as Plausible does), so a visit is never cut in two at midnight; once that
 * visit ends, the next hit gets the new day's id. An id is never carried further than one day.
 */
export class VisitorIds {
  /** Keyed by address, agent and site: memory only, dropped with the process. */
  private readonly seen = new Map<string, Seen>();
  private currentDay = '';
  private previousDay = '';

  constructor(private readonly salts: SaltStore, private readonly visitTimeoutMs = VISIT_TIMEOUT_MS) {}

  idFor(time: number, address: string, userAgent: string, site: string): VisitorId {
    const day = this.salts.dayOf(time);
    if (day !== this.currentDay) {
      this.currentDay = day;
      this.previousDay = addDays(day, -1);
    }
    const key = `${address}\n${userAgent}\n${site}`;
    const entry = this.seen.get(key);
    if (entry !== undefined) {
      if (entry.day === day || (entry.day === this.previousDay && Math.abs(time - entry.lastSeen) <= this.visitTimeoutMs)) {
        if (time > entry.lastSeen) entry.lastSeen = time;
        return entry.id;
      }
    }
    const id = visitorId(BigInt(`0x${hash('sha256', `${this.salts.saltHexFor(day)}\n${key}`, 'hex').slice(0, 16)}`).toString());
    if (entry !== undefined) {
      entry.day = day;
      entry.id = id;
      entry.lastSeen = time;
    } else {
      if (this.seen.size >= CACHE_LIMIT) this.seen.clear();
      this.seen.set(key, { day, id, lastSeen: time });
    }
    return id;
  }
}
