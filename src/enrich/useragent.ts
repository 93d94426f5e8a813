import { LRUCache } from 'lru-cache';
import { UAParser } from 'ua-parser-js';
import { isBotAgent } from './bots.js';
import { browserNameOf } from './browser.js';
import { deviceTypeOf, isPlainDesktop } from './device.js';
import { osNameOf } from './os.js';

export type DeviceType = 'desktop' | 'mobile' | 'tablet' | 'tv' | 'console' | 'bot' | 'other' | '';

export interface ClientInfo {
  browser: string;
  browserVersion: string;
  os: string;
  osVersion: string;
  deviceType: DeviceType;
  isBot: boolean;
  botName: string;
}

/** The format logs no user agent at all (common log format): nothing is known, nothing is claimed. */
export const UNKNOWN_CLIENT: ClientInfo = Object.freeze({
  browser: '', browserVersion: '', os: '', osVersion: '', deviceType: '', isBot: false, botName: '',
});

/**
 * A request that sent no user agent ('-' or empty). Browsers always send one, so this is automation;
 * it is flagged as a bot (isbot says the same of '-'), under a name that says why.
 */
export const NO_AGENT_CLIENT: ClientInfo = Object.freeze({
  browser: '', browserVersion: '', os: '', osVersion: '', deviceType: 'bot', isBot: true, botName: 'no user agent',
});

const BOT_WORD = /[A-Za-z0-9][\w.-]*?(?:bot|crawler|spider|slurp|scanner|fetcher|archiver)[\w-]*/i;
// `(compatible; Name/1.0; +http://…)`: the convention bots follow to name themselves.
const COMPATIBLE_NAME = /\(compatible; ?([A-Za-z][\w .-]*?)(?:\/[\w.]+)?[;)]/;
// `Name/1.0 (+http://…)`, `Name/1.0 (http://…)`: a product token that points at its documentation.
const PRODUCT_WITH_URL = /([A-Za-z][\w.-]*)\/[\w.]+[ ;]+\(?\+?https?:/;
const PRODUCT = /^[A-Za-z][\w.-]*/;
const PRODUCT_TOKENS = /([A-Za-z][\w.-]*)\/[\w.]+/g;
const NOT_NAMES = new Set(['MSIE', 'Mozilla', 'Windows', 'Linux', 'Macintosh', 'U', 'X11']);
// Tokens of the browser a bot imitates: after them comes the bot's own name, if anything.
const BROWSER_TOKENS = new Set(['Mozilla', 'AppleWebKit', 'Chrome', 'Safari', 'Version', 'Gecko', 'Firefox', 'Mobile', 'Edg',
  'Edge', 'OPR', 'Trident', 'Presto', 'HeadlessChrome', 'like', 'KHTML', 'CriOS', 'FxiOS', 'YaBrowser', 'SamsungBrowser']);

/** The last product token that is not part of an imitated browser (`… Safari/537.36 SeznamEmailProxy/2.0`). */
function lastOwnProduct(userAgent: string): string | null {
  let name: string | null = null;
  for (const match of userAgent.matchAll(PRODUCT_TOKENS)) if (!BROWSER_TOKENS.has(match[1])) name = match[1];
  return name;
}

/** A short, stable bot name from its agent: the word naming the bot, its self-introduction, or its product. */
export function botNameOf(userAgent: string): string {
  const word = BOT_WORD.exec(userAgent);
  if (word) return word[0];
  const compatible = COMPATIBLE_NAME.exec(userAgent);
  if (compatible && !NOT_NAMES.has(compatible[1].split(' ')[0])) return compatible[1].trim();
  const documented = PRODUCT_WITH_URL.exec(userAgent);
  if (documented && !NOT_NAMES.has(documented[1])) return documented[1];
  const product = PRODUCT.exec(userAgent);
  if (product && !NOT_NAMES.has(product[0])) return product[0];
  return lastOwnProduct(userAgent) ?? 'other bot';
}

// One parser, reused: ua-parser-js 1.x builds its methods anew for every instance.
const parser = new UAParser();

export function classifyUserAgent(userAgent: string): ClientInfo {
  parser.setUA(userAgent);
  const browser = parser.getBrowser();
  const parsedOs = parser.getOS();
  const bot = isBotAgent(userAgent);
  const os = osNameOf(userAgent, parsedOs.name);
  // The device table is most of ua-parser-js's time; bots and plain desktops do not need it.
  const deviceType: DeviceType = bot ? 'bot'
    : deviceTypeOf(userAgent, isPlainDesktop(userAgent) ? undefined : parser.getDevice().type, os);
  return {
    browser: browserNameOf(userAgent, browser.name),
    browserVersion: browser.major ?? '',
    os,
    osVersion: parsedOs.version ?? '',
    deviceType,
    isBot: bot,
    botName: bot ? botNameOf(userAgent) : '',
  };
}

/** Classifies user agents with an LRU cache in front: logs repeat a small set of agents. */
export class UserAgentClassifier {
  private readonly cache: LRUCache<string, ClientInfo>;

  constructor(cacheSize = 10_000) {
    this.cache = new LRUCache({ max: cacheSize });
  }

  classify(userAgent: string | null): ClientInfo {
    if (userAgent === null) return UNKNOWN_CLIENT;
    if (userAgent.length === 0) return NO_AGENT_CLIENT;
    let info = this.cache.get(userAgent);
    if (info === undefined) {
      info = classifyUserAgent(userAgent);
      this.cache.set(userAgent, info);
    }
    return info;
  }
}
