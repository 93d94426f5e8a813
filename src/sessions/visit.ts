import type { Campaign } from '../privacy/campaign.js';
import type { OrgCategory } from '../enrich/category.js';
import type { Hit } from '../enrich/hit.js';
import type { ReferrerClass } from '../enrich/referrer-list.js';
import type { DeviceType } from '../enrich/useragent.js';

/**
 * The campaign as a visit keeps it: plain text. A visit's fields come from the boundary's checked values, but
 * an open visit is also read back from a saved state (state.ts), which sessions/ cannot brand.
 */
export type CampaignText = { readonly [K in keyof Campaign]: string };

/** What a visit row and a visit being built both hold. */
export interface VisitFields {
  site: string;
  /** The visitor id of the day the visit started (its hits after midnight carry the next day's id). */
  visitorId: string;
  /** First request, milliseconds since the epoch. */
  start: number;
  pageviews: number;
  hits: number;
  /** Path of the first and of the last page view; '' when the visit viewed no page. */
  entryPage: string;
  exitPage: string;
  /** How the visit came: the referrer and campaign of its entry page (of its first request when it has no page view). */
  referrerClass: ReferrerClass;
  referrerSource: string;
  referrerHost: string;
  searchKeyword: string;
  campaign: CampaignText;
  /** Who: from the visit's first request. */
  country: string;
  org: string;
  orgCategory: OrgCategory | '';
  browser: string;
  os: string;
  deviceType: DeviceType;
  isBot: boolean;
  /** The client's class is one the pipeline counts as people (`enrich.people`): the visit counts in people's numbers. */
  isPerson: boolean;
  /** Goals reached, each once, in the order first reached (a shared empty list while none). */
  goals: readonly string[];
  /** Requests that arrived past the reordering bound and were placed into this visit out of order. */
  lateHits: number;
}

/**
 * One visit: a visitor's run of requests with no gap over the visit timeout — one `visits` row.
 * See docs/visits.md for each definition.
 */
export interface VisitRecord extends VisitFields {
  /** Last request, milliseconds since the epoch. */
  end: number;
  /** end − start, whole seconds. */
  durationSeconds: number;
  /** Exactly one page view. */
  bounce: boolean;
  /**
   * Still open when the run ended: a provisional row. When the visit goes on in a later run, that run emits
   * it again with the same (site, visitorId, start) and a later end; the row with the latest end wins.
   */
  open: boolean;
}

/** A visit being built. Plain data: an open visit is saved with a run and resumed by the next (state.ts). */
export interface OpenVisit extends VisitFields {
  lastSeen: number;
  /** Time of the last page view (-1: none yet). */
  exitTime: number;
  /** How the visit came was read from a page view, not from an asset logged before it. */
  touchFromPage: boolean;
  /** The carry key of the visit's latest request near midnight (see privacy/visitor-id.ts), or null. */
  carryKey: string | null;
}

/** Reached no goal: shared, copied on the first goal. */
const NO_GOALS: readonly string[] = Object.freeze([]);

/** Sets how the visit came from `hit`. */
function setTouch(visit: OpenVisit, hit: Hit): void {
  const a = hit.anon;
  visit.touchFromPage = hit.isPage;
  visit.entryPage = hit.isPage ? a.path : '';
  visit.referrerClass = a.referrerClass;
  visit.referrerSource = a.referrerSource;
  visit.referrerHost = a.referrerHost;
  visit.searchKeyword = a.searchKeyword;
  visit.campaign = a.campaign;
}

/** A visit starting with `hit`. */
export function startVisit(hit: Hit, goals: readonly string[]): OpenVisit {
  const a = hit.anon;
  const c = hit.client;
  return {
    site: a.site,
    visitorId: a.visitorId,
    start: a.time,
    lastSeen: a.time,
    pageviews: hit.isPage ? 1 : 0,
    hits: 1,
    exitTime: hit.isPage ? a.time : -1,
    exitPage: hit.isPage ? a.path : '',
    touchFromPage: hit.isPage,
    entryPage: hit.isPage ? a.path : '',
    referrerClass: a.referrerClass,
    referrerSource: a.referrerSource,
    referrerHost: a.referrerHost,
    searchKeyword: a.searchKeyword,
    campaign: a.campaign,
    country: a.country,
    org: a.org,
    orgCategory: a.orgCategory,
    browser: c.browser,
    os: c.os,
    deviceType: c.deviceType,
    isBot: c.isBot,
    isPerson: c.isPerson,
    goals: goals.length === 0 ? NO_GOALS : [...goals],
    lateHits: 0,
    carryKey: a.carryKey,
  };
}

/**
 * Adds a request to a visit. In-order requests come at or after lastSeen; a late one may come earlier and
 * only widens the visit (start, counts, exit by time): the entry and its source stay with the request that
 * was released first as the visit's entry, which is the one `requests.is_entry` marks.
 */
export function addToVisit(visit: OpenVisit, hit: Hit, goals: readonly string[], late: boolean): void {
  const t = hit.anon.time;
  visit.hits++;
  if (late) visit.lateHits++;
  if (t < visit.start) visit.start = t;
  if (t > visit.lastSeen) visit.lastSeen = t;
  if (hit.isPage) {
    visit.pageviews++;
    if (t >= visit.exitTime) {
      visit.exitTime = t;
      visit.exitPage = hit.anon.path;
    }
    if (!visit.touchFromPage && !late) setTouch(visit, hit);
  }
  for (const goal of goals) if (!visit.goals.includes(goal)) visit.goals = [...visit.goals, goal];
}

/** The visit's row. Its lists and campaign are shared with the open visit, which only ever replaces them. */
export function recordOf(visit: OpenVisit, open: boolean): VisitRecord {
  return {
    site: visit.site,
    visitorId: visit.visitorId,
    start: visit.start,
    end: visit.lastSeen,
    durationSeconds: Math.round((visit.lastSeen - visit.start) / 1000),
    pageviews: visit.pageviews,
    hits: visit.hits,
    entryPage: visit.entryPage,
    exitPage: visit.exitPage,
    bounce: visit.pageviews === 1,
    referrerClass: visit.referrerClass,
    referrerSource: visit.referrerSource,
    referrerHost: visit.referrerHost,
    searchKeyword: visit.searchKeyword,
    campaign: visit.campaign,
    country: visit.country,
    org: visit.org,
    orgCategory: visit.orgCategory,
    browser: visit.browser,
    os: visit.os,
    deviceType: visit.deviceType,
    isBot: visit.isBot,
    isPerson: visit.isPerson,
    goals: visit.goals,
    lateHits: visit.lateHits,
    open,
  };
}
