import type { CheckedText } from './brands.js';
import { checked, NO_TEXT } from './mint.js';
import type { SaltStore } from './salt.js';
import { Scrubber, type ScrubConfig, DEFAULT_SCRUB } from './scrub.js';
import { keyedId } from './visitor-id.js';

/**
 * E-mail opens and clicks, with the recipient never stored. A mailing embeds an open pixel and wraps its
 * links in a click redirect, both carrying the campaign and the recipient; the pipeline file describes
 * their URLs (`email.open`, `email.click`) with placeholders:
 *
 *     /t/open.gif?c={campaign}&r={recipient}
 *     /t/click?c={campaign}&r={recipient}&u={url}
 *     /campaign/{campaign}/{recipient}/px.png          (listmonk)
 *     /link/{link}/{campaign}/{recipient}              (listmonk)
 *
 * The request target is matched inside the boundary, in full. What crosses is an EmailEvent: the campaign,
 * a keyed daily hash of the recipient (so unique recipients can be counted, like visitor ids), and the
 * click's link, scrubbed. The request's stored path becomes the pattern's path as written and its query
 * is dropped whole, whatever the query allow-list says; the recipient id itself goes nowhere.
 */
export interface EmailConfig {
  /** The open pixel's URL pattern, or null. */
  open: string | null;
  /** The click redirect's URL pattern, or null. */
  click: string | null;
}

export const NO_EMAIL: EmailConfig = Object.freeze({ open: null, click: null });

export type EmailKind = 'open' | 'click';

export interface EmailEvent {
  kind: EmailKind;
  /** The mailing, decoded; e-mails and addresses in it replaced. '' when the URL names none. */
  campaign: CheckedText;
  /**
   * Keyed hash (decimal UInt64) of (the day's salt, site, campaign, recipient): the same recipient opening
   * a campaign twice that day gives the same value; another day or another campaign gives an unrelated one.
   * Cannot be recomputed once the day's salt is gone. '' when the URL names no recipient.
   */
  recipient: string;
  /**
   * Clicks: where the link leads — `{url}` as scheme, host and path (user info, query and fragment
   * dropped; the path scrubbed), or the `{link}` id of the pattern. '' for opens.
   */
  link: CheckedText;
  /** The path the request is stored under: the pattern's path as written, placeholders and all. */
  path: CheckedText;
}

const PLACEHOLDERS = ['campaign', 'recipient', 'url', 'link'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];
const VALUE_MAX = 300;

export class EmailPatternError extends Error {}

interface QueryPart {
  key: string;
  /** A placeholder, or a literal value the request must carry. */
  placeholder: Placeholder | null;
  literal: string;
}

/** One compiled URL pattern. */
class EmailPattern {
  readonly path: CheckedText;
  private readonly pathRe: RegExp | null;
  private readonly pathSlots: Placeholder[] = [];
  private readonly query: QueryPart[] = [];

  constructor(readonly kind: EmailKind, pattern: string) {
    const where = `email.${kind}`;
    if (!pattern.startsWith('/')) throw new EmailPatternError(`${where}: the pattern must start with / (a path, optionally with ?query)`);
    const q = pattern.indexOf('?');
    this.path = checked(q < 0 ? pattern : pattern.slice(0, q));
    const seen = new Set<Placeholder>();
    const slot = (name: string): Placeholder => {
      if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
        throw new EmailPatternError(`${where}: unknown placeholder {${name}} (use {campaign}, {recipient}, {url} or {link})`);
      }
      const p = name as Placeholder;
      if (seen.has(p)) throw new EmailPatternError(`${where}: {${name}} appears twice`);
      seen.add(p);
      return p;
    };
    if (this.path.includes('{')) {
      let source = '^';
      let at = 0;
      for (const m of this.path.matchAll(/\{(\w+)\}/g)) {
        source += escapeRe(this.path.slice(at, m.index));
        this.pathSlots.push(slot(m[1]));
        source += '([^/]*)';
        at = m.index + m[0].length;
      }
      this.pathRe = new RegExp(`${source}${escapeRe(this.path.slice(at))}$`);
    } else {
      this.pathRe = null;
    }
    if (q >= 0) {
      for (const pair of pattern.slice(q + 1).split('&')) {
        if (pair.length === 0) continue;
        const eq = pair.indexOf('=');
        const key = eq < 0 ? pair : pair.slice(0, eq);
        const value = eq < 0 ? '' : pair.slice(eq + 1);
        const m = /^\{(\w+)\}$/.exec(value);
        this.query.push({ key, placeholder: m ? slot(m[1]) : null, literal: m ? '' : value });
      }
    }
    if (kind === 'open' && (seen.has('url') || seen.has('link'))) throw new EmailPatternError(`${where}: an open pixel has no {url} or {link}`);
  }

  /** The placeholders' raw values when `target` is this pattern's URL, else null. */
  match(target: string): Partial<Record<Placeholder, string>> | null {
    const q = target.indexOf('?');
    const path = q < 0 ? target : target.slice(0, q);
    const values: Partial<Record<Placeholder, string>> = {};
    if (this.pathRe === null) {
      if (path !== this.path) return null;
    } else {
      const m = this.pathRe.exec(path);
      if (m === null) return null;
      this.pathSlots.forEach((p, i) => { values[p] = decode(m[i + 1]); });
    }
    if (this.query.length > 0) {
      const params = q < 0 ? new Map<string, string>() : parseQuery(target.slice(q + 1));
      for (const part of this.query) {
        const value = params.get(part.key);
        if (part.placeholder !== null) values[part.placeholder] = value ?? '';
        else if (value !== decode(part.literal)) return null;
      }
    }
    return values;
  }
}

