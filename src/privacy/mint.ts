import type { AnonHit, AnonHitFields } from './anon-hit.js';
import type { CheckedText, ClientNet, SiteName, VisitorId } from './brands.js';

/**
 * The only functions that give a value one of the boundary's brands. Only src/privacy/ may import this
 * module (.dependency-cruiser.cjs): each caller is responsible for having checked what it brands.
 */
export const checked = (text: string): CheckedText => text as CheckedText;
export const clientNet = (text: string): ClientNet => text as ClientNet;
export const visitorId = (text: string): VisitorId => text as VisitorId;
export const siteName = (text: string): SiteName => text as SiteName;
export const anonHit = (fields: AnonHitFields): AnonHit => fields as AnonHit;

export const NO_TEXT = checked('');
export const NO_NET = clientNet('');
