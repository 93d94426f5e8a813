// Measures privacy/scrub.ts per path and privacy/output-check.ts per row:
// `npx tsc -p . && node scripts/bench-scrub.mjs`
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReferrerClassifier } from '../dist/enrich/referrer.js';
import { classifyUserAgent } from '../dist/enrich/useragent.js';
import { emptyRawHit } from '../dist/formats/types.js';
import { DEFAULT_PRIVACY, PrivacyBoundary } from '../dist/privacy/boundary.js';
import { OutputCheck } from '../dist/privacy/output-check.js';
import { SaltStore } from '../dist/privacy/salt.js';
import { Scrubber } from '../dist/privacy/scrub.js';

const clean = ['/', '/index.html', '/blog/2015/05/how-to-install-node-on-ubuntu.html', '/presentations/logstash-monitorama-2013/images/kibana-search.png',
  '/articles/dynamic-dns-with-dhcp/', '/reset/password', '/images/jordan-80.png', '/style2.css'];
const dirty = ['/users/john.doe@example.com/profile', '/orders/123e4567-e89b-12d3-a456-426614174000', '/customer/1234567/invoice', '/reset/3f9a8b7c6d5e4f3a2b1c'];

function measure(name, n, unit, fn) {
  let sink = 0;
  for (let i = 0; i < Math.min(n, 200_000); i++) sink += fn(i); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink += fn(i);
  const ns = Number(process.hrtime.bigint() - t0) / n;
  console.log(`${name.padEnd(34)} ${ns.toFixed(0).padStart(5)} ns/${unit}  ${(1e9 / ns / 1e6).toFixed(2)} M ${unit}s/s  (${sink >= 0 ? 'ok' : ''})`);
}

const scrubber = new Scrubber();
for (const [name, paths] of [['scrub, no match', clean], ['scrub, with identifiers', dirty]]) {
  measure(name, 2_000_000, 'path', (i) => scrubber.scrub(paths[i % paths.length]).length);
}

// The output check on rows the boundary made from realistic requests (1 in 8 with a kept utm_* query): what the
// run loop pays per row.
const dir = mkdtempSync(join(tmpdir(), 'siftlog-bench-scrub-'));
try {
  const boundary = new PrivacyBoundary(DEFAULT_PRIVACY, new SaltStore(dir, 2), { geo: null, company: null, referrers: new ReferrerClassifier(), campaigns: true });
  const agents = ['Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1'];
  const referrers = ['-', 'https://www.google.com/search?q=log+analytics', 'https://news.ycombinator.com/item?id=1'];
  const hits = [...clean, ...dirty].map((path, i) => {
    const raw = Object.assign(emptyRawHit(), { time: Date.UTC(2024, 0, 1), clientAddress: `203.0.113.${i}`, method: 'GET', protocol: 'HTTP/1.1',
      target: i % 8 === 0 ? `${path}?utm_source=news&id=${i}` : path, status: 200, bytes: 100, referrer: referrers[i % 3], userAgent: agents[i % 2] });
    return { anon: boundary.cross(raw), client: classifyUserAgent(agents[i % 2]) };
  });
  const check = new OutputCheck(DEFAULT_PRIVACY);
  measure('output check, per row', 2_000_000, 'row', (i) => {
    const hit = hits[i % hits.length];
    return (check.check(hit.anon) ?? check.checkValues(hit.client)) === null ? 1 : -1e9;
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
