#!/usr/bin/env node
// Load time and lookup rate of the enrichment lookups (run after `npm run build`):
//   node scripts/bench-enrich.mjs          (add --ua for the user-agent figures alone, best of three runs)
import { performance } from 'node:perf_hooks';
import { AsnLookup } from '../dist/enrich/asn.js';
import { CompanyLookup } from '../dist/enrich/company.js';
import { embeddedGeoFiles, GeoLookup } from '../dist/enrich/geo.js';
import { ReferrerClassifier } from '../dist/enrich/referrer.js';
import { classifyUserAgent, UserAgentClassifier } from '../dist/enrich/useragent.js';
import { ipv4ToInt, intToIpv4 } from '../dist/net/address.js';
import { referrerHost } from '../dist/privacy/referrer-host.js';

const N = 1_000_000;
const onlyAgents = process.argv.includes('--ua');

function rate(label, count, fn, runs = 1) {
  let best = Infinity;
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  const perSecond = count / (best / 1000);
  const shown = perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)} M/s` : `${(perSecond / 1e3).toFixed(1)} k/s`;
  console.log(`${label.padEnd(44)} ${shown}  (${count.toLocaleString('en')} in ${best.toFixed(0)} ms${runs > 1 ? `, best of ${runs}` : ''})`);
}

if (!onlyAgents) await lookups();

async function lookups() {
  // Pseudo-random public-ish IPv4 addresses (a fixed LCG, so runs compare).
  const addresses = new Array(N);
  let x = 12345;
  for (let i = 0; i < N; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    addresses[i] = intToIpv4(16777216 + (x % 3_600_000_000));
  }
  const ints = Float64Array.from(addresses, ipv4ToInt);

  let t0 = performance.now();
  const asn = await AsnLookup.open();
  console.log(`${'ASN range table load (IPv4 + IPv6)'.padEnd(44)} ${(performance.now() - t0).toFixed(0)} ms`);
  let found = 0;
  rate('ASN lookups, IPv4 (binary search)', N, () => { for (let i = 0; i < N; i++) if (asn.lookupV4(ints[i]).asn !== 0) found++; });
  console.log(`  ${(found / N * 100).toFixed(1)}% of random addresses have an AS`);
  const companies = new CompanyLookup({ registry: null, mmdb: null, asn, classifier: new (await import('../dist/enrich/category.js')).OrgClassifier() });
  rate('company lookups (ASN + category), IPv4 text', N, () => { for (let i = 0; i < N; i++) companies.lookup(addresses[i], 4); });

  t0 = performance.now();
  const geo = await GeoLookup.open(embeddedGeoFiles());
  console.log(`${'geo open (DB-IP lite city, compiled tables)'.padEnd(44)} ${(performance.now() - t0).toFixed(0)} ms`);
  const M = 200_000;
  rate('geo lookups, IPv4 (DB-IP lite city)', M, () => { for (let i = 0; i < M; i++) geo.lookup(addresses[i], 4); });

  const referrers = new ReferrerClassifier();
  const urls = ['https://www.google.com/search?q=siftlog', 'https://l.facebook.com/l.php?u=x', '', 'https://news.example.net/a', 'https://www.example.com/'];
  rate('referrer classification (cached by host)', N, () => {
    for (let i = 0; i < N; i++) { const u = urls[i % 5]; referrers.classify(u, referrerHost(u), 'www.example.com'); }
  });
}

// User agents: a mix of browsers, phones, tablets, TVs, feature phones and bots. Uncached, every agent is new
// (the version numbers vary), which is what the LRU cache's misses cost; cached, a few agents repeat.
const AGENT_SHAPES = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/$.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/$.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:$.0) Gecko/20100101 Firefox/$.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_$ like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/$.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/$.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 9; AFTMM Build/PS7$) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0.5359.160 Mobile Safari/537.36',
  'Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/$.0.4280.88 Safari/537.36 WebAppManager',
  'Nokia6120c/3.$; Profile/MIDP-2.0 Configuration/CLDC-1.1',
  'Mozilla/5.0 (compatible; Googlebot/2.$; +http://www.google.com/bot.html)',
  'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/$.0.0.0 Safari/537.36',
  'curl/8.$.0',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A.$; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.$ Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/$.0.0.0;]',
  'Feedly/1.0 (+http://www.feedly.com/fetcher.html; $ subscribers; like FeedFetcher-Google)',
  'python-requests/2.$.0',
  'Dalvik/2.1.0 (Linux; U; Android 13; SM-A$F Build/TP1A.220624.014)',
];
const U = 50_000;
const agents = Array.from({ length: U }, (_, i) => AGENT_SHAPES[i % AGENT_SHAPES.length].replaceAll('$', String(100 + Math.floor(i / AGENT_SHAPES.length))));
const runs = onlyAgents ? 3 : 1;
rate('user agents, uncached (every agent new)', U, () => { for (let i = 0; i < U; i++) classifyUserAgent(agents[i]); }, runs);
const classifier = new UserAgentClassifier();
const K = AGENT_SHAPES.length;
rate(`user agents, cached (${K} agents repeat)`, N, () => { for (let i = 0; i < N; i++) classifier.classify(agents[i % K]); }, runs);
