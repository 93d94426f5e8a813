#!/usr/bin/env node
// Cost of the per-line work of issue 12 (run after `npm run build`):
//   node scripts/bench-visits.mjs [--hits 300000] [--clients 20000]
// - visitor ids: identify() (per-day ids, carry keys
//   near midnight), over a day and a half of skewed clients;
// - VisitStage: hits in time order, hits with local disorder (within the window), and two streams read side by
//   side; rate, open visits and held hits at the end, heap growth;
// - the boundary's exclusion() and e-mail matching on ordinary requests (the cost every line pays when configured).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NO_CAMPAIGN } from '../dist/privacy/campaign.js';
import { GoalMatcher } from '../dist/enrich/goals.js';
import { emptyRawHit } from '../dist/formats/types.js';
import { SiteCalendar } from '../dist/privacy/calendar.js';
import { EmailTracking } from '../dist/privacy/email.js';
import { ExclusionRules } from '../dist/privacy/exclusions.js';
import { SaltStore } from '../dist/privacy/salt.js';
import { VisitorIds } from '../dist/privacy/visitor-id.js';
import { DEFAULT_VISIT_STAGE, VisitStage } from '../dist/sessions/stage.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const N = option('--hits', 300_000);
const CLIENTS = option('--clients', 20_000);
const HOURS = option('--hours', 36);
console.log(`${N.toLocaleString('en')} requests of ${CLIENTS.toLocaleString('en')} clients over ${HOURS} hours; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);

const perSecond = (count, ms) => {
  const r = count / (ms / 1000);
  return r >= 1e6 ? `${(r / 1e6).toFixed(2)} M/s` : `${(r / 1e3).toFixed(0)} k/s`;
};

/** Rate by wall clock and by CPU time of this process (GC threads included): on a shared machine the second is steadier. */
function rate(label, count, fn) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const note = fn();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(`${label.padEnd(52)} ${perSecond(count, ms).padStart(9)} wall ${perSecond(count, cpuMs).padStart(9)} cpu  (${count.toLocaleString('en')})${note ? `  ${note}` : ''}`);
}

// Clients drawn from a skewed pool (a few regulars, a long tail), like real logs; a fixed LCG so runs compare.
let x = 12345;
const random = () => {
  x = (Math.imul(x, 1103515245) + 12345) >>> 0;
  return x / 2 ** 32;
};
const pool = Array.from({ length: CLIENTS }, (_, i) => [`${10 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.${(i * 7) & 255}`, `Mozilla/5.0 agent ${i % 50}`]);
const start = Date.UTC(2026, 10, 30, 0);
const span = HOURS * 3600_000; // by default a day and a half: one midnight
const times = Array.from({ length: N }, (_, i) => start + Math.floor((i / N) * span));
const clientOf = Array.from({ length: N }, () => Math.floor(random() ** 3 * CLIENTS));

const dir = mkdtempSync(join(tmpdir(), 'siftlog-bench-visits-'));
try {
  const salts = new SaltStore(dir, 3, new SiteCalendar('UTC'));
  const perDay = new VisitorIds(salts);
  let carried = 0;
  const refs = new Array(N);
  rate('visitor ids, per day + carry keys (identify())', N, () => {
    for (let i = 0; i < N; i++) {
      refs[i] = perDay.identify(times[i], pool[clientOf[i]][0], pool[clientOf[i]][1], 'www.example.com');
      if (refs[i].carryKey !== null) carried++;
    }
    return `${(carried / N * 100).toFixed(1)}% of requests got a carry key`;
  });

  const client = {
    browser: 'Firefox', browserVersion: '128', os: 'Linux', osVersion: '', deviceType: 'desktop', clientClass: 'browser', isBot: false, botName: '',
    isPerson: true,
  };
  const paths = ['/', '/pricing', '/docs/install', '/blog/hello', '/css/site.css', '/img/logo.png', '/signup'];
  const hitAt = (i, time) => ({
    anon: {
      time, site: 'www.example.com', method: i % 50 === 0 ? 'POST' : 'GET', path: paths[i % paths.length], query: '', protocol: 'HTTP/1.1',
      status: 200, bytes: 100, referrerHost: '', userAgent: null, visitorId: refs[i].id, clientNet: '', country: '', region: '', city: '',
      asn: 0, org: '', orgDomain: '', orgCategory: '', orgSource: '', referrerClass: 'direct', referrerSource: '', searchKeyword: '',
      campaign: NO_CAMPAIGN, language: '', durationMs: null, email: null, carryKey: refs[i].carryKey,
    },
    client,
    isPage: i % paths.length < 4,
    isEntry: false,
  });
  const goals = new GoalMatcher([{ name: 'signup', path: '/signup', method: 'POST', status: ['2xx', '3xx'] }, { name: 'docs', path: '/docs/**' }]);
  // Hits are made inside the timed loop, as the run loop makes them (and lets them go once written); the
  // first line times making them alone, so the stage's own cost is the difference.
  const runStage = (label, order, streams, baseline = false) => {
    let released = 0;
    let visits = 0;
    const stage = new VisitStage({ ...DEFAULT_VISIT_STAGE, goals }, { hit: () => released++, visit: () => visits++ });
    if (streams > 1) stage.openStreams(streams);
    let open = 0;
    let sink = 0;
    rate(label, N, () => {
      for (let k = 0; k < order.length; k++) {
        const hit = hitAt(order[k][0], order[k][1]);
        if (baseline) sink += hit.anon.time;
        else stage.push(hit, streams > 1 ? order[k][2] : 0);
      }
      if (baseline) return '';
      open = stage.openVisits;
      const end = stage.finish();
      return `${visits.toLocaleString('en')} visits, ${open.toLocaleString('en')} open before finish, most held ${end.stats.maxHeld.toLocaleString('en')}, late ${end.stats.lateHits}`;
    });
    return sink;
  };
  runStage('making the hits alone (baseline)', times.map((t, i) => [i, t]), 1, true);
  runStage('VisitStage, in time order', times.map((t, i) => [i, t]));
  // Local disorder: every request stamped up to 30 s earlier than its place in the log.
  runStage('VisitStage, disorder up to 30 s (window 60 s)', times.map((t, i) => [i, t - Math.floor(random() * 30_000)]));
  // Two servers' logs read side by side in batches of 10,000 lines.
  const a = [];
  const b = [];
  for (let i = 0; i < N; i++) (i % 2 === 0 ? a : b).push([i, times[i], i % 2]);
  const interleaved = [];
  for (let k = 0; k < a.length; k += 10_000) interleaved.push(...a.slice(k, k + 10_000), ...b.slice(k, k + 10_000));
  runStage('VisitStage, two streams, batches of 10,000', interleaved, 2);

  const raws = Array.from({ length: N }, (_, i) => Object.assign(emptyRawHit(), {
    time: times[i], clientAddress: pool[clientOf[i]][0], method: 'GET', target: `${paths[i % paths.length]}?utm_source=x`, status: 200,
    userAgent: pool[clientOf[i]][1],
  }));
  const rules = new ExclusionRules({ networks: ['192.0.2.0/24', '10.200.0.0/16'], paths: ['/healthz', '/status/**'], userAgents: ['UptimeRobot', 'Pingdom'], statuses: [499] });
  rate('exclusion rules (2 networks, 2 paths, 2 agents, 1 status)', N, () => {
    let n = 0;
    for (let i = 0; i < N; i++) if (rules.match(raws[i]) !== null) n++;
    return `${n} excluded`;
  });
  const email = new EmailTracking({ open: '/t/open.gif?c={campaign}&r={recipient}', click: '/t/click?c={campaign}&r={recipient}&u={url}' }, salts);
  rate('e-mail patterns on ordinary requests', N, () => {
    for (let i = 0; i < N; i++) email.match(raws[i].target, raws[i].time, 'www.example.com');
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
