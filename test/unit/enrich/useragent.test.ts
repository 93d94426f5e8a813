import t from 'tap';
import { isBotAgent } from '../../../src/enrich/bots.js';
import { isPlainDesktop } from '../../../src/enrich/device.js';
import { osNameOf } from '../../../src/enrich/os.js';
import { classifyUserAgent, NO_AGENT_CLIENT, UNKNOWN_CLIENT, UserAgentClassifier } from '../../../src/enrich/useragent.js';

t.test('browsers: family, major version, OS and device type', async (t) => {
  t.same(classifyUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0'),
    { browser: 'Firefox', browserVersion: '120', os: 'Windows', osVersion: '10', deviceType: 'desktop', clientClass: 'browser', isBot: false, botName: '', isPerson: true });
  t.same(classifyUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1'),
    { browser: 'Safari', browserVersion: '17', os: 'iOS', osVersion: '17.0', deviceType: 'mobile', clientClass: 'browser', isBot: false, botName: '', isPerson: true });
  t.same(classifyUserAgent('Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'),
    { browser: 'Chrome', browserVersion: '120', os: 'Android', osVersion: '13', deviceType: 'tablet', clientClass: 'browser', isBot: false, botName: '', isPerson: true });
});

t.test('device types ua-parser-js leaves open are decided', async (t) => {
  const device = (ua: string) => classifyUserAgent(ua).deviceType;
  t.equal(device('Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0'), 'desktop');
  t.equal(device('Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/87.0.4280.88 Safari/537.36 WebAppManager'), 'tv');
  t.equal(device('Mozilla/5.0 (Linux; Android 9; Rombica TV Ultima) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/80.0.3987.149 Safari/537.36'), 'tv');
  t.equal(device('Mozilla/5.0 (Linux; Android 7.0; Hisense F8 MINI) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0.4664.104 Mobile Safari/537.36'), 'mobile', 'a brand that also makes phones');
  t.equal(device('Dalvik/2.1.0 (Linux; U; Android 6.0; Quantum MUV PRO Build/MRA58K)'), 'mobile');
  t.equal(device('Nokia6120c/3.83; Profile/MIDP-2.0 Configuration/CLDC-1.1'), 'mobile');
  t.equal(device('Safari/9537.75.14 CFNetwork/673.4 Darwin/13.2.0 (x86_64) (MacBookPro8%2C1)'), 'desktop');
  t.equal(device('Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko)'), 'console');
});

t.test('TV boxes by family and chipset, TV panels by screen-size model numbers, Presto on set-top hardware', async (t) => {
  const device = (ua: string) => classifyUserAgent(ua).deviceType;
  t.equal(device('Mozilla/5.0 (Linux; Android 9; X96Max_Plus) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/100.0.0.0 Mobile Safari/537.36'), 'tv');
  t.equal(device('Mozilla/5.0 (Linux; Android 9; 43UH5500) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/90.0.4430.82 Safari/537.36'), 'tv');
  t.equal(device('Mozilla/5.0 (Linux; Android 10; Tempo 32GB) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/100.0.0.0 Mobile Safari/537.36'), 'mobile', 'a storage size is not a screen size');
  t.equal(device('Opera/9.80 (Linux mips; U; en) Presto/2.12.407 Version/12.51'), 'tv');
  t.equal(device('Mozilla/5.0 (Linux; Android 9; ZIDOO_Z9X) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/100.0.0.0 Mobile Safari/537.36'), 'tv', 'a TV box maker');
  t.equal(device('Mozilla/5.0 (Linux; Android 15; TECNO KM6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Mobile Safari/537.36'), 'mobile', 'a phone sharing a box model name');
});

t.test('tablet families whose agents say Mobile', async (t) => {
  const device = (ua: string) => classifyUserAgent(ua).deviceType;
  t.equal(device('Mozilla/5.0 (Linux; Android 5.0.2; LG-V700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/60.0.3112.107 Safari/537.36'), 'tablet', 'LG G Pad model code');
  t.equal(device('Mozilla/5.0 (Linux; Android 11; moto tab g20) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110.0.0.0 Mobile Safari/537.36'), 'tablet');
  t.equal(device('Reeder/5.0 (iPad; iOS 17.1)'), 'tablet', 'an app on an iPad');
});

