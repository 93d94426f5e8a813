import { LRUCache } from 'lru-cache';
import { UAParser } from 'ua-parser-js';
import { browserNameOf } from './browser.js';
import { type ClientClass, clientClassOf, DEFAULT_PEOPLE, isProbePath } from './client-class.js';
import { botNameOf, productNameOf, SCANNER_NAME } from './client-name.js';
import { deviceTypeOf, isPlainDesktop } from './device.js';
import { osNameOf } from './os.js';

export type DeviceType = 'desktop' | 'mobile' | 'tablet' | 'tv' | 'console' | 'bot' | 'other' | '';

export interface ClientInfo {
  /** The client's name: the browser, the app, the library or the feed reader ('' for most bots: see botName). */
  browser: string;
  browserVersion: string;
  os: string;
  osVersion: string;
  deviceType: DeviceType;
  /** Who is behind the request (client-class.ts). */
  clientClass: ClientClass;
  /** clientClass is 'bot'. */
  isBot: boolean;
  botName: string;
  /** The class is one the pipeline counts as people (`enrich.people`); visitors, visits and pageviews count these. */
  isPerson: boolean;
}

/**
 * The format logs no user agent at all (common log format): nothing is known, nothing is claimed, and every request
 * counts as a person's, as it would in any tool reading such a log.
 */
export const UNKNOWN_CLIENT: ClientInfo = Object.freeze({
  browser: '', browserVersion: '', os: '', osVersion: '', deviceType: '', clientClass: 'unknown', isBot: false, botName: '', isPerson: true,
});

/**
 * A request that sent no user agent ('-' or empty). Browsers always send one, so this is automation;
 * it is flagged as a bot (isbot says the same of '-'), under a name that says why.
 */
export const NO_AGENT_CLIENT: ClientInfo = Object.freeze({
  browser: '', browserVersion: '', os: '', osVersion: '', deviceType: 'bot', clientClass: 'bot', isBot: true, botName: 'no user agent',
  isPerson: false,
});

// One parser, reused: ua-parser-js 1.x builds its methods anew for every instance.
const parser = new UAParser();
const DEFAULT_PEOPLE_SET: ReadonlySet<ClientClass> = new Set(DEFAULT_PEOPLE);

/**
 * Browser, OS, device type and client class of one agent.
 * @param people the classes counted as people (`enrich.people`)
 */
export function classifyUserAgent(userAgent: string, people: ReadonlySet<ClientClass> = DEFAULT_PEOPLE_SET): ClientInfo {
  parser.setUA(userAgent);
  const parsedBrowser = parser.getBrowser();
  const parsedOs = parser.getOS();
  let browser = browserNameOf(userAgent, parsedBrowser.name);
  const clientClass = clientClassOf(userAgent, browser, parsedBrowser.name);
  const bot = clientClass === 'bot';
  const os = osNameOf(userAgent, parsedOs.name);
  // The device table is most of ua-parser-js's time. Bots and plain desktops do not need it, and libraries and feed
  // readers are placed well enough by their OS and platform tokens (deviceTypeOf) without it.
  const skipTable = clientClass === 'library' || clientClass === 'feed_reader' || isPlainDesktop(userAgent);
  const deviceType: DeviceType = bot ? 'bot' : deviceTypeOf(userAgent, skipTable ? undefined : parser.getDevice().type, os);
  // Libraries and feed readers are named by their own product, not by the browser some of them imitate.
  if (clientClass === 'library' || clientClass === 'feed_reader') browser = productNameOf(userAgent) || browser;
  return {
    browser,
    browserVersion: parsedBrowser.major ?? '',
    os,
    osVersion: parsedOs.version ?? '',
    deviceType,
    clientClass,
    isBot: bot,
    botName: bot ? botNameOf(userAgent) : '',
    isPerson: people.has(clientClass),
  };
}

/**
 * Classifies user agents with an LRU cache in front (logs repeat a small set of agents), for one pipeline's
 * `enrich.people`.
 */
export class UserAgentClassifier {
  private readonly cache: LRUCache<string, ClientInfo>;
  private readonly people: ReadonlySet<ClientClass>;
  private readonly noAgent: ClientInfo;

  constructor(cacheSize = 10_000, people: readonly ClientClass[] = DEFAULT_PEOPLE) {
    this.cache = new LRUCache({ max: cacheSize });
    this.people = new Set(people);
    this.noAgent = Object.freeze({ ...NO_AGENT_CLIENT, isPerson: this.people.has('bot') });
  }

  classify(userAgent: string | null): ClientInfo {
    if (userAgent === null) return UNKNOWN_CLIENT;
    if (userAgent.length === 0) return this.noAgent;
    let info = this.cache.get(userAgent);
    if (info === undefined) {
      info = classifyUserAgent(userAgent, this.people);
      this.cache.set(userAgent, info);
    }
    return info;
  }

  /**
   * One request's client: the agent's, unless the path is a probe no visitor sends (`/.env`, `/.git/config`,
   * traversal): then a bot, named by its agent when that names a bot and "scanner" otherwise.
   */
  classifyRequest(userAgent: string | null, path: string): ClientInfo {
    const info = this.classify(userAgent);
    if (!isProbePath(path)) return info;
    return {
      ...info, deviceType: 'bot', clientClass: 'bot', isBot: true, botName: info.isBot && info !== this.noAgent ? info.botName : SCANNER_NAME,
      isPerson: this.people.has('bot'),
    };
  }
}
