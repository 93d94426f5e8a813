/**
 * The browser's name as a user of an analytics dashboard expects it: one spelling per product, whatever the
 * platform (the device type says phone or desktop), the name its maker uses. ua-parser-js 1.x returns some names
 * as the agent spells them (`brave`, `KAKAOTALK`, `Opera Mobi`, `UCBrowser`), splitting one product's trends, and
 * misreads or does not know a few agent shapes. Tuned against uap-core's test_ua.yaml and pgts list and
 * device-detector's fixtures (`npm run accuracy`).
 */

// Lower-cased ua-parser-js names → the product's name; names not listed are kept as they are.
const CANONICAL = new Map<string, string>([
  // Platform variants of one product: the device type carries the platform.
  ['mobile safari', 'Safari'], ['mobilesafari', 'Safari'], ['opera mobi', 'Opera Mobile'], ['opera tablet', 'Opera Mobile'],
  // Token spellings → the maker's name for the product.
  ['ie', 'Internet Explorer'], ['iemobile', 'IE Mobile'], ['ucbrowser', 'UC Browser'], ['yandex', 'Yandex Browser'],
  ['qqbrowser', 'QQ Browser'], ['qqbrowserlite', 'QQ Browser'], ['baidu', 'Baidu Browser'], ['silk', 'Amazon Silk'],
  ['heytap', 'HeyTap Browser'], ['nokiabrowser', 'Nokia Browser'], ['ovibrowser', 'Ovi Browser'], ['palemoon', 'Pale Moon'],
  ['dragon', 'Comodo Dragon'], ['gsa', 'Google App'], ['360', '360 Browser'], ['115', '115 Browser'], ['2345', '2345 Browser'],
  ['lbbrowser', 'Liebao Browser'], ['chrome headless', 'Headless Chrome'], ['naver', 'Naver'], ['kakaotalk', 'KakaoTalk'],
  ['kakaostory', 'KakaoStory'], ['icebrowser', 'ICE Browser'], ['ice browser', 'ICE Browser'], ['klar', 'Firefox Klar'],
  // Case variants of names ua-parser-js takes from the agent as written.
  ...['Chrome', 'Firefox', 'Safari', 'WebKit', 'Brave', 'Whale', 'Weibo', 'Maxthon', 'Obigo', 'Avant', 'Phoenix', 'Conkeror',
    'Rekonq', 'Polaris', 'Bolt', 'UP.Browser', 'Opera', 'Opera Mini', 'Chromium', 'Instagram', 'Snapchat', 'Line', 'Twitter',
    'Vivaldi', 'Midori', 'Epiphany', 'Iron', 'Puffin', 'Konqueror', 'Netscape', 'NetFront', 'Jasmine', 'Blazer', 'Sleipnir',
    'Lunascape', 'Kindle', 'Skyfire', 'Flock', 'RockMelt', 'QupZilla', 'Falkon', 'Iridium', 'PhantomJS', 'Dillo', 'Lynx',
    'Links', 'Mosaic', 'iCab', 'Doris', 'Amaya', 'NetSurf', 'Ladybird', 'Electron', 'Daum', 'Alipay', 'Klarna', 'Tesla',
    'Iceweasel', 'IceDragon', 'Camino', 'Chimera', 'Fennec', 'Minimo', 'SeaMonkey', 'K-Meleon', 'IceCat', 'Iceape',
    'Firebird', 'Basilisk', 'Waterfox', 'Swiftfox', 'Wolvic', 'LibreWolf', 'Mozilla', 'DuckDuckGo', 'Edge']
    .map((name): [string, string] => [name.toLowerCase(), name]),
]);

// Android's WebView before it said `wv` (Android 4.4–5): `Version/4.0 Chrome/30.0.0.0`; ua-parser-js reads the
// Version token as the old Android Browser, which never carried a Chrome token.
const CHROME_TOKEN = /Chrome\/\d/;
// In-app browsers ua-parser-js reads as the WebView or Chrome they run in: the Google app on Android (GSA/…;
// ua-parser-js knows it on iOS only) and the Yandex app's browser (YandexSearch/…, YaSearchApp), which carries
// Yandex Browser's engine.
const IN_APP = /\bGSA\/\d|YandexSearch(?:Browser)?\/|YaSearchApp\//;
// UC Browser's agents: compact ones name the Opera Mini core they were built on before their own UCBrowser token,
// Chromium-based ones say UCMobile, Java ones only UCWEB.
const UC = /UCBrowser|UCWEB|UCMobile\//;
// A Chromium or WebKit browser naming itself after the engine tokens (`AlohaBrowser/5.6`, `HonorBrowser/3.0`,
// `OppoBrowser/25`): a capitalised word before "Browser", which keeps out model and engine codes (MZBrowser).
const OWN_BROWSER = /\b([A-Z][a-z]{1,15})Browser\/\d/;
// Apps that do not imitate a browser and name the platform they run on (`Luminary/70 CFNetwork/978 Darwin/18.5`,
// `Microsoft Office Word/2.45 (iOS/14.2; …)`, `Dolphin 7.4 (iPhone; iPhone OS 7.0.2)`): their leading product
// token is their name. Device names (`iPhone12`, `Apple-iPhone7C2/…`, `Samsung GT-I9505 stagefright/1.2`),
// platforms (`Linux; U; Android 10`, `Darwin/24.5.0`) and Android's runtime default (`Dalvik/2.1.0`) name no app.
const APP_PLATFORM = /\b(?:iPhone|iPad|iPod|iOS|Android|watchOS|tvOS|Darwin|CFNetwork|Mac OS X)\b/;
const APP_NAME = /^(?!(?:Mozilla|Dalvik|Linux|Darwin)\b|Apple-|iP(?:hone|ad|od))(?:([A-Za-z][\w-]*(?: [A-Za-z][A-Za-z-]*){0,3})\/|([A-Za-z][\w-]*)(?: v?\d|,))/;
// iOS apps' embedded WebKit views: an iOS device, AppleWebKit, `Mobile/15E148`, and no Safari token.
const IOS_WEBVIEW = /\((?:iPhone|iPad|iPod)\b.*AppleWebKit\/[\d.]+ \(KHTML, like Gecko\)(?: Mobile(?:\/\w+)?)?$/;

/** The browser or app behind an agent ua-parser-js names by its engine or the core it was built on. */
function engineHostOf(userAgent: string, name: string): string {
  if (UC.test(userAgent)) return 'UC Browser';
  if (name === 'Opera Mini') return name;
  if (IN_APP.test(userAgent)) return userAgent.includes('GSA/') ? 'Google App' : 'Yandex Browser';
  const own = OWN_BROWSER.exec(userAgent);
  if (own !== null) return `${own[1]} Browser`;
  if (name === 'Android Browser' && CHROME_TOKEN.test(userAgent)) return 'Chrome WebView';
  if (name === 'WebKit' && IOS_WEBVIEW.test(userAgent)) return 'Safari WebView';
  return name;
}

export function browserNameOf(userAgent: string, parsedName: string | undefined): string {
  let name = parsedName ?? '';
  if (name !== '') name = CANONICAL.get(name.toLowerCase()) ?? name;
  switch (name) {
    case 'Android Browser':
    case 'Chrome WebView':
    case 'Chrome':
    case 'Safari':
    case 'WebKit':
    case 'Opera Mini':
      return engineHostOf(userAgent, name);
    case '': {
      if (UC.test(userAgent)) return 'UC Browser';
      const app = APP_PLATFORM.test(userAgent) ? APP_NAME.exec(userAgent) : null;
      return app === null ? name : app[1] ?? app[2];
    }
    default: return name;
  }
}
