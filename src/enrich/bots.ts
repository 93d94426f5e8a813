import { createIsbotFromList, list } from 'isbot';
import { TV } from './device.js';

/**
 * Bot detection: isbot's pattern list, tuned against device-detector's fixtures (`npm run accuracy`).
 * isbot errs towards "bot" on anything that is not a mainstream browser; an analytics pipeline must not
 * drop real visitors, so:
 * - patterns that flag many real clients and almost no bots are left out (WEAK_PATTERNS, with the counts
 *   that decided it: real clients flagged / bots only that pattern finds);
 * - a device model in an Android platform comment is not evidence (`XBot_Senior Build/…`, `Google Nexus 4`);
 * - a few client families isbot's generic shapes catch are recognised as people (HUMAN_CLIENTS), and so are
 *   apps naming their platform or a media role (APP_CLIENT) and TV platforms (device.ts's TV);
 * - a few bots isbot misses are added (EXTRA_BOTS).
 */
const WEAK_PATTERNS = new Set<string>([
  '\\b\\w+/1\\.0;', // 108 / 1: REX/1.0; CE-HTML/1.0; in phones and TVs
  '^[^ ]{50,}$', // 83 / 0: feature phones' long tokens
  'download', // 25 / 0: QQDownload, download managers
  '(?:^|[^g])news(?!sapphire)', // 25 / 0: news readers
  'discovery', // 25 / 1: phone models
  'sogou', // 24 / 0: Sogou browser
  'catch', // 27 / 1: podcatchers
  'java(?!;)', // 14 / 1: J2ME phones
  'feed', // 10 / 0: feed readers
  '\\(\\)', // 9 / 0
  '^whatsapp', // 9 / 0
  'rss\\b', // 8 / 0
  'tools', // 6 / 0
  '^reed', // 6 / 0
  'url', // 6 / 0
  '^\\w+/[\\w\\(\\)]*$', // 6 / 0
  '^rss', // 5 / 0
  '^[\\w\\-]+/[\\w]+$', // 4 / 0
  '^downcast/', // 3 / 0
  '^\\d+\\b', // 3 / 0
  'chromeframe', // 2 / 0
  '^read', // 2 / 0
  'torrent', // 2 / 0
  ';\\s\\w+;$', // 2 / 0
  'radar', // 4 / 1: HTC Radar
  'browsex', // 1 / 0
  'offbyone', // 1 / 0
  '24x7', // 1 / 0: screen sizes (1024x720); Site24x7's agents match other patterns
]);

const isbotTuned = createIsbotFromList(list.filter((pattern) => !WEAK_PATTERNS.has(pattern)));

/** Real clients that look like scripts to isbot: UC Browser's compact form, bare device names, TV browsers, apps. */
const HUMAN_CLIENTS = new RegExp([
  '^dv\\(iP', '^iPhone\\w*$', '^iPad\\w*$', '^Apple-iP(?:hone|ad|od)', 'Microsoft Office', '^smarttv_', 'HbbTV', 'CE-HTML',
  'NETTV', '\\bpodcast(?!\\s*sync)', 'podbean', '\\(iOS\\)',
  'com\\.google\\.(?:android|ios|Google)', 'Google(?:TV| TV|Chirp|\\.DriveExtension| Earth)', 'Google WAP Proxy', 'Google Fiber', 'Android App',
  'GmmClient', '^Amazon\\.com/', 'Acorn', 'AlphaServer', 'TuneUp HTML Client', '\\bMRE[/\\\\]',
  'WAP Browser', 'MAUI', 'Profile/MIDP', '^Garmin ', 'server-bag', '^Dalvik/', 'RokuOS', 'iPod_touch', '\\(build:\\d+; iOS',
  'AntennaPod', 'Podhero', 'Player FM', 'NPROne', 'spotify_android', 'TuneIn Radio', 'MusicBee', 'rhythmbox', 'VictorReader',
].join('|'), 'i');

/**
 * Apps, as opposed to agents imitating a browser, that name the consumer platform they run on
 * (`RadioPublic iOS 2.0.6`, `Client/29283 CFNetwork/1404.0.5 Darwin/22.3.0`, `Karbonn K595 WAP-Browser/1.0.0`)
 * or say they are a browser or a media player (`Saavn Player`, `castget 1.2.4`, `AmazonMusic`): isbot flags
 * them for their plain `Name/1.0` shape, but bots in that shape name neither.
 */
const APP_CLIENT = new RegExp([
  '^(?!Mozilla/).*\\b(?:iPhone|iPad|iPod|iOS|Android|watchOS|Watch\\d|AppleTV|tvOS|KaiOS|WAP|MIDP|Darwin|CFNetwork|AirPlay|UPnP|DLNA)',
  '^(?!Mozilla/)[^(]*(?:pod|cast|player|music|radio|tuner|\\.fm\\b|\\bFM\\b)',
  '^(?!Mozilla/)[^(]+browser\\b',
].join('|'), 'i');

/** Bots isbot does not know (device-detector names them), and Google's product fetchers. */
const EXTRA_BOTS = new RegExp([
  '\\bHLB/', '360JK', 'Miniature\\.io', 'Laravel Reaver', '<\\?', 'Assetnote', 'Amzn-User', 'amazon-kendra',
  '\\bGoogle[-_ ](?:Ads|Adwords|Assess|BusinessLink|Favicon|HotelAds|Publisher|Search Console|Sites|Youtube|Read-Aloud|Safety|Site-Verification|InspectionTool|Extended|Other|Apps-Script|CloudVertexBot|Structured)',
  'google_partner_monitoring', 'DuplexWeb-Google', 'Storebot-Google', 'centuryb\\.o\\.t', 'linkdex\\.com', 'Amazonbot', 'kouio',
  'Feed Finder', 'Castopod', '\\boutbrain', 'Catchpoint', 'keycdn', '\\bDevin/', 'LeadRadar', 'LeadDiscovery', '\\d+ subscribers',
].join('|'), 'i');

/** The platform comment of an Android browser, `(Linux; Android 9; SM-G965F Build/PPR1)`: a device model, not a bot name. */
const ANDROID_PLATFORM = /^Mozilla\/5\.0 \((?:Linux; )?(?:U; )?Android [^()]*\)/;

/**
 * A bot that names itself as one is one, whatever else its agent says; so is an agent that names a server-side
 * task (`Castro 2, Episode Duration Lookup`, `Podchaser-Parser`, `RSSRadio (Push Notification Scanner…)`).
 */
export const SELF_NAMED = /(?:bot|crawler|spider)\b|lookup|scanner|analy[sz]er|parser|sync\b|monitor|checker|validator|preview|indexer/i;

export function isBotAgent(userAgent: string): boolean {
  if (EXTRA_BOTS.test(userAgent)) return true;
  let text = userAgent;
  const platform = ANDROID_PLATFORM.exec(userAgent);
  if (platform !== null && platform[0].indexOf('compatible') < 0) text = `Mozilla/5.0 (Linux; Android)${userAgent.slice(platform[0].length)}`;
  if (!isbotTuned(text)) return false;
  if (SELF_NAMED.test(userAgent)) return true;
  return !(HUMAN_CLIENTS.test(userAgent) || APP_CLIENT.test(userAgent) || TV.test(userAgent));
}
