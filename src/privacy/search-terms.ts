import type { Scrubber } from './scrub.js';

/**
 * Search engines that put the visitor's keywords in the referrer URL, by a label of their host name
 * (`www.google.co.uk` has the label `google`) and the query key that holds the keywords.
 */
const ENGINES: ReadonlyMap<string, readonly string[]> = new Map([
  ['google', ['q']], ['bing', ['q']], ['yahoo', ['p']], ['duckduckgo', ['q']], ['yandex', ['text']],
  ['baidu', ['wd', 'word']], ['ecosia', ['q']], ['qwant', ['q']], ['startpage', ['query']], ['ask', ['q']],
  ['aol', ['q']], ['naver', ['query']], ['seznam', ['q']], ['sogou', ['query']], ['brave', ['q']], ['so', ['q']],
]);

const MAX_TERMS_LENGTH = 200;

function decode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/**
 * The search keywords of a referrer from a known search engine, scrubbed like a path (an e-mail someone
 * searched for is an e-mail); '' for any other referrer. Only the keyword leaves: the rest of the URL,
 * with its session and tracking parameters, does not.
 */
export function searchTerms(referrer: string, host: string, scrubber: Scrubber): string {
  if (host.length === 0) return '';
  const q = referrer.indexOf('?');
  if (q < 0) return '';
  const labels = host.split('.');
  let keys: readonly string[] | undefined;
  for (let i = 0; i < labels.length - 1 && keys === undefined; i++) keys = ENGINES.get(labels[i]);
  if (keys === undefined) return '';
  const hash = referrer.indexOf('#', q);
  const query = referrer.slice(q + 1, hash < 0 ? undefined : hash);
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || !keys.includes(pair.slice(0, eq))) continue;
    const terms = decode(pair.slice(eq + 1)).replace(/\s+/g, ' ').trim().slice(0, MAX_TERMS_LENGTH);
    return terms.length === 0 ? '' : scrubber.scrub(terms);
  }
  return '';
}
