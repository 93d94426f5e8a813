import t from 'tap';
import { ReferrerClassifier } from '../../../src/enrich/referrer.js';
import { compileAllowList, dropQueryPairs, filterQuery } from '../../../src/privacy/query.js';
import { referrerHost } from '../../../src/privacy/referrer-host.js';
import { DEFAULT_SCRUB, Scrubber } from '../../../src/privacy/scrub.js';

const scrubber = new Scrubber();

t.test('paths without identifiers come back unchanged (the same string)', async (t) => {
  for (const path of ['/', '/index.html', '/blog/2015/05/how-to-install-node-on-ubuntu-2204.html', '/assets/app.js',
    '/presentations/logstash-monitorama-2013/images/kibana-search.png', '/v1.2/docs', '/a:b', '/internationalization-guide']) {
    t.equal(scrubber.scrub(path), path, path);
  }
});

t.test('identifiers become named placeholders', async (t) => {
  t.equal(scrubber.scrub('/users/john.doe@example.com/profile'), '/users/{email}/profile');
  t.equal(scrubber.scrub('/unsubscribe/jane%40example.org'), '/unsubscribe/{email}');
  t.equal(scrubber.scrub('/orders/123e4567-e89b-12d3-a456-426614174000/items'), '/orders/{uuid}/items');
  t.equal(scrubber.scrub('/reset/3f9a8b7c6d5e4f3a2b1c'), '/reset/{token}', 'hex token');
  t.equal(scrubber.scrub('/verify/Zm9vYmFyQmF6cXV4MTIzNDU2Nzg'), '/verify/{token}', 'base64 token');
  t.equal(scrubber.scrub('/s/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'),
    '/s/{token}.{token}.{token}', 'a JWT is three tokens');
  t.equal(scrubber.scrub('/customer/1234567/invoice/12345'), '/customer/{id}/invoice/12345', 'six digits or more');
  t.equal(scrubber.scrub('/lookup/83.149.9.216'), '/lookup/{address}');
  t.equal(scrubber.scrub('/peer/2001:db8:85a3::8a2e:370:7334/x'), '/peer/{address}/x');
  t.equal(scrubber.scrub('/pixel/7/8/9'), '/pixel/7/8/9');
});

t.test('an IPv4 address written as hexadecimal, as inet_aton reads it, is an address too', async (t) => {
  t.equal(scrubber.scrub('/lookup/0xc0a80101'), '/lookup/{address}', 'one 32-bit number');
  t.equal(scrubber.scrub('/lookup/0x5C3FAC3B/x'), '/lookup/{address}/x', 'upper case');
  t.equal(scrubber.scrub('/lookup/0xc0.0xa8.1.1'), '/lookup/{address}', 'hexadecimal parts');
  t.equal(scrubber.scrub('/colour/0xffffff/0x1f'), '/colour/0xffffff/0x1f', 'six digits or fewer is no address (below 1.0.0.0)');
  t.equal(scrubber.scrub('/tx/0x5c3fac3b9'), '/tx/0x5c3fac3b9', 'nine digits are more than 32 bits');
  t.equal(scrubber.scrub('/a0xc0a80101'), '/a0xc0a80101', 'inside a word it is not a number');
});

t.test('rules and lengths are configurable, custom patterns run first', async (t) => {
  const only = new Scrubber({ ...DEFAULT_SCRUB, rules: ['email'], idMinDigits: 4 });
  t.equal(only.scrub('/u/a@b.io/1234567'), '/u/{email}/1234567', 'the id rule is off');
  const ids = new Scrubber({ ...DEFAULT_SCRUB, idMinDigits: 4 });
  t.equal(ids.scrub('/invoice/1234'), '/invoice/{id}');
  const custom = new Scrubber({ ...DEFAULT_SCRUB, custom: [{ match: '/members/[^/]+', replace: '/members/{member}' }] });
  t.equal(custom.scrub('/members/frank/settings'), '/members/{member}/settings');
});

t.test('query strings keep only allow-listed keys, values scrubbed', async (t) => {
  const allow = compileAllowList(['utm_*', 'page']);
  const scrub = (text: string) => scrubber.scrub(text);
  t.equal(filterQuery('utm_source=news&email=a@b.com&page=2&UTM_Medium=mail&sid=abc', allow, scrub), 'utm_source=news&page=2&UTM_Medium=mail');
  t.equal(filterQuery('utm_content=jane@example.com', allow, scrub), 'utm_content={email}');
  t.equal(filterQuery('utm_source=a?sid=b&page=3', allow, scrub), 'utm_source=a&page=3', 'a "?" separates pairs too');
  t.equal(filterQuery('token=x&session=y', allow, scrub), '');
  t.equal(filterQuery('', allow, scrub), '');
});

t.test('"&key=value" pairs are dropped from free text unless their key is allowed', async (t) => {
  const allow = compileAllowList(['utm_*', 'page']);
  t.equal(dropQueryPairs('/search&session=abc&page=2&x=1', allow), '/search&page=2');
  t.equal(dropQueryPairs('www.google.com&page=5&sid=9#top', allow), 'www.google.com&page=5#top');
  t.equal(dropQueryPairs('shoes?color=red', allow), 'shoes');
  const same = '/a=b/c&d';
  t.equal(dropQueryPairs(same, allow), same, 'an "=" without "&key" or "?key" before it is no pair');
  t.equal(dropQueryPairs('rock & roll', allow), 'rock & roll');
});

// The boundary keeps the referrer classifier's keyword after scrubbing it: the same two steps here.
const referrers = new ReferrerClassifier();
function searchTerms(referrer: string, host: string, s: typeof scrubber): string {
  t.equal(referrerHost(referrer), host);
  const keyword = referrers.classify(referrer, host, 'example.org').keyword;
  return keyword === '' ? '' : s.scrub(keyword);
}

t.test('search keywords are kept from known engines only, and scrubbed', async (t) => {
  t.equal(searchTerms('https://www.google.co.uk/search?client=x&q=privacy+first+analytics&sa=N', 'www.google.co.uk', scrubber), 'privacy first analytics');
  t.equal(searchTerms('https://duckduckgo.com/?q=mail+jane%40example.com', 'duckduckgo.com', scrubber), 'mail {email}');
  t.equal(searchTerms('https://search.yahoo.com/search?p=logstash', 'search.yahoo.com', scrubber), 'logstash');
  t.equal(searchTerms('https://www.baidu.com/s?wd=%E6%97%A5%E5%BF%97', 'www.baidu.com', scrubber), '日志');
  t.equal(searchTerms('https://example.com/?q=secret', 'example.com', scrubber), '', 'not a search engine');
  t.equal(searchTerms('https://www.google.com/', 'www.google.com', scrubber), '', 'no keyword in the URL');
});
