import t from 'tap';
import { browserNameOf } from '../../../src/enrich/browser.js';
import { classifyUserAgent } from '../../../src/enrich/useragent.js';

const browser = (ua: string) => classifyUserAgent(ua).browser;

t.test('one name per product, whatever the platform: the device type says phone or desktop', async (t) => {
  t.equal(browser('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1'), 'Safari');
  t.equal(browser('Opera/9.80 (Android 2.3.4; Linux; Opera Mobi/ADR-1111101157; U; en) Presto/2.9.201 Version/11.50'), 'Opera Mobile');
});

t.test('token spellings become the maker\'s product name', async (t) => {
  t.equal(browser('Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko'), 'Internet Explorer');
  t.equal(browser('Mozilla/5.0 (Linux; U; Android 10; en-US; SM-A105F) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.108 UCBrowser/13.4.0.1306 Mobile Safari/537.36'), 'UC Browser');
  t.equal(browser('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 YaBrowser/24.1.0.0 Safari/537.36'), 'Yandex Browser');
});

t.test('case variants of one name are one name', async (t) => {
  t.equal(browserNameOf('Mozilla/5.0 (Linux; Android 12) KAKAOTALK 10.1.0', 'KAKAOTALK'), 'KakaoTalk');
  t.equal(browserNameOf('Mozilla/5.0 (X11; Linux x86_64) brave/1.60', 'brave'), 'Brave');
  t.equal(browserNameOf('Mozilla/5.0 (Windows NT 10.0) Example/1.0', 'Haiku Web'), 'Haiku Web', 'a name not listed is kept');
});

t.test("Android's WebView before it said wv: Version/4.0 with a Chrome token", async (t) => {
  t.equal(browser('Mozilla/5.0 (Linux; Android 4.4.2; Nexus 5 Build/KOT49H) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/30.0.0.0 Mobile Safari/537.36'), 'Chrome WebView');
  t.equal(browser('Mozilla/5.0 (Linux; U; Android 4.0.3; en-us; HTC Sensation Build/IML74K) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30'), 'Android Browser', 'no Chrome token: the old browser');
});

t.test('in-app browsers named by their app, not the WebView they run in', async (t) => {
  t.equal(browser('Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.5845.163 Mobile Safari/537.36 GSA/14.35.22.29.arm64'), 'Google App');
  t.equal(browser('Mozilla/5.0 (Linux; Android 11; SM-A125F Build/RP1A.200720.012; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/110.0.5481.153 Mobile Safari/537.36 YandexSearch/23.21 YandexSearchBrowser/23.21'), 'Yandex Browser');
  t.equal(browser('Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148'), 'Safari WebView');
});

t.test('UC Browser in its Chromium, Opera Mini-core and Java forms', async (t) => {
  t.equal(browser('Mozilla/5.0 (Linux; U; Android 13; en-US; SM-A135F Build/TP1A.220624.014) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/100.0.4896.58 UCMobile/13.8.2.1324 Mobile Safari/537.36'), 'UC Browser');
  t.equal(browser('UCWEB/2.0 (Linux; U; Opera Mini/7.1.32052/30.3697; en-US; GT-S5830) U2/1.0.0 UCBrowser/9.0.2.389 Mobile'), 'UC Browser');
  t.equal(browser('Nokia6300/UCWEB8.0.3.99/28/999'), 'UC Browser');
});

t.test('a Chromium browser naming itself after the engine tokens', async (t) => {
  t.equal(browser('Mozilla/5.0 (Linux; Android 12; SM-G991B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Mobile Safari/537.36 AlohaBrowser/5.2.1'), 'Aloha Browser');
  t.equal(browser('Mozilla/5.0 (Linux; Android 12; SM-G991B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Mobile Safari/537.36 MZBrowser/9.1'), 'Chrome', 'a model or engine code is not a name');
});

t.test('apps that name their platform are named by their leading product token', async (t) => {
  t.equal(browser('Podwise/3.1 CFNetwork/1410.0.3 Darwin/22.6.0'), 'Podwise');
  t.equal(browser('Acme Notes Pro/2.4.1 (iOS/16.5; Phone; en-US; AppStore)'), 'Acme Notes Pro');
  t.equal(browser('Reader 6.2 (iPad; iPhone OS 9.3; en_US)'), 'Reader');
  t.equal(browser('Dalvik/2.1.0 (Linux; U; Android 12; SM-A125F Build/SP1A.210812.016)'), '', "Android's runtime default names no app");
  t.equal(browser('Samsung SM-N900T stagefright/1.2 (Linux;Android 4.4.2)'), '', 'a device name is not an app');
});
