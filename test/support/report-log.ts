/**
 * A small, deterministic access log for the report's tests: two sites over two weeks (2015-05-04 to
 * 2015-05-17, the second busier than the first), visitors from a few real public networks (so the geo
 * and company lookups have something to say, and some companies pass the small-group rule), search,
 * social, mail and campaign referrers, assets, 404s, bots, and a path that is HTML markup.
 */
const DAY_MS = 86_400_000;
const START = Date.UTC(2015, 4, 4);
export const LOG_DAYS = 14;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Networks (first three octets) with a weight: a few big ones so their companies reach k visitors. */
const NETWORKS: ReadonlyArray<[string, number]> = [
  ['8.8.8', 6], ['81.2.69', 5], ['193.0.6', 4], ['83.149.9', 4], ['1.1.1', 3], ['200.160.2', 3], ['133.11.0', 2],
  ['41.203.64', 1], ['203.0.178', 1],
];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0',
];
const BOTS = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
];
const PAGES: Record<string, string[]> = {
  'www.example.com': ['/', '/pricing', '/features', '/blog/privacy-first-analytics', '/blog/log-formats', '/about', '/contact', '/signup',
    '/blog/clickhouse-trends', '/jobs', '/legal/privacy', '/customers'],
  'docs.example.com': ['/', '/install', '/formats', '/privacy', '/sql'],
};
const ASSETS = ['/css/site.css', '/js/app.js', '/img/logo.png'];
const KEYWORDS = ['privacy analytics', 'access log analyzer', 'goaccess alternative', 'clickhouse logs', 'gdpr web analytics'];
const REFERRERS: ReadonlyArray<(rand: () => number) => string> = [
  () => '-',
  () => '-',
  (r) => `https://www.google.com/search?q=${encodeURIComponent(pick(KEYWORDS, r)).replace(/%20/g, '+')}`,
  (r) => `https://duckduckgo.com/?q=${encodeURIComponent(pick(KEYWORDS, r))}`,
  () => 'https://t.co/abc123',
  () => 'https://news.ycombinator.com/item',
  () => 'https://www.bing.com/search?q=siftlog',
];
const CAMPAIGNS = ['?utm_source=newsletter&utm_medium=email&utm_campaign=may-launch', '?utm_source=twitter&utm_medium=social&utm_campaign=may-launch',
  '?utm_source=partner&utm_medium=referral&utm_campaign=spring-sale'];

function pick<T>(items: readonly T[], rand: () => number): T {
  return items[Math.floor(rand() * items.length)];
}

function weighted(rand: () => number): string {
  const total = NETWORKS.reduce((a, [, w]) => a + w, 0);
  let x = rand() * total;
  for (const [net, w] of NETWORKS) {
    x -= w;
    if (x < 0) return net;
  }
  return NETWORKS[0][0];
}

/** mulberry32: the same log on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function clfTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

interface Line {
  ms: number;
  text: string;
}

/** How the report's log is written: vhost_combined plus nginx's $request_time, in seconds. */
export const REPORT_LOG_FORMAT =
  '$host $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time';
/** The goal and the e-mail patterns the report's pipeline uses. */
export const REPORT_GOALS = [{ name: 'signup', path: '/signup' }, { name: 'pricing', path: '/pricing' }];
export const REPORT_EMAIL = { open: '/t/open.gif?c={campaign}&r={recipient}', click: '/t/click?c={campaign}&r={recipient}&u={url}' };
const MAIL_PROXY = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
/** Pages that answer slowly, for the response-time section. */
const SLOW = new Set(['/pricing', '/search', '/sql']);

