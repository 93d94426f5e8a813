/**
 * Names for clients ua-parser-js does not name: bots (stored in `bot_name`), and HTTP libraries and feed readers
 * (stored in `browser`, which holds the client's name for every class). Short and stable, so one client is one row
 * in the trend tables whatever its version.
 */

const BOT_WORD = /[A-Za-z0-9][\w.-]*?(?:bot|crawler|spider|slurp|scanner|fetcher|archiver)[\w-]*/i;
// `(compatible; Name/1.0; +http://…)`: the convention bots follow to name themselves.
const COMPATIBLE_NAME = /\(compatible; ?([A-Za-z][\w .-]*?)(?:\/[\w.]+)?[;)]/;
// `Name/1.0 (+http://…)`, `Name/1.0 (http://…)`: a product token that points at its documentation.
const PRODUCT_WITH_URL = /([A-Za-z][\w.-]*)\/[\w.]+[ ;]+\(?\+?https?:/;
const PRODUCT = /^[A-Za-z][\w.-]*/;
const PRODUCT_TOKENS = /([A-Za-z][\w.-]*)\/[\w.]+/g;
const NOT_NAMES = new Set(['MSIE', 'Mozilla', 'Windows', 'Linux', 'Macintosh', 'U', 'X11']);
// Tokens of the browser a bot imitates: after them comes the bot's own name, if anything.
const BROWSER_TOKENS = new Set(['Mozilla', 'AppleWebKit', 'Chrome', 'Safari', 'Version', 'Gecko', 'Firefox', 'Mobile', 'Edg',
  'Edge', 'OPR', 'Trident', 'Presto', 'HeadlessChrome', 'like', 'KHTML', 'CriOS', 'FxiOS', 'YaBrowser', 'SamsungBrowser']);

/**
 * Attack payloads sent as the agent: SQL injection, PHP and script tags, Log4Shell lookups, Shellshock, path
 * traversal, PHP calls, shell downloads. No client sends these; whatever else the agent claims, it is a probe.
 */
const ATTACK_IN_AGENT = new RegExp([
  '<\\?(?:php|=)', '<script', '\\$\\{(?:jndi|env|lower|upper|::-|\\$\\{)', '\\(\\)\\s*\\{\\s*:\\s*;\\s*\\}\\s*;',
  '\\bunion\\b[\\s+(/*]+(?:all[\\s+]+)?select\\b', '\\bselect\\b.{1,80}\\bfrom\\b', '\\b(?:and|or)\\s+\\d+\\s*=\\s*\\d+',
  '[\'"]\\s*(?:or|and)\\s+[\'"]?\\w+[\'"]?\\s*=', '\\b(?:p?g?_?sleep|benchmark)\\(\\s*\\d', 'waitfor\\s+delay', 'xp_cmdshell',
  'information_schema', '\\b(?:eval|assert|system|passthru|shell_exec|base64_decode|phpinfo|file_put_contents|md5)\\(',
  '\\.\\.[/\\\\]\\.\\.[/\\\\]', '/etc/passwd', '\\b(?:wget|curl)\\s+(?:-\\w+\\s+)*https?://',
].join('|'), 'i');

/**
 * Scanning and attack tools that name themselves (`Mozilla/5.0 zgrab/0.x`, `Nmap Scripting Engine`,
 * `sqlmap/1.7`, `CensysInspect/1.1`): bots, named by the tool. Anonymous attack probes are named "scanner".
 */
const SCANNER_TOOL = /\b(?:Nuclei|zgrab|masscan|Nmap Scripting Engine|Nmap|sqlmap|Nikto|WPScan|Acunetix|Netsparker|Invicti|Qualys|OpenVAS|Nessus|Burp(?:Suite| Collaborator)|ZmEu|DirBuster|gobuster|feroxbuster|ffuf|wfuzz|Arachni|w3af|skipfish|Jorgee|Morfeus|CensysInspect|Expanse|Xpanse|l9explore|l9tcpid|l9scan|LeakIX|Detectify|HTTP Banner Detection|InternetMeasurement|BinaryEdge|Shodan|ModatScanner|Probely|projectdiscovery)\b/i;

/** The name stored for an attack probe that does not name its tool. */
export const SCANNER_NAME = 'scanner';

/** A scanner's name: the tool it names, "scanner" for an attack payload in the agent, null for anything else. */
export function scannerNameOf(userAgent: string): string | null {
  const tool = SCANNER_TOOL.exec(userAgent);
  if (tool !== null) return tool[0];
  return ATTACK_IN_AGENT.test(userAgent) ? SCANNER_NAME : null;
}

/** The last product token that is not part of an imitated browser (`… Safari/537.36 SeznamEmailProxy/2.0`). */
function lastOwnProduct(userAgent: string): string | null {
  let name: string | null = null;
  for (const match of userAgent.matchAll(PRODUCT_TOKENS)) if (!BROWSER_TOKENS.has(match[1])) name = match[1];
  return name;
}

/** A short, stable bot name from its agent: the word naming the bot, its self-introduction, or its product. */
export function botNameOf(userAgent: string): string {
  const scanner = scannerNameOf(userAgent);
  if (scanner !== null) return scanner;
  const word = BOT_WORD.exec(userAgent);
  if (word) return word[0];
  const compatible = COMPATIBLE_NAME.exec(userAgent);
  if (compatible && !NOT_NAMES.has(compatible[1].split(' ')[0])) return compatible[1].trim();
  const documented = PRODUCT_WITH_URL.exec(userAgent);
  if (documented && !NOT_NAMES.has(documented[1])) return documented[1];
  const product = PRODUCT.exec(userAgent);
  if (product && !NOT_NAMES.has(product[0])) return product[0];
  return lastOwnProduct(userAgent) ?? 'other bot';
}

// The leading product name of an agent that does not imitate a browser, up to its version, comment or
// separator: `curl`, `Debian APT-HTTP`, `Tiny Tiny RSS`, `NewsBlur Feed Fetcher`, `LiveJournal.com`.
const LEADING_NAME = /^[A-Za-z][\w.:+-]*(?: (?!v?\d)[A-Za-z][\w.:+-]*){0,3}/;

/**
 * The name of a library or feed reader: its leading product name, or in a browser-shaped agent its
 * self-introduction (`(compatible; inoreader.com; 2 subscribers)`) or its own product after the browser tokens
 * (`… AppleWebKit/537.21 (KHTML, like Gecko) akregator/4.11.5 Safari/537.21`).
 */
export function productNameOf(userAgent: string): string {
  if (userAgent.startsWith('Mozilla/')) {
    const compatible = COMPATIBLE_NAME.exec(userAgent);
    if (compatible && !NOT_NAMES.has(compatible[1].split(' ')[0])) return compatible[1].trim();
    return lastOwnProduct(userAgent) ?? '';
  }
  const lead = LEADING_NAME.exec(userAgent);
  return lead === null ? '' : lead[0].slice(0, 40);
}
