import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { ClientClass } from '../../src/enrich/client-class.js';
import { classifyUserAgent, UserAgentClassifier } from '../../src/enrich/useragent.js';
import { ClfParser } from '../../src/formats/clf.js';
import { emptyRawHit } from '../../src/formats/types.js';
import { ROOT } from '../helpers/cli.js';

// Client classes pinned with agents real clients sent, as they appear in the real logs of ../shared/corpus/real.
const REAL = join(ROOT, '..', 'shared', 'corpus', 'real');
const LOGS = ['elastic_apache_logs.log', 'elastic_nginx_logs_first29479.log', 'erddap_nginx_combined_2024-05.log', 'zanbil_nginx_combined_xff_lnav.log'];

const EXPECTED: Record<ClientClass, [agent: string, name: string][]> = {
  browser: [
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36', 'Chrome'],
    ['Opera/9.80 (X11; Linux x86_64) Presto/2.12.388 Version/12.16', 'Opera'],
    ['SAMSUNG-GT-E2232/1.0 Openwave/6.2.3 Profile/MIDP-2.0 Configuration/CLDC-1.1 UP.Browser/6.2.3.3.c.1.101 (GUI) MMP/2.0', 'UP.Browser'],
    ['Lynx/2.8.7rel.2 libwww-FM/2.14 SSL-MM/1.4.1 OpenSSL/1.0.1f', 'Lynx'],
  ],
  app: [
    ['Dalvik/2.1.0 (Linux; U; Android 8.0.0; PRA-LA1 Build/HONORPRA-LA1)', ''],
    ['torob/5 CFNetwork/976 Darwin/18.2.0', 'torob'],
    ['Instagram 3.0.4 Android (8/2.2.1; 240dpi; 480x800; HTC/verizon_wwe; ADR6400L; mecha; mecha; en_US)', 'Instagram'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 7_0_4 like Mac OS X) AppleWebKit/537.51.1 (KHTML, like Gecko) Mobile/11B554a', 'Safari WebView'],
    ['Microsoft Office Protocol Discovery', ''],
  ],
  feed_reader: [
    ['UniversalFeedParser/4.2-pre-314-svn +http://feedparser.org/', 'UniversalFeedParser'],
    ['Tiny Tiny RSS/1.11 (http://tt-rss.org/)', 'Tiny Tiny RSS'],
    ['Feedly/1.0 (+http://www.feedly.com/fetcher.html; like FeedFetcher-Google)', 'Feedly'],
    ['Reeder/2.1.1 CFNetwork/672.0.8 Darwin/14.0.0', 'Reeder'],
    ['Feedbin - 1 subscribers', 'Feedbin'],
    ['Liferea/1.8.3 (Linux; en_GB.UTF-8; http://liferea.sf.net/)', 'Liferea'],
  ],
  library: [
    ['curl/7.54.0', 'curl'],
    ['python-requests/2.28.1', 'python-requests'],
    ['Debian APT-HTTP/1.3 (1.0.1ubuntu2)', 'Debian APT-HTTP'],
    ['Java/1.7.0_65', 'Java'],
    ['Apache-HttpClient/4.3.5 (java 1.5)', 'Apache-HttpClient'],
    ['Go-http-client/1.1', 'Go-http-client'],
    ['urlgrabber/3.9.1 yum/3.2.29', 'urlgrabber'],
    ['Chef Client/11.6.2 (ruby-1.9.3-p448; ohai-6.18.0; x86_64-linux; +http://opscode.com)', 'Chef Client'],
    ['Homebrew 0.9.5 (Ruby 2.0.0-481; Mac OS X 10.10.1)', 'Homebrew'],
  ],
  bot: [
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'Googlebot'],
    ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 'bingbot'],
    ['facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)', 'facebookexternalhit'],
    ['Mozilla/5.0 zgrab/0.x', 'zgrab'],
  ],
  unknown: [
    ["'Mozilla/5.0", ''],
    ['Mozilla/5.0 (X11; Linux x86_64)', ''],
    ['localhost.localdomain/go-network-v2.0.1', ''],
  ],
};

/** Every combined line of a log as [path, agent]. */
function requests(file: string): [string, string][] {
  const parser = new ClfParser(true);
  const hit = emptyRawHit();
  const out: [string, string][] = [];
  for (const line of readFileSync(join(REAL, file), 'utf8').split('\n')) {
    if (line === '' || parser.parse(line, hit) !== null) continue;
    out.push([hit.target.split('?')[0], hit.userAgent ?? '']);
  }
  return out;
}

if (!existsSync(REAL)) {
  t.pass('../shared is absent: the shared-corpus suite has nothing to check here');
} else {
  const agents = new Set<string>();
  for (const log of LOGS) for (const line of readFileSync(join(REAL, log), 'utf8').split('\n')) {
    const quoted = line.match(/"([^"]*)"/g);
    if (quoted !== null) agents.add(quoted[2]?.slice(1, -1) ?? '');
  }

  for (const [clientClass, cases] of Object.entries(EXPECTED)) {
    t.test(`${clientClass}: real agents from the shared logs`, async (t) => {
      for (const [agent, name] of cases) {
        t.ok(agents.has(agent), `sent in a real log: ${agent}`);
        const info = classifyUserAgent(agent);
        t.equal(info.clientClass, clientClass, agent);
        t.equal(clientClass === 'bot' ? info.botName : info.browser, name, `named: ${agent}`);
        t.equal(info.isPerson, clientClass === 'browser' || clientClass === 'app', 'people are browsers and apps');
      }
    });
  }

  t.test('every request of the elastic Apache log has a class; libraries and feed readers are not people', async (t) => {
    const classifier = new UserAgentClassifier();
    const hits = new Map<ClientClass, number>();
    let people = 0;
    for (const [path, agent] of requests('elastic_apache_logs.log')) {
      const info = classifier.classifyRequest(agent, path);
      hits.set(info.clientClass, (hits.get(info.clientClass) ?? 0) + 1);
      if (info.isPerson) people++;
    }
    t.same(Object.fromEntries([...hits].sort()), { app: 78, bot: 1923, browser: 7023, feed_reader: 890, library: 85, unknown: 1 });
    t.equal(people, 7023 + 78);
  });

  t.test('the ERDDAP log: .env and .git probes are scanners whatever their agent', async (t) => {
    const classifier = new UserAgentClassifier();
    // The class each probe's agent has on its own: the HTTP libraries and the cut-short agents scanners send.
    const probes = new Map<ClientClass, number>();
    for (const [path, agent] of requests('erddap_nginx_combined_2024-05.log')) {
      const info = classifier.classifyRequest(agent, path);
      if (info.botName !== 'scanner') continue;
      t.match(info, { clientClass: 'bot', isBot: true, isPerson: false });
      const own = classifier.classify(agent).clientClass;
      probes.set(own, (probes.get(own) ?? 0) + 1);
    }
    t.same(Object.fromEntries([...probes].sort()), { library: 221, unknown: 12 });
  });
}
