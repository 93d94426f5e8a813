import type { CheckedText } from './brands.js';
import { checked, NO_TEXT } from './mint.js';
import { decodeQueryValue } from './query.js';

/** The utm_* parameters of a request URL: how the link the visitor followed was tagged. */
export interface Campaign {
  source: CheckedText;
  medium: CheckedText;
  campaign: CheckedText;
  term: CheckedText;
  content: CheckedText;
}

export const NO_CAMPAIGN: Campaign = Object.freeze({ source: NO_TEXT, medium: NO_TEXT, campaign: NO_TEXT, term: NO_TEXT, content: NO_TEXT });

const VALUE_MAX = 200;

/**
 * Reads the campaign from a request target. Called inside the privacy boundary on the full target, so
 * campaigns are recorded whatever the query allow-list keeps; each value passes the given scrubber (e-mail
 * and address literals) and is cut at 200 characters. Values are lower-cased, as GA4 and Matomo do, so
 * `Newsletter` and `newsletter` are one campaign.
 */
export function campaignOf(target: string, scrub: (text: string) => CheckedText): Campaign {
  const q = target.indexOf('?');
  if (q < 0 || target.indexOf('utm_', q) < 0) return NO_CAMPAIGN;
  const campaign: Campaign = { ...NO_CAMPAIGN };
  let at = q + 1;
  while (at < target.length) {
    let amp = target.indexOf('&', at);
    if (amp < 0) amp = target.length;
    const eq = target.indexOf('=', at);
    if (eq > at + 4 && eq < amp && target.startsWith('utm_', at)) {
      const key = target.slice(at + 4, eq) as keyof Campaign;
      if (Object.hasOwn(campaign, key) && campaign[key] === '') campaign[key] = clean(target.slice(eq + 1, amp), scrub);
    }
    at = amp + 1;
  }
  return campaign;
}

function clean(raw: string, scrub: (text: string) => CheckedText): CheckedText {
  const value = decodeQueryValue(raw).trim().toLowerCase();
  if (value === '') return NO_TEXT;
  const scrubbed = scrub(value);
  return scrubbed.length > VALUE_MAX ? checked(scrubbed.slice(0, VALUE_MAX)) : scrubbed;
}
