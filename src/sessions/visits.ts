/**
 * Visits: a visitor's requests with no gap longer than the inactivity timeout (30 minutes, as in Google
 * Analytics, Matomo and Plausible) form one visit. A hit that starts a visit is an entry. Visitor ids
 * change with the daily salt, so a visit never spans two salt days; the table is bounded in size.
 */
const DEFAULT_TIMEOUT_MS = 30 * 60_000;
const MAX_TRACKED = 500_000;

export class VisitTracker {
  private readonly lastSeen = new Map<string, number>();

  constructor(private readonly timeoutMs = DEFAULT_TIMEOUT_MS) {}

  /** Records a hit and tells whether it starts a new visit. Out-of-order hits never start one twice. */
  isEntry(visitorId: string, time: number): boolean {
    const last = this.lastSeen.get(visitorId);
    if (last !== undefined && Math.abs(time - last) <= this.timeoutMs) {
      if (time > last) this.lastSeen.set(visitorId, time);
      return false;
    }
    if (this.lastSeen.size >= MAX_TRACKED) this.lastSeen.clear();
    this.lastSeen.set(visitorId, time);
    return true;
  }
}