/**
 * The open and click patterns of a pipeline, with the salts that key recipient hashes. Campaign and link
 * ids keep their text (they name a mailing and a link, and are often UUIDs the pipeline's scrub rules
 * would flatten); e-mails and addresses in them are replaced all the same. Click targets (`{url}`) pass
 * the pipeline's full scrub rules.
 */
export class EmailTracking {
  private readonly patterns: EmailPattern[] = [];
  private readonly idScrubber: Scrubber;
  private readonly urlScrubber: Scrubber;

  constructor(config: EmailConfig, private readonly salts: SaltStore, scrub: ScrubConfig = DEFAULT_SCRUB) {
    if (config.click !== null) this.patterns.push(new EmailPattern('click', config.click));
    if (config.open !== null) this.patterns.push(new EmailPattern('open', config.open));
    this.idScrubber = new Scrubber({ ...scrub, rules: scrub.rules.filter((r) => r === 'email' || r === 'address') });
    this.urlScrubber = new Scrubber(scrub);
  }

  get empty(): boolean {
    return this.patterns.length === 0;
  }

  /** The event a request target stands for, or null when it is neither the open pixel nor a click. */
  match(target: string, time: number, site: string): EmailEvent | null {
    for (const pattern of this.patterns) {
      const values = pattern.match(target);
      if (values === null) continue;
      const campaign = this.cleanId(values.campaign ?? '');
      const recipient = (values.recipient ?? '').trim();
      return {
        kind: pattern.kind,
        campaign,
        recipient: recipient === '' ? '' : keyedId(this.salts.saltHexFor(this.salts.dayOf(time)), `recipient\n${site}\n${campaign}\n${recipient}`),
        link: pattern.kind === 'open' ? NO_TEXT : values.url !== undefined && values.url !== '' ? this.cleanUrl(values.url) : this.cleanId(values.link ?? ''),
        path: pattern.path,
      };
    }
    return null;
  }

  /**
   * The target with a matching request's placeholders hidden (its pattern path), or the target unchanged:
   * for anything that must show a request target of a line the boundary did not cross (the quarantine).
   */
  redact(target: string): string {
    for (const pattern of this.patterns) if (pattern.match(target) !== null) return pattern.path;
    return target;
  }

  private cleanId(raw: string): CheckedText {
    const text = this.idScrubber.scrub(raw.trim());
    return checked(text.length > VALUE_MAX ? text.slice(0, VALUE_MAX) : text);
  }

  /** scheme://host/path of a link, user info, port, query and fragment dropped, the path scrubbed. */
  private cleanUrl(raw: string): CheckedText {
    const text = raw.trim();
    let kept: string;
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
    if (scheme) {
      try {
        const url = new URL(text);
        kept = `${url.protocol}//${url.hostname}${url.pathname}`;
      } catch {
        kept = text.replace(/[?#].*$/s, '').replace(/\/\/[^/]*@/, '//');
      }
    } else {
      kept = text.replace(/[?#].*$/s, '');
    }
    const scrubbed = this.urlScrubber.scrub(kept);
    return checked(scrubbed.length > VALUE_MAX ? scrubbed.slice(0, VALUE_MAX) : scrubbed);
  }
}

/** The check a pipeline file's `email.open` / `email.click` pattern must pass: null, or why not. */
export function emailPatternError(kind: EmailKind, pattern: string): string | null {
  try {
    new EmailPattern(kind, pattern);
    return null;
  } catch (err) {
    if (err instanceof EmailPatternError) return err.message.slice(`email.${kind}: `.length);
    throw err;
  }
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function decode(raw: string): string {
  const value = raw.includes('+') ? raw.replace(/\+/g, ' ') : raw;
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** key → decoded value of a query string (the first of repeated keys), fragment excluded. */
function parseQuery(query: string): Map<string, string> {
  const params = new Map<string, string>();
  const hash = query.indexOf('#');
  for (const pair of (hash < 0 ? query : query.slice(0, hash)).split('&')) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    if (!params.has(key)) params.set(key, eq < 0 ? '' : decode(pair.slice(eq + 1)));
  }
  return params;
}
