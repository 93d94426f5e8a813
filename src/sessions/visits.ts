import { DEFAULT_VISIT_TIMEOUT_MS } from '../privacy/visitor-id.js';

/**
 * Legacy per-hit entry flag, kept only until the run loop feeds sessions/VisitStage (stage.ts), which
 * replaces it: it sees hits in arrival order and keeps no visit record. Its memory now follows the visitors
 * active within the timeout (swept by time) instead of being emptied at a size.
 */
export class VisitTracker {
  private readonly lastSeen = new Map<string, number>();
  private latest = Number.NEGATIVE_INFINITY;
  private nextSweepAt = 4096;

  constructor(private readonly timeoutMs = DEFAULT_VISIT_TIMEOUT_MS) {}

  /** Records a hit and tells whether it starts a new visit. Out-of-order hits never start one twice. */
  isEntry(visitorId: string, time: number): boolean {
    if (time > this.latest) this.latest = time;
    const last = this.lastSeen.get(visitorId);
    if (last !== undefined && Math.abs(time - last) <= this.timeoutMs) {
      if (time > last) this.lastSeen.set(visitorId, time);
      return false;
    }
    if (this.lastSeen.size >= this.nextSweepAt) {
      const idleBefore = this.latest - this.timeoutMs;
      for (const [id, seen] of this.lastSeen) if (seen < idleBefore) this.lastSeen.delete(id);
      this.nextSweepAt = Math.max(4096, this.lastSeen.size * 2);
    }
    this.lastSeen.set(visitorId, time);
    return true;
  }
}