/** The log in time order: vhost_combined lines with a response time at the end (REPORT_LOG_FORMAT). */
export function reportLog(): string {
  const rand = random(20150517);
  // Response times and mailings draw from their own sequence, so the traffic is the same with or without them.
  const timing = random(4242);
  const lines: Line[] = [];
  // People come back: a pool of clients, each an address and a browser.
  const clients = Array.from({ length: 160 }, () => ({ ip: `${weighted(rand)}.${1 + Math.floor(rand() * 250)}`, agent: pick(AGENTS, rand) }));
  const hit = (ms: number, site: string, ip: string, target: string, status: number, bytes: number, referrer: string, agent: string) =>
    lines.push({ ms, text: `${site}:443 ${ip} - - [${clfTime(ms)}] "GET ${target} HTTP/1.1" ${status} ${bytes} "${referrer}" "${agent}" ${seconds(target)}` });
  const seconds = (target: string) => {
    const path = target.split('?')[0];
    const base = SLOW.has(path) || path.startsWith('/search') ? 300 + timing() * 1500 : 5 + timing() * 80;
    return ((timing() < 0.02 ? base * 8 : base) / 1000).toFixed(3);
  };
  for (let day = 0; day < LOG_DAYS; day++) {
    const visits = (day < 7 ? 14 : 22) + Math.floor(rand() * 8);
    for (let v = 0; v < visits; v++) {
      const site = rand() < 0.75 ? 'www.example.com' : 'docs.example.com';
      const { ip, agent } = pick(clients, rand);
      let ms = START + day * DAY_MS + Math.floor(rand() * (DAY_MS - 3_600_000));
      const campaign = site === 'www.example.com' && rand() < 0.15 ? pick(CAMPAIGNS, rand) : '';
      let referrer = campaign ? '-' : pick(REFERRERS, rand)(rand);
      const views = 1 + Math.floor(rand() * 4);
      for (let p = 0; p < views; p++) {
        const path = p === 0 && rand() < 0.4 ? '/' : pick(PAGES[site], rand);
        const missing = rand() < 0.05;
        hit(ms, site, ip, `${missing ? `${path.replace(/\/$/, '')}/old` : path}${p === 0 ? campaign : ''}`, missing ? 404 : 200, 2000 + Math.floor(rand() * 30_000), referrer, agent);
        if (!missing && p === 0) for (const asset of ASSETS) hit(ms + 1000, site, ip, asset, 200, 500 + Math.floor(rand() * 90_000), `https://${site}${path}`, agent);
        referrer = `https://${site}${path}`;
        ms += 20_000 + Math.floor(rand() * 240_000);
      }
    }
    for (const [i, bot] of BOTS.entries()) {
      const ms = START + day * DAY_MS + 3_600_000 * (2 + i);
      hit(ms, 'www.example.com', `66.249.66.${10 + i}`, '/robots.txt', 200, 120, '-', bot);
      for (let k = 0; k < 2 + i; k++) hit(ms + 5000 * (k + 1), 'www.example.com', `66.249.66.${10 + i}`, pick(PAGES['www.example.com'], rand), 200, 9000, '-', bot);
    }
    // From the third day, the May newsletter: opens through the mail service's image proxy, clicks from people.
    if (day >= 2) {
      for (let k = 0; k < 4 + Math.floor(timing() * 6); k++) {
        const ms = START + day * DAY_MS + 6 * 3_600_000 + Math.floor(timing() * 10 * 3_600_000);
        const recipient = `r-${1 + Math.floor(timing() * 25)}`;
        hit(ms, 'www.example.com', `66.102.8.${1 + Math.floor(timing() * 20)}`, `/t/open.gif?c=may-news&r=${recipient}`, 200, 43, '-', MAIL_PROXY);
        if (timing() < 0.4) {
          const { ip, agent } = pick(clients, timing);
          const to = timing() < 0.6 ? 'https%3A%2F%2Fwww.example.com%2Fpricing' : 'https%3A%2F%2Fwww.example.com%2Ffeatures';
          hit(ms + 60_000, 'www.example.com', ip, `/t/click?c=may-news&r=${recipient}&u=${to}`, 302, 0, '-', agent);
        }
      }
    }
    // A scanner whose target is markup: the HTML report must show it as text.
    if (day % 3 === 0) hit(START + day * DAY_MS + 7_200_000, 'www.example.com', '203.0.178.9', '/search/<script>alert(1)</script>', 404, 150, '-', AGENTS[0]);
  }
  lines.sort((a, b) => a.ms - b.ms);
  return `${lines.map((l) => l.text).join('\n')}\n`;
}

/** The period the tests report on, and the one it is compared with. */
export const WEEK = { from: '2015-05-11', to: '2015-05-17' };
export const WEEK_BEFORE = { from: '2015-05-04', to: '2015-05-10' };
