import { LRUCache } from 'lru-cache';
import { UAParser } from 'ua-parser-js';
import { isBotAgent } from './bots.js';
import { deviceTypeOf } from './device.js';

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

const BOT_WORD = /[A-Za-z][\w.-]*?(?:bot|crawler|spider|slurp|scanner|fetcher|archiver)[\w-]*/i;
const PRODUCT = /^[A-Za-z][\w.-]*/;

/** A short, stable bot name from its agent: the word naming the bot, or the first product token. */
export function botNameOf(userAgent: string): string {
  const word = BOT_WORD.exec(userAgent);
  if (word) return word[0];
  const product = PRODUCT.exec(userAgent);
  return product && product[0] !== 'Mozilla' ? product[0] : 'other bot';
}

export function classifyUserAgent(userAgent: string): ClientInfo {
  const parsed = new UAParser(userAgent).getResult();
  const bot = isBotAgent(userAgent);
  const os = parsed.os.name ?? '';
  const deviceType: DeviceType = bot ? 'bot' : deviceTypeOf(userAgent, parsed.device.type, os);
  return {
    browser: parsed.browser.name ?? '',
    browserVersion: parsed.browser.major ?? '',
    os,
    osVersion: parsed.os.version ?? '',
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