t.test('plain Windows and Mac desktops skip the device table; anything more in the platform comment does not', async (t) => {
  t.equal(isPlainDesktop('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'), true);
  t.equal(isPlainDesktop('Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:120.0) Gecko/20100101 Firefox/120.0'), true);
  t.equal(isPlainDesktop('Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edge/44.18363.8131'), false);
  t.equal(classifyUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edge/44.18363.8131').deviceType, 'console');
});

t.test('OS names: one spelling per system, whatever the agent says', async (t) => {
  t.equal(osNameOf('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15', 'Mac OS'), 'macOS');
  t.equal(osNameOf('mozilla/5.0 (linux; android 13; pixel 7) applewebkit/537.36 (khtml, like gecko) chrome/120.0.0.0 mobile safari/537.36', 'android'), 'Android');
  t.equal(osNameOf('Mozilla/5.0 (compatible; MSIE 10.0; Windows Phone 8.0; Trident/6.0; IEMobile/10.0; ARM; Touch; NOKIA; Lumia 920)', 'Windows Phone OS'), 'Windows Phone');
  t.equal(osNameOf('Mozilla/5.0 (Windows; U; Windows NT 10.0) Fake/1.0', 'Haiku'), 'Haiku', 'a name not listed is kept');
});

t.test('OS of agents ua-parser-js misreads or finds none in', async (t) => {
  const os = (ua: string) => classifyUserAgent(ua).os;
  t.equal(os('Wavecatcher/2.4 CFNetwork/1410.0.3 Darwin/22.6.0 (x86_64)'), 'macOS', 'a Mac app');
  t.equal(os('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Version/17.0 Safari/605.1.15'), 'iOS', 'Chrome on an iPad asking for desktop sites');
  t.equal(os('Mozilla/5.0 (Linux; U; en-us; KFTT Build/IML74K) AppleWebKit/535.19 (KHTML, like Gecko) Silk/3.0 Safari/535.19'), 'Android', 'Kindle Fire');
  t.equal(os('Wavecatcher/2.4 (iOS; 17.2; Mobile)'), 'iOS');
  t.equal(os('Opera/7.54 (Windows XP; U) [en]'), 'Windows');
});

t.test('bots: flagged and named', async (t) => {
  t.same(classifyUserAgent('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'),
    { browser: '', browserVersion: '', os: '', osVersion: '', deviceType: 'bot', clientClass: 'bot', isBot: true, botName: 'Googlebot', isPerson: false });
  t.equal(isBotAgent('Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Amzn-User/0.1) Chrome/119.0.6045.214 Safari/537.36'), true, 'an extra pattern');
  t.equal(isBotAgent('Mozilla/5.0 (Linux; Android 8.0; Pixel 2 Build/OPD3.170816.012; Storebot-Google/1.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.138 Mobile Safari/537.36'), true);
  t.equal(isBotAgent('SAMSUNG-SGH-E250/1.0 Profile/MIDP-2.0 Configuration/CLDC-1.1 UP.Browser/6.2.3.3.c.1.101 (GUI) MMP/2.0 (compatible; Googlebot-Mobile/2.1; +http://www.google.com/bot.html)'), true, 'a self-named bot beats a phone veto');
});

t.test('real clients isbot would flag are people', async (t) => {
  t.equal(isBotAgent('Mozilla/5.0 (Linux; Android 8.1.0; XBot_Senior Build/O11019) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/65.0.3325.109 Mobile Safari/537.36'), false, 'a phone model named Bot');
  t.equal(isBotAgent('Mozilla/5.0 (Linux; U; Android 4.3; Google Nexus 4 Build/JLS36G) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30'), false);
  t.equal(isBotAgent('dv(iPh14,2);pr(UCBrowser/11.3.5.1203);ov(15_4);ss(375x812);bt(GJ);pm(0);bv(0);nm(0);im(0);nt(2);'), false);
  t.equal(isBotAgent('Opera/9.80 (Linux 7405b0-smp; U; HbbTV/1.1.1 (; Humax; CXHD-5100C; 1.00.23; 1.0; ); ce-html/1.0; en) Presto/2.9.167 Version/11.50'), false);
});

t.test('apps naming their platform or a media role are people, unless they name a server-side task', async (t) => {
  t.equal(isBotAgent('Wavecatcher iOS 2.4'), false, 'an iOS app');
  t.equal(isBotAgent('Wavecatcher Android 3.1.0'), false);
  t.equal(isBotAgent('Nokia3310 WAP-Browser/1.0'), false, 'a feature phone browser');
  t.equal(isBotAgent('Tunebox Player 3.2'), false, 'a media player');
  t.equal(isBotAgent('Wavecatcher Episode Lookup/1.0'), true, 'a server-side task');
  t.equal(isBotAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Wavecatcher/1.0 (+https://example.com/)'), true, 'a browser-shaped agent is not an app');
});

t.test('TV platforms and screen sizes are not bot evidence', async (t) => {
  t.equal(isBotAgent('XBMC/12.0 Git:20130127-fb595f2 (Windows NT 6.1;WOW64;Win64;x64; http://www.xbmc.org)'), false);
  t.equal(isBotAgent('Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Instagram 300.0.0.0 Android (33/13; 240dpi; 1024x720; samsung)'), false);
});

t.test('the classifier: no agent field, an empty agent, and a cache that returns the same answer', async (t) => {
  const agents = new UserAgentClassifier(2);
  t.equal(agents.classify(null), UNKNOWN_CLIENT);
  t.same(agents.classify(''), NO_AGENT_CLIENT);
  const first = agents.classify('curl/8.0');
  t.equal(agents.classify('curl/8.0'), first, 'served from the cache');
  t.match(agents.classify(null), { clientClass: 'unknown', isPerson: true }, 'a log without agents: every request counts, as before');
  t.match(agents.classify(''), { clientClass: 'bot', isPerson: false });
});

t.test('bot names: a bot word, a self-introduction, a documented product, or the own product after a browser', async (t) => {
  t.equal(classifyUserAgent('360Spider-Image').botName, '360Spider-Image');
  t.equal(classifyUserAgent('Mozilla/5.0 (compatible; Dataprovider/6.92; +https://www.dataprovider.com/)').botName, 'Dataprovider');
  t.equal(classifyUserAgent('Mozilla/5.0 (Macintosh; Intel Mac OS X 10.10; rv:41.0) Gecko/20100101 Firefox/55.0 BrandVerity/1.0 (http://www.brandverity.com/why-is-brandverity-visiting-me)').botName, 'BrandVerity');
  t.equal(classifyUserAgent('Mozilla/5.0 SeznamEmailProxy/2.0.174').botName, 'SeznamEmailProxy');
});
