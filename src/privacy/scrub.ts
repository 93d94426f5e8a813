/**
 * Text scrubbing for everything that crosses the boundary as free text (paths, kept query values, search
 * keywords, e-mails and addresses in user agents) and for the fields of quarantined lines. Identifiers become named placeholders: `{email}`, `{uuid}`,
 * `{token}`, `{id}`, `{address}`. One pass over the characters decides which patterns can match at all, so
 * the common case (a path with nothing to scrub) runs no regular expression.
 */

import { HEX_IPV4_IN_TEXT, hasHexIpv4 } from '../net/address.js';

export type BuiltinRule = 'email' | 'uuid' | 'token' | 'id' | 'address';
export const BUILTIN_RULES: readonly BuiltinRule[] = ['email', 'uuid', 'token', 'id', 'address'];

export interface CustomRule {
  /** A JavaScript regular expression (source text). */
  match: string;
  /** What a match becomes, e.g. `{order}`. */
  replace: string;
}

export interface ScrubConfig {
  rules: readonly BuiltinRule[];
  custom: readonly CustomRule[];
  /** Shortest digits-only run that is an id. */
  idMinDigits: number;
  /** Shortest hex run that is a token (base64 tokens need 20 characters and mixed case plus digits). */
  hexTokenMinLength: number;
}

export const DEFAULT_SCRUB: ScrubConfig = { rules: BUILTIN_RULES, custom: [], idMinDigits: 6, hexTokenMinLength: 16 };

const EMAIL = /[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9.-]+\.[A-Za-z]{2,}/gi;
const UUID = /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/g;
/** Runs of base64/base64url/hex characters; each is then judged by `isToken`. */
const TOKEN_RUN = /[A-Za-z0-9_+=-]{16,}/g;
const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d])/g;
// Either a '::' compression or eight groups: times such as 10:05:03 have neither.
const IPV6 = /(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?(?:\.\d{1,3}){0,3}(?![\w:])/g;

const BASE64_TOKEN_MIN = 20;

function isHexRun(run: string): boolean {
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i) | 0x20;
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * A hex run of hexTokenMinLength+ characters with at least one digit and one letter, or a base64-like run
 * of 20+ characters with upper case, lower case and two digits. Word-like slugs (`how-to-install-node`)
 * lack the mixed case and digits random tokens have; a 20-character random base64 string lacks them with a
 * probability below 1 in 10,000.
 */
function isToken(run: string, hexMin: number): boolean {
  let digits = 0, upper = 0, lower = 0;
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
  }
  if (digits === run.length) return false; // digits-only runs are ids, handled by the id rule
  const core = run.replace(/[-_=+]/g, '');
  if (core.length >= hexMin && digits > 0 && isHexRun(core) && core.length === run.length) return true;
  return run.length >= BASE64_TOKEN_MIN && upper > 0 && lower > 0 && digits >= 2;
}

/** What one scan of the text found possible; each flag gates one rule's regular expression. */
const MAY_EMAIL = 1, MAY_UUID = 2, MAY_TOKEN = 4, MAY_ID = 8, MAY_IPV4 = 16, MAY_IPV6 = 32;

/**
 * `Name/1.2.3.4` in a user agent is a product version (reduced Chrome agents send `Chrome/126.0.0.0`), not an
 * address: the product token starts with a letter, is three characters or more and stands at the start of
 * the agent or after a space, `(`, `;` or `,`. A URL's host (`http://1.2.3.4/`) never has that shape.
 */
