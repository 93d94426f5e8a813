import { GoalMatcher, type GoalConfig } from '../../src/enrich/goals.js';
import type { Hit } from '../../src/enrich/hit.js';
import { PageRule } from '../../src/enrich/page.js';
import { ReferrerClassifier } from '../../src/enrich/referrer.js';
import { UserAgentClassifier } from '../../src/enrich/useragent.js';
import { findPreset } from '../../src/formats/index.js';
import { emptyRawHit } from '../../src/formats/types.js';
import { DEFAULT_PRIVACY, PrivacyBoundary } from '../../src/privacy/boundary.js';
import { SiteCalendar } from '../../src/privacy/calendar.js';
import { EmailTracking, type EmailConfig } from '../../src/privacy/email.js';
import { ExclusionRules, type ExclusionConfig } from '../../src/privacy/exclusions.js';
import { SaltStore } from '../../src/privacy/salt.js';
import { DEFAULT_VISIT_TIMEOUT_MS } from '../../src/privacy/visitor-id.js';
import { DEFAULT_MAX_BUFFERED_HITS, DEFAULT_REORDER_WINDOW_MS, VisitStage, type VisitRunEnd } from '../../src/sessions/stage.js';
import type { VisitState } from '../../src/sessions/state.js';
import type { VisitRecord } from '../../src/sessions/visit.js';

export interface PipelineOptions {
  stateDir: string;
  /** A preset name (default combined). */
  format?: string;
  site?: string;
  timeZone?: string;
  goals?: GoalConfig[];
  email?: EmailConfig;
  exclude?: ExclusionConfig;
  reorderWindowMs?: number;
  maxBufferedHits?: number;
  resume?: VisitState;
}

/**
 * The per-line path of a run as the run loop will wire it (docs/visits.md, "Wiring"): combined lines →
 * exclusions → boundary (e-mail, per-day ids with carry keys) → user agent and page rule → VisitStage.
 * Collects what the stage releases: the `requests` hits and the `visits` records.
 */
export class VisitPipeline {
  readonly hits: Hit[] = [];
  readonly visits: VisitRecord[] = [];
  readonly rejected: string[] = [];
  readonly boundary: PrivacyBoundary;
  readonly stage: VisitStage;
  readonly exclusions: ExclusionRules;
  private readonly parser;
  private readonly agents = new UserAgentClassifier(100);
  private readonly pages = new PageRule();
  private readonly site: string;

  constructor(options: PipelineOptions) {
    this.site = options.site ?? 'www.example.com';
    this.parser = findPreset(options.format ?? 'combined')!.create({ proxies: null });
    const timeZone = options.timeZone ?? 'UTC';
    const salts = new SaltStore(options.stateDir, 2, new SiteCalendar(timeZone));
    this.exclusions = new ExclusionRules(options.exclude);
    this.boundary = new PrivacyBoundary({ ...DEFAULT_PRIVACY, site: this.site }, salts, {
      geo: null, company: null, referrers: new ReferrerClassifier(), campaigns: true,
    }, {
      exclusions: this.exclusions,
      email: new EmailTracking(options.email ?? { open: null, click: null }, salts),
      sessions: { visitTimeoutMs: DEFAULT_VISIT_TIMEOUT_MS },
    });
    // The stage's own calendar: it reads days in release order, the boundary in arrival order.
    const stageCalendar = new SiteCalendar(timeZone);
    this.stage = new VisitStage({
      timeoutMs: DEFAULT_VISIT_TIMEOUT_MS,
      reorderWindowMs: options.reorderWindowMs ?? DEFAULT_REORDER_WINDOW_MS,
      maxBufferedHits: options.maxBufferedHits ?? DEFAULT_MAX_BUFFERED_HITS,
      goals: new GoalMatcher(options.goals),
      dayOf: (time) => stageCalendar.dayKey(time),
    }, { hit: (h) => this.hits.push(h), visit: (v) => this.visits.push(v) }, options.resume);
    if (options.resume !== undefined) this.boundary.resumeCarry(this.stage.carryHorizon());
  }

  push(line: string, stream = 0): void {
    const raw = emptyRawHit();
    const reason = this.parser.parse(line, raw);
    if (reason !== null) {
      this.rejected.push(reason);
      return;
    }
    if (this.boundary.exclusion(raw) !== null) return;
    const anon = this.boundary.cross(raw);
    this.stage.push({
      anon, client: this.agents.classify(anon.userAgent), isPage: anon.email === null && this.pages.isPage(anon.path, anon.status), isEntry: false,
    }, stream);
  }

  pushAll(lines: readonly string[], stream = 0): this {
    for (const line of lines) this.push(line, stream);
    return this;
  }

  finish(): VisitRunEnd {
    return this.stage.finish();
  }
}

export const FIREFOX_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
export const SAFARI_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
export const CHROME_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.126 Safari/537.36';

/** A combined-format line. `when` is `30/Nov/2026:10:00:00` (UTC). */
export function line(client: string, when: string, request: string, status: number, referrer = '-', agent = FIREFOX_UA): string {
  return `${client} - - [${when} +0000] "${request} HTTP/1.1" ${status} 512 "${referrer}" "${agent}"`;
}

/** The time of a combined line, for sorting fixtures into one time-ordered log. */
export function lineTime(text: string): number {
  const m = /\[(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) \+0000\]/.exec(text)!;
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].indexOf(m[2]);
  return Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** The visit fields a reader checks by hand, one line per visit. */
export function summary(v: VisitRecord): string {
  return `${v.entryPage || '-'} → ${v.exitPage || '-'} ${v.pageviews}pv ${v.hits}h ${v.durationSeconds}s${v.bounce ? ' bounce' : ''} ` +
    `${v.referrerClass}${v.referrerSource ? `:${v.referrerSource}` : ''}${v.searchKeyword ? ` "${v.searchKeyword}"` : ''}` +
    `${v.campaign.campaign ? ` utm=${v.campaign.source}/${v.campaign.medium}/${v.campaign.campaign}` : ''}` +
    `${v.goals.length > 0 ? ` goals=${v.goals.join(',')}` : ''} ${v.browser}/${v.os}/${v.deviceType}${v.isPerson ? '' : ' (not a person)'}` +
    `${v.open ? ' (open)' : ''}`;
}
