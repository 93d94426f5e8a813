import { isBotAgent, SELF_NAMED } from './bots.js';
import { scannerNameOf } from './client-name.js';

/**
 * Who is behind a request, in device-detector's vocabulary of client types (browser, mobile app, feed reader,
 * library, bot; its media players and mail clients are apps here). Visitors, visits and pageviews count the
 * classes a pipeline names as people (`enrich.people`, browser and app by default); every class keeps its hits.
 */
export const CLIENT_CLASSES = ['browser', 'app', 'feed_reader', 'library', 'bot', 'unknown'] as const;
export type ClientClass = (typeof CLIENT_CLASSES)[number];

/** The classes counted as people when a pipeline does not say: someone using a browser or an app. */
export const DEFAULT_PEOPLE: readonly ClientClass[] = Object.freeze(['browser', 'app'] as const);

/**
 * Feed readers and feed fetchers: a subscriber count (`Feedly/1.0 (…; 150 subscribers)`, `LiveJournal.com (…;
 * 8 readers)`, `feed-id=`) or a reader known by its name; or feeds, RSS or syndication named in an agent that does
 * not call itself a bot (`Tiny Tiny RSS/1.11`, `FeedFetcher-Google`, `SimplePie/1.3 (Feed Parser; …)`,
 * `Akregator/4.12; syndication`; not `Heurekabot-Feed/1.0`, a shop's product-feed crawler).
 */
const FEED_READER = new RegExp([
  '\\d+ (?:subscribers?|readers)\\b', 'subscribers=\\d', 'feed-?id[=:]',
  '\\b(?:Feedly|Superfeedr|Inoreader|NewsBlur|NetNewsWire|Miniflux|Akregator|Liferea|Newsboat|newsbeuter|ReadKit|theoldreader|Bloglovin|BazQux|Selfoss|Newsify|NewsGator|Bloglines|Netvibes|Blogtrottr|Gregarius|Omea Reader|Evergreen|NewsFire|gPodder|castero|castget|BashPodder|PodPuppy|Nextcloud-News|Elfeed)\\b',
  '\\b(?:Reeder|Vienna|Unread|lire|Fever|Tapestry|Stringer|Pulp)/\\d',
].join('|'), 'i');
// Feed and RSS as words or a name's part (`FeedBurner`, `QuiteRSS`, `freshrss/`, `RssBandit`), not inside another
// word (`Irssi`, `GoogleAdSenseInfeed`).
const FEED_WORD = /\b[Ff]eed(?!back)|Feed(?!back)|RSS|\brss|rss\b|Rss(?=[A-Z/])|[Ss]yndication|PubSub|[Nn]ews ?[Rr]eader/;
// Crawlers that name feeds and validators that check them for their authors are bots.
const NOT_FEED_READER = /bot\b|bot[-.]|crawler|spider|validator/i;

