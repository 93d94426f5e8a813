import { compilePathPattern, type PathTest, StatusSet } from '../privacy/request-match.js';

/**
 * Goals — "from point of entry to point of registration": a named request a visit can reach, such as
 * `POST /signup` answered 2xx or 3xx. Declared in the pipeline file (`goals:`), matched per request on the
 * path as stored (scrubbed: `/order/{id}/done`), collected per visit by sessions/.
 */
export interface GoalConfig {
  name: string;
  /** Path pattern (privacy/request-match.ts): exact `/signup`, prefix `/docs/**`, `*` within one segment. */
  path: string;
  /** HTTP method, any case; absent: any method. */
  method?: string;
  /** Statuses or classes (`2xx`, `302`); absent: any status. */
  status?: readonly (string | number)[];
  /** The site (virtual host or pipeline site) the goal belongs to; absent: every site of the pipeline. */
  site?: string;
}

interface Goal {
  name: string;
  path: PathTest;
  method: string | null;
  status: StatusSet | null;
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * Matches requests against the goals of their site. A name may be declared several times (a sign-up by
 * form or by API): the goal is reached when any of its declarations matches, and is reported once.
 */
export class GoalMatcher {
  private readonly everySite: Goal[] = [];
  private readonly bySite = new Map<string, Goal[]>();
  /** The goals that apply to a site: its own, then the pipeline-wide ones. */
  private readonly forSite = new Map<string, readonly Goal[]>();
  readonly empty: boolean;

  constructor(goals: readonly GoalConfig[] = []) {
    for (const g of goals) {
      const goal: Goal = {
        name: g.name,
        path: compilePathPattern(g.path),
        method: g.method === undefined ? null : g.method.toUpperCase(),
        status: g.status === undefined || g.status.length === 0 ? null : new StatusSet(g.status),
      };
      if (g.site === undefined) {
        this.everySite.push(goal);
      } else {
        const list = this.bySite.get(g.site) ?? [];
        list.push(goal);
        this.bySite.set(g.site, list);
      }
    }
    this.empty = goals.length === 0;
  }

  /** The names of the goals a request reaches, in declaration order; a shared empty list when none. */
  match(site: string, method: string, path: string, status: number): readonly string[] {
    if (this.empty) return NONE;
    let goals = this.forSite.get(site);
    if (goals === undefined) {
      goals = [...(this.bySite.get(site) ?? []), ...this.everySite];
      this.forSite.set(site, goals);
    }
    let reached: string[] | null = null;
    for (const goal of goals) {
      if (goal.method !== null && goal.method !== method.toUpperCase()) continue;
      if (goal.status !== null && !goal.status.has(status)) continue;
      if (!goal.path(path)) continue;
      if (reached === null) reached = [goal.name];
      else if (!reached.includes(goal.name)) reached.push(goal.name);
    }
    return reached ?? NONE;
  }
}