const PRODUCT_BEFORE = /(?:^|[\s(;,])[A-Za-z][\w.!+-]{2,}\/$/;

function isProductVersion(text: string, offset: number): boolean {
  return offset > 3 && text.charCodeAt(offset - 1) === 47 /* / */ && PRODUCT_BEFORE.test(text.slice(Math.max(0, offset - 64), offset));
}

export interface ScrubberOptions {
  /** Text is a user agent: address-shaped product versions stay (see isProductVersion). */
  productVersions?: boolean;
}

export class Scrubber {
  private readonly enabled: number;
  private readonly productVersions: boolean;
  private readonly custom: ReadonlyArray<{ re: RegExp; replace: string }>;
  private readonly idRe: RegExp;

  constructor(private readonly config: ScrubConfig = DEFAULT_SCRUB, options: ScrubberOptions = {}) {
    this.productVersions = options.productVersions === true;
    let enabled = 0;
    for (const rule of config.rules) {
      enabled |= rule === 'email' ? MAY_EMAIL : rule === 'uuid' ? MAY_UUID : rule === 'token' ? MAY_TOKEN
        : rule === 'id' ? MAY_ID : MAY_IPV4 | MAY_IPV6;
    }
    this.enabled = enabled;
    this.idRe = new RegExp(`(?<![0-9])[0-9]{${config.idMinDigits},}(?![0-9])`, 'g');
    this.custom = config.custom.map((c) => ({ re: new RegExp(c.match, 'g'), replace: c.replace }));
  }

  /**
   * Which rules could match: one pass, no allocation. Word runs (letters, digits, `_-+=`) track their
   * length, case and digits, so a lower-case slug such as `how-to-install-node` triggers nothing.
   */
  private candidates(text: string): number {
    let found = 0;
    let digitRun = 0, hexRun = 0, wordRun = 0, wordDigits = 0, wordUpper = false, wordLower = false;
    let dottedDigits = 0, colons = 0;
    const idMin = this.config.idMinDigits;
    const hexMin = this.config.hexTokenMinLength;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const lower = c | 0x20;
      if (c >= 48 && c <= 57) {
        digitRun++;
        hexRun++;
        wordRun++;
        wordDigits++;
        if (digitRun >= idMin) found |= MAY_ID;
        if (hexRun >= hexMin) found |= MAY_TOKEN;
      } else if (lower >= 97 && lower <= 122) {
        // `0x` opening a word: perhaps an address in hexadecimal (HEX_IPV4_IN_TEXT).
        if (lower === 120 && wordRun === 1 && digitRun === 1 && text.charCodeAt(i - 1) === 48) found |= MAY_IPV4;
        digitRun = 0;
        hexRun = lower <= 102 ? hexRun + 1 : 0;
        wordRun++;
        if (c >= 97) wordLower = true;
        else wordUpper = true;
        if (hexRun >= hexMin && wordDigits > 0) found |= MAY_TOKEN;
      } else if (c === 45 || c === 95 || c === 43 || c === 61) { // - _ + =
        if (c === 45 && hexRun === 8) found |= MAY_UUID;
        digitRun = 0;
        hexRun = 0;
        wordRun++;
      } else {
        if (c === 46 /* . */ && digitRun > 0 && digitRun <= 3 && i + 1 < text.length) {
          const next = text.charCodeAt(i + 1);
          if (next >= 48 && next <= 57 && ++dottedDigits >= 3) found |= MAY_IPV4;
        } else if (c === 64 /* @ */ || (c === 37 /* % */ && text.charCodeAt(i + 1) === 52 && text.charCodeAt(i + 2) === 48)) {
          found |= MAY_EMAIL;
        } else if (c === 58 /* : */ && ++colons >= 2) {
          found |= MAY_IPV6;
        }
        digitRun = 0;
        hexRun = 0;
        wordRun = 0;
        wordDigits = 0;
        wordUpper = false;
        wordLower = false;
      }
      if (wordRun >= BASE64_TOKEN_MIN && wordUpper && wordLower && wordDigits >= 2) found |= MAY_TOKEN;
    }
    return found & this.enabled;
  }

  /** The text with every enabled identifier pattern replaced by its placeholder. */
  scrub(text: string): string {
    let out = text;
    for (const c of this.custom) out = out.replace(c.re, c.replace);
    const found = this.candidates(out);
    if (found === 0) return out;
    if (found & MAY_EMAIL) out = out.replace(EMAIL, '{email}');
    if (found & MAY_UUID) out = out.replace(UUID, '{uuid}');
    if (found & MAY_IPV4) {
      out = this.productVersions
        ? out.replace(IPV4, (m: string, offset: number, whole: string) => (isProductVersion(whole, offset) ? m : '{address}'))
        : out.replace(IPV4, '{address}');
    }
    if (found & MAY_IPV4 && hasHexIpv4(out)) out = out.replace(HEX_IPV4_IN_TEXT, '{address}');
    if (found & MAY_IPV6) out = out.replace(IPV6, (m) => (m === '::' ? m : '{address}'));
    if (found & MAY_TOKEN) out = out.replace(TOKEN_RUN, (m) => (isToken(m, this.config.hexTokenMinLength) ? '{token}' : m));
    if (found & MAY_ID) out = out.replace(this.idRe, '{id}');
    return out;
  }
}

const defaultScrubber = new Scrubber();

/** Replaces e-mails, UUIDs, tokens, long ids and address literals with the default rules. */
export function scrubFreeText(text: string): string {
  return defaultScrubber.scrub(text);
}
