import { z } from 'zod';
import { ORG_CATEGORIES } from '../enrich/category.js';
import type { OpenVisit } from './visit.js';

/**
 * What a run hands the next one so that visits are neither split nor counted twice across runs: the visits
 * still open when it ended, and how far in time it had released hits. Plain JSON, published with the run
 * (see docs/visits.md, "Across runs"). It holds visitor ids of the visit's first day and carry keys (keyed
 * hashes that only the day's salt and the client address could reproduce), never an address, user agent,
 * e-mail or recipient.
 */
export interface VisitState {
  version: 1;
  /** The visit timeout the visits were built with. */
  timeoutMs: number;
  /** Hits at or before this instant have been released; an earlier hit in the next run is late. null: none yet. */
  releasedUpTo: number | null;
  open: OpenVisit[];
}

export class VisitStateError extends Error {}

const CampaignSchema = z.strictObject({
  source: z.string(), medium: z.string(), campaign: z.string(), term: z.string(), content: z.string(),
});

const time = z.number().finite();

const OpenVisitSchema = z.strictObject({
  site: z.string(),
  visitorId: z.string().regex(/^\d+$/),
  start: time,
  lastSeen: time,
  pageviews: z.number().int().min(0),
  hits: z.number().int().min(1),
  exitTime: time,
  exitPage: z.string(),
  touchFromPage: z.boolean(),
  entryPage: z.string(),
  referrerClass: z.enum(['direct', 'internal', 'search', 'social', 'email', 'other']),
  referrerSource: z.string(),
  referrerHost: z.string(),
  searchKeyword: z.string(),
  campaign: CampaignSchema,
  country: z.string(),
  org: z.string(),
  orgCategory: z.union([z.enum(ORG_CATEGORIES), z.literal('')]),
  browser: z.string(),
  os: z.string(),
  deviceType: z.enum(['desktop', 'mobile', 'tablet', 'tv', 'console', 'bot', 'other', '']),
  isBot: z.boolean(),
  isPerson: z.boolean(),
  goals: z.array(z.string()),
  lateHits: z.number().int().min(0),
  carryKey: z.string().regex(/^\d+$/).nullable(),
});

const VisitStateSchema = z.strictObject({
  version: z.literal(1),
  timeoutMs: z.number().int().positive(),
  releasedUpTo: time.nullable(),
  open: z.array(OpenVisitSchema),
});

/** Reads a saved state (JSON text or a parsed value); throws VisitStateError naming the first bad field. */
export function parseVisitState(input: unknown): VisitState {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new VisitStateError('saved visit state: not JSON');
    }
  }
  const result = VisitStateSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new VisitStateError(`saved visit state: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return result.data as VisitState;
}
