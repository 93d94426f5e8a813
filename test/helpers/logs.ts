/**
 * A combined-format access log made up for tests: the same lines for the same options, spread evenly
 * over `days` UTC days from `start`, in time order, with clients from a pool (so visitors come back),
 * people and bots, pages and assets, search, internal and campaign referrers, and a few error statuses.
 */
export interface LogOptions {
  lines: number;
  /** First day, YYYY-MM-DD (UTC). */
  start?: string;
  days?: number;
  clients?: number;
  seed?: number;
}

const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'curl/8.4.0',
];
const PATHS = ['/', '/pricing', '/docs/', '/blog/post-1', '/style.css', '/app.js', '/logo.png', '/signup', '/about'];
const REFERRERS = ['-', 'https://www.google.com/search?q=siftlog+logs', 'https://www.example.com/', 'https://news.ycombinator.com/item?id=1'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function syntheticLines(options: LogOptions): string[] {
  const start = Date.parse(`${options.start ?? '2024-03-01'}T00:00:00Z`);
  const span = (options.days ?? 2) * 86_400_000;
  const clients = options.clients ?? 2_000;
  let seed = (options.seed ?? 1) >>> 0;
  const next = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
  const out: string[] = [];
  for (let i = 0; i < options.lines; i++) {
    const time = new Date(start + Math.floor((i * span) / options.lines));
    const client = Math.floor(next() * next() * clients);
    const address = `${10 + (client % 200)}.${(client >> 3) % 250}.${client % 7}.${(client * 13) % 250}`;
    const path = pick(PATHS);
    const query = next() < 0.05 ? '?utm_source=newsletter&utm_medium=email&utm_campaign=spring' : '';
    const status = next() < 0.03 ? 404 : next() < 0.01 ? 500 : 200;
    const stamp = `${String(time.getUTCDate()).padStart(2, '0')}/${MONTHS[time.getUTCMonth()]}/${time.getUTCFullYear()}:${
      String(time.getUTCHours()).padStart(2, '0')}:${String(time.getUTCMinutes()).padStart(2, '0')}:${String(time.getUTCSeconds()).padStart(2, '0')} +0000`;
    out.push(`${address} - - [${stamp}] "GET ${path}${query} HTTP/1.1" ${status} ${100 + (i % 5000)} "${pick(REFERRERS)}" "${AGENTS[client % AGENTS.length]}"`);
  }
  return out;
}

export function syntheticLog(options: LogOptions): string {
  return `${syntheticLines(options).join('\n')}\n`;
}