// A service that documents itself the way bots do (`http.rb/3.2.0 (Mastodon/2.4.3; +https://uwu.social/)`) is a bot
// built on the library, not the library.
const DOCUMENTED = /^[\w.-]+\/[\d.]+ \([A-Za-z][\w.-]*\/[\d.]+;[^)]*\+https?:\/\//;
// Command-line tools that lead with `Mozilla/5.0 (…)` to be served like a browser (`… WindowsPowerShell/5.1`).
const LIBRARY_TOKEN = /\b(?:Windows)?PowerShell\/\d/;
// The agent's lead: what comes before its first version, comment or separator.
const LEAD = /^[^/(;]{1,60}/;
/**
 * HTTP libraries and SDKs, language runtimes, download and command-line tools, package managers and system
 * updaters, named in the agent's lead (`curl/8.0`, `python-requests/2.31`, `Java/1.8.0_121`, `okhttp/4.9.0`,
 * `Debian APT-HTTP/1.3`, `Chef Client/11.6`, `Go 1.1 package http`), or shaped like one (`…HttpClient`,
 * `…-http-client`, `…urllib`, `aws-sdk-…`). Names, not pages read: they are counted apart from people.
 */
const LIBRARY = new RegExp(`^(?:[A-Za-z]+ )?(?:${[
  // language runtimes
  'java', 'python', 'ruby', 'php', 'perl', 'node(?:\\.js|js)?', 'deno', 'bun', 'dart', 'rust', 'erlang', 'elixir', 'julia', 'lua',
  'go(?:-http-client| \\d|lang)', '(?:windows)?powershell',
  // HTTP clients
  'curl', 'libcurl', 'pycurl', 'wget2?', 'httpie', 'aria2', 'axel', 'lftp', 'fetch', 'libfetch', 'urllib3?', 'httpx', 'aiohttp',
  'httplib2', 'okhttp', 'httpclient', 'httpasyncclient', 'commons-httpclient', 'jersey', 'apache-cxf', 'retrofit', 'ktor', 'vert\\.x',
  'asynchttpclient', 'jetty', 'reactornetty', 'unirest', 'twisted', 'tornado', 'http\\.rb', 'thunder client',
  'faraday', 'rest-client', 'typhoeus', 'httparty', 'excon', 'mechanize', 'libwww-perl', 'lwp', 'http-tiny', 'http::tiny',
  'mojolicious', 'guzzle(?:http)?', 'symfony', 'http_request2?', 'zend_http_client', 'laminas', 'axios', 'undici', 'got',
  'needle', 'superagent', 'reqwest', 'hyper', 'ureq', 'isahc', 'libsoup', 'gstreamer', 'lavf', 'ffmpeg', 'libmpv', 'winhttp',
  'wininet', 'restsharp', 'postmanruntime', 'insomnia', 'esp32', 'esp8266', 'grequests', 'resty', 'fasthttp', 'carrierwave',
  'filedownloader', 'prdownloader', 'fdm', 'microsoft-cryptoapi', 'microsoft bits', 'windows-update-agent',
  'microsoft-delivery-optimization', 'git', 'git-annex', 'jgit', 'svn', 'subversion', 'mercurial', 'aws-cli', 'azure-cli', 'gcloud',
  'google-cloud-sdk', 'cloud-init', 'packagekit',
  // package managers, configuration management, containers
  'apt-http', 'apt-cacher(?:-ng)?', 'urlgrabber', 'yum', 'dnf', 'libdnf', 'zypper', 'pacman', 'homebrew', 'pip', 'npm', 'yarn',
  'pnpm', 'bundler', 'rubygems', 'composer', 'nuget', '(?:apache-)?maven', 'gradle', 'ivy', 'cargo', 'conda', 'chef', 'knife',
  'ansible(?:-httpget)?', 'puppet', 'terraform', 'vagrant', 'docker(?:-client)?', 'containerd', 'helm', 'kubectl', 'snapd',
  'flatpak', 'opkg', 'winget', 'chocolatey',
  // shapes
  '[\\w-]*http-?client', '[\\w-]*-http', '[\\w-]*urllib', '[\\w-]*-sdk(?:-[\\w-]+)?', 'aws-sdk[\\w-]*', 'azsdk[\\w-]*', 'boto3', 'botocore', 'google-api-[\\w-]*client', 'python-[\\w-]+', 'node-[\\w-]+', 'lib[a-z][\\w-]*',
].join('|')})(?![\\w])`, 'i');
/**
 * Media players that isbot takes for scripts by their plain `Name/1.0` shape (`mpv 0.29.1`, `foobar2000/1.6.1`,
 * `VLC/3.0.18 LibVLC/3.0.18`): apps, someone is listening or watching.
 */
const MEDIA_PLAYER = /^(?:VLC|mpv|MPlayer|foobar2000|Winamp|Zune|iTunes|QuickTime|Windows-Media-Player|NSPlayer|WMPlayer|AppleCoreMedia|stagefright|ExoPlayer|Kodi|XBMC|Audacious|Amarok|Clementine|Strawberry|Rhythmbox|MusicBee|SONOS|Plex|Jellyfin|Emby|Infuse|nPlayer|Juice|Songbird|JRiver)\b/i;

/**
 * In-app browsers and WebViews: an app showing a page inside itself (`; wv)`, `FBAN/`, `Instagram 300.0`,
 * `MicroMessenger/`, `GSA/`), mail clients, and desktop apps built on a browser engine (`Electron/`).
 */
const IN_APP = new RegExp([
  '; wv\\)', '\\bFBA[NV]/', 'FB_IAB', '\\bInstagram[ /]\\d', '\\bLine/\\d', 'MicroMessenger', '\\bSnapchat', 'musical_ly', 'BytedanceWebview',
  '\\bTwitter(?:Android| for)', 'Pinterest/', 'LinkedInApp', '\\bGSA/\\d', 'YandexSearch', 'YaSearchApp', 'baiduboxapp', 'KAKAO(?:TALK|STORY)',
  'NAVER\\(inapp', 'DaumApps', '__weibo__', 'AlipayClient', 'DingTalk', 'Electron/', 'Thunderbird/', 'Postbox', 'Spicebird',
  'Microsoft (?:Outlook|Office)', 'MSOffice', 'ms-office', 'The Bat!', '\\bDalvik/', 'GmmClient', 'com\\.google\\.(?:android|ios)',
].join('|'));

// ua-parser-js names (as browser.ts stores them) that are apps, not browsers.
const APP_NAMES = new Set(['Facebook', 'Instagram', 'Snapchat', 'Line', 'WeChat', 'KakaoTalk', 'KakaoStory', 'Naver', 'Daum', 'Twitter',
  'TikTok', 'Alipay', 'DingTalk', 'Weibo', 'Klarna', 'LinkedIn', 'Electron', 'Google App']);
// Names of the engine an app embeds, which a WebView or in-app agent carries: the app, not the engine, is the client.
const ENGINE_NAMES = new Set(['', 'Chrome WebView', 'Safari WebView', 'Chrome', 'Chromium', 'Safari', 'WebKit', 'Android Browser', 'Mozilla',
  'Internet Explorer']);
// A browser built on the system WebView names itself (`VivoBrowser/8.4`, `MZBrowser/9.4`, `XiaoMi/Mint Browser`): a browser still.
const OWN_BROWSER = /Brows|\bTV Bro\b|SogouM/;

/**
 * A browser's agent that ua-parser-js names nothing in: a browser engine after `Mozilla/` or `Opera/`, a feature
 * phone's browser (WAP, MIDP, UP.Browser, Obigo, NetFront, MAUI), a TV's (HbbTV, CE-HTML, SmartTV).
 */
const BROWSER_SHAPE = /^(?:Mozilla|Opera)\/\d.*(?:AppleWebKit|Gecko\/|Trident|Presto|KHTML|Goanna)|^(?:ELinks|w3m|Lynx|Links|DoCoMo|KDDI|SoftBank|Vodafone|J-PHONE)\b|WAP[ -]?Browser|\bMAUI\b|\bMRE[/\\]|Profile\/MIDP|UP\.Browser|Obigo|NetFront|Teleca|\bBREW\b|Series ?40|\bBrowser\/\d|HbbTV|CE-HTML|SmartTV|Opera TV|Espial|NETTV/i;
// Any other agent isbot did not flag that leads with a product and its version (`Wavecatcher/2.4 (iOS; 17.2)`,
// `Tunebox Player 3.2`, `XBMC/12.0`) or names a consumer platform: an app naming itself. `Mozilla/5.0` followed by
// no browser engine (`Mozilla/5.0 (X11; Linux x86_64)`, cut short or made up) names nothing.
const APP_SHAPE = /^(?!Mozilla\/)[A-Za-z][\w&+'! -]*(?:[/;( ,]|$)|\b(?:iPhone|iPad|iPod|iOS|Android|watchOS|tvOS|Darwin|CFNetwork)\b/;

/**
 * The class of a present, non-empty agent, decided in this order: an attack probe or a scanning tool (bot); a feed
 * reader; a library or tool (unless it names itself a bot); a bot (bots.ts); an app (in-app browsers, WebViews,
 * apps ua-parser-js or browser.ts names); a browser (named by ua-parser-js, or browser-shaped); an app naming
 * itself; otherwise unknown.
 * @param browser the stored browser name (browser.ts)
 * @param parsedName ua-parser-js's own browser name, undefined when it found none
 */
export function clientClassOf(userAgent: string, browser: string, parsedName: string | undefined): ClientClass {
  if (scannerNameOf(userAgent) !== null) return 'bot';
  if (FEED_READER.test(userAgent) || (FEED_WORD.test(userAgent) && !NOT_FEED_READER.test(userAgent))) return 'feed_reader';
  const lead = LEAD.exec(userAgent);
  if (((lead !== null && LIBRARY.test(lead[0])) || LIBRARY_TOKEN.test(userAgent)) && !SELF_NAMED.test(userAgent)
    && !DOCUMENTED.test(userAgent)) return 'library';
  if (MEDIA_PLAYER.test(userAgent)) return 'app';
  if (isBotAgent(userAgent)) return 'bot';
  if (APP_NAMES.has(browser)) return 'app';
  if (ENGINE_NAMES.has(browser) && (browser.endsWith('WebView') || IN_APP.test(userAgent)) && !OWN_BROWSER.test(userAgent)) return 'app';
  // browser.ts names apps ua-parser-js does not know by their leading product token; UC Browser's compact forms too.
  if (browser !== '') return parsedName !== undefined || browser === 'UC Browser' ? 'browser' : 'app';
  if (BROWSER_SHAPE.test(userAgent)) return 'browser';
  if (APP_SHAPE.test(userAgent)) return 'app';
  return 'unknown';
}

/**
 * Requests no visitor makes: secrets and version-control files (`/.env`, `/.git/config`, `/.aws/credentials`),
 * path traversal and injection in the path. Whatever agent sends them is a scanner.
 */
const PROBE_PATH = /\/\.(?:env|git|svn|hg|bzr|aws|ssh|docker|kube|npmrc|htpasswd|htaccess|DS_Store|vscode|idea)(?:[/.]|$)|\.\.[/\\]|%2e%2e|\/etc\/passwd|eval-stdin\.php|\$\{jndi:|<script|\bunion\b.{0,20}\bselect\b/i;

export function isProbePath(path: string): boolean {
  return PROBE_PATH.test(path);
}
