import type { AnonHit } from '../privacy/anon-hit.js';
import type { ClientInfo } from './useragent.js';

/** An anonymized request with everything enrichment and sessions add: one `requests` row. */
export interface Hit {
  anon: AnonHit;
  client: ClientInfo;
  /** A page view (not an asset), by the pipeline's page rule. */
  isPage: boolean;
  /** Set by sessions/: the hit starts a visit. */
  isEntry: boolean;
}
