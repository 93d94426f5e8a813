// Measures privacy/scrub.ts per path: `npx tsc -p . && node scripts/bench-scrub.mjs`
import { Scrubber } from '../dist/privacy/scrub.js';

const clean = ['/', '/index.html', '/blog/2015/05/how-to-install-node-on-ubuntu.html', '/presentations/logstash-monitorama-2013/images/kibana-search.png',
  '/articles/dynamic-dns-with-dhcp/', '/reset/password', '/images/jordan-80.png', '/style2.css'];
const dirty = ['/users/john.doe@example.com/profile', '/orders/123e4567-e89b-12d3-a456-426614174000', '/customer/1234567/invoice', '/reset/3f9a8b7c6d5e4f3a2b1c'];
const scrubber = new Scrubber();
const N = 2_000_000;
for (const [name, paths] of [['no match', clean], ['with identifiers', dirty]]) {
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += scrubber.scrub(paths[i % paths.length]).length; // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) sink += scrubber.scrub(paths[i % paths.length]).length;
  const ns = Number(process.hrtime.bigint() - t0) / N;
  console.log(`${name.padEnd(17)} ${ns.toFixed(0).padStart(5)} ns/path  ${(1e9 / ns / 1e6).toFixed(2)} M paths/s  (${sink > 0 ? 'ok' : ''})`);
}
