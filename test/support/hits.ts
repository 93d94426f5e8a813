import { NO_CAMPAIGN } from '../../src/privacy/campaign.js';
import type { Hit } from '../../src/enrich/hit.js';
import type { ClientInfo } from '../../src/enrich/useragent.js';
import type { AnonHit, AnonHitFields } from '../../src/privacy/anon-hit.js';

/** A browser on a desktop: the client of every fixture hit unless a test says otherwise. */
export const FIREFOX: ClientInfo = Object.freeze({
  browser: 'Firefox', browserVersion: '128', os: 'Windows', osVersion: '10', deviceType: 'desktop', clientClass: 'browser', isBot: false,
  botName: '', isPerson: true,
});

/** `2026-11-30T10:00:00` style UTC text to milliseconds. */
export function at(text: string): number {
  return Date.parse(`${text}Z`);
}

/** Any AnonHit field as plain data (the brands are the boundary's; a fixture only needs the values). */
export type HitSpec = Partial<Record<keyof AnonHitFields, unknown>> & {
  /** UTC time as `YYYY-MM-DDTHH:MM:SS`. */
  at?: string;
  isPage?: boolean;
  client?: ClientInfo;
};

/**
 * A hit as sessions/ receives it, built by hand: every AnonHit field at a neutral value unless given.
 * `isPage` defaults to "no extension in the path" as the page rule would say for a 200.
 */
export function hit(spec: HitSpec): Hit {
  const { at: when, isPage, client, ...fields } = spec;
  // Built by hand for sessions/ tests: outside the boundary only a cast makes an AnonHit (tests may; src/ may not).
  const anon = {
    time: when !== undefined ? at(when) : 0, site: 'www.example.com', method: 'GET', path: '/', query: '', protocol: 'HTTP/1.1',
    status: 200, bytes: 100, referrerHost: '', userAgent: 'Mozilla/5.0', visitorId: '1', clientNet: '198.51.100.0/24', country: 'DE',
    region: '', city: '', asn: 0, org: '', orgDomain: '', orgCategory: '', orgSource: '', referrerClass: 'direct', referrerSource: '',
    searchKeyword: '', campaign: NO_CAMPAIGN, language: '', durationMs: null, email: null, carryKey: null,
    ...fields,
  } as unknown as AnonHit;
  const lastSlash = anon.path.lastIndexOf('/');
  return {
    anon,
    client: client ?? FIREFOX,
    isPage: isPage ?? (anon.status < 300 && !anon.path.slice(lastSlash).includes('.')),
    isEntry: false,
  };
}
