#!/usr/bin/env node
// Load time and lookup rate of the enrichment lookups (run after `npm run build`):
//   node scripts/bench-enrich.mjs
import { performance } from 'node:perf_hooks';
import { AsnLookup } from '../dist/enrich/asn.js';
import { CompanyLookup } from '../dist/enrich/company.js';
import { embeddedGeoFiles, GeoLookup } from '../dist/enrich/geo.js';
import { ReferrerClassifier, referrerHost } from '../dist/enrich/referrer.js';
import { ipv4ToInt, intToIpv4 } from '../dist/privacy/address.js';

const N = 1_000_000;
// Pseudo-random public-ish IPv4 addresses (a fixed LCG, so runs compare).
const addresses = new Array(N);
let x = 12345;
for (let i = 0; i < N; i++) {
  x = (Math.imul(x, 1103515245) + 12345) >>> 0;
  addresses[i] = intToIpv4(16777216 + (x % 3_600_000_000));
}
const ints = Float64Array.from(addresses, ipv4ToInt);

function rate(label, count, fn) {
  const t0 = performance.now();
  fn();
  const ms = performance.now() - t0;
  console.log(`${label.padEnd(44)} ${(count / (ms / 1000) / 1e6).toFixed(2)} M/s  (${count.toLocaleString('en')} in ${ms.toFixed(0)} ms)`);
}

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
console.log(`${'geo open (DB-IP lite city mmdb)'.padEnd(44)} ${(performance.now() - t0).toFixed(0)} ms`);
const M = 200_000;
rate('geo lookups, IPv4 (DB-IP lite city)', M, () => { for (let i = 0; i < M; i++) geo.lookup(addresses[i], 4); });

const referrers = new ReferrerClassifier();
const urls = ['https://www.google.com/search?q=siftlog', 'https://l.facebook.com/l.php?u=x', '', 'https://news.example.net/a', 'https://www.example.com/'];
rate('referrer classification (cached by host)', N, () => {
  for (let i = 0; i < N; i++) { const u = urls[i % 5]; referrers.classify(u, referrerHost(u), 'www.example.com'); }
});
