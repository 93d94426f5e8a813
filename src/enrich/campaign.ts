import { queryParam } from './referrer.js';

/** The utm_* parameters of a request URL: how the link the visitor followed was tagged. */
export interface Campaign {
  source: string;
  medium: string;
  campaign: string;
  term: string;
  content: string;
}

export const NO_CAMPAIGN: Campaign = Object.freeze({ source: '', medium: '', campaign: '', term: '', content: '' });

const VALUE_MAX = 200;

/**
 * Reads the campaign from a request target. Called inside the privacy boundary on the full target, so
 * campaigns are recorded whatever the query allow-list keeps; each value passes the given scrubber (e-mail
 * and address literals) and is cut at 200 characters. Values are lower-cased, as GA4 and Matomo do, so
 * `Newsletter` and `newsletter` are one campaign.
 */
export function campaignOf(target: string, scrub: (text: string) => string): Campaign {
  const q = target.indexOf('?');
  if (q < 0 || target.indexOf('utm_', q) < 0) return NO_CAMPAIGN;
  const read = (name: string) => {
    const value = queryParam(target, name).trim().toLowerCase();
    if (value === '') return '';
    const clean = scrub(value);
    return clean.length > VALUE_MAX ? clean.slice(0, VALUE_MAX) : clean;
  };
  return {
    source: read('utm_source'), medium: read('utm_medium'), campaign: read('utm_campaign'), term: read('utm_term'),
    content: read('utm_content'),
  };
}
