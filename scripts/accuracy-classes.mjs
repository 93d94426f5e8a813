// Client-class agreement for scripts/accuracy.mjs: a confusion table per corpus, and the two held-out sets
// (scripts/heldout.mjs), which are measured and summed up but never listed agent by agent.
import { browserAgents, crawlerAgents } from './heldout.mjs';

export const CLASSES = ['browser', 'app', 'feed_reader', 'library', 'bot', 'unknown'];
const PEOPLE = new Set(['browser', 'app']);
const pct = (hit, total) => (total === 0 ? '    —' : `${((hit / total) * 100).toFixed(1).padStart(5)}%`);

/** Expected class → our class counts. */
export class ClassTally {
  constructor() {
    this.cells = new Map();
  }

  add(expected, ours, weight = 1) {
    const row = this.cells.get(expected) ?? new Map();
    row.set(ours, (row.get(ours) ?? 0) + weight);
    this.cells.set(expected, row);
  }

  total(expected) {
    let sum = 0;
    for (const n of this.cells.get(expected)?.values() ?? []) sum += n;
    return sum;
  }

  count(expected, ours) {
    return this.cells.get(expected)?.get(ours) ?? 0;
  }

  /** Cases whose expected and our class are both people, or both not. */
  peopleAgreement() {
    let hit = 0, all = 0;
    for (const [expected, row] of this.cells) {
      for (const [ours, n] of row) {
        all += n;
        if (PEOPLE.has(expected) === PEOPLE.has(ours)) hit += n;
      }
    }
    return { hit, all };
  }

  /** Prints one row per expected class: cases, agreement, and where the rest went. */
  print(title) {
    console.log(`\n${title}`);
    console.log(`  expected       cases   agree   ${CLASSES.map((c) => c.padStart(11)).join(' ')}`);
    for (const expected of CLASSES) {
      const total = this.total(expected);
      if (total === 0) continue;
      const cells = CLASSES.map((ours) => String(Math.round(this.count(expected, ours))).padStart(11)).join(' ');
      console.log(`  ${expected.padEnd(12)} ${String(Math.round(total)).padStart(7)}  ${pct(this.count(expected, expected), total)}  ${cells}`);
    }
    const people = this.peopleAgreement();
    console.log(`  people or not (browser and app are people): ${pct(people.hit, people.all).trim()} agree (${Math.round(people.hit)}/${Math.round(people.all)})`);
  }
}

/**
 * Measures both held-out sets with `classify` (useragent.js's classifyUserAgent) and prints their figures.
 * Returns the headline numbers for the caller's summary.
 */
export function measureHeldOut(root, classify) {
  const crawlers = crawlerAgents(root);
  const crawlerTally = new ClassTally();
  let crawlerPeople = 0;
  for (const { userAgent, expected } of crawlers.agents) {
    const info = classify(userAgent);
    crawlerTally.add(expected, info.clientClass);
    if (info.isPerson) crawlerPeople++;
  }
  crawlerTally.print(`held-out 1: crawler-user-agents ${crawlers.version}, ${crawlers.agents.length} distinct agents `
    + "(labels: the list's own tags; feed-reader → feed_reader, http-library → library, every other tag → bot)");
  console.log(`  counted as people: ${crawlerPeople} (${pct(crawlerPeople, crawlers.agents.length).trim()}); the list holds no browser or app`);

  const browsers = browserAgents(root);
  const counts = { unique: 0, people: 0, weight: 0, peopleWeight: 0, device: 0, deviceAll: 0, deviceWeight: 0, deviceWeightAll: 0 };
  const byClass = new Map();
  const deviceMisses = new Map();
  for (const { userAgent, weight, device } of browsers.agents) {
    const info = classify(userAgent);
    counts.unique++;
    counts.weight += weight;
    byClass.set(info.clientClass, (byClass.get(info.clientClass) ?? 0) + 1);
    if (info.isPerson) {
      counts.people++;
      counts.peopleWeight += weight;
    }
    counts.deviceAll++;
    counts.deviceWeightAll += weight;
    if (info.deviceType === device) {
      counts.device++;
      counts.deviceWeight += weight;
    } else {
      const key = `${device} → ${info.deviceType || '(none)'}`;
      deviceMisses.set(key, (deviceMisses.get(key) ?? 0) + 1);
    }
  }
  console.log(`\nheld-out 2: user-agents ${browsers.version}, ${counts.unique} distinct agents of real browsers `
    + '(labels: every agent is a person; the device category it was seen on)');
  console.log(`  counted as people: ${pct(counts.people, counts.unique).trim()} of agents (${counts.people}/${counts.unique}), `
    + `${pct(counts.peopleWeight, counts.weight).trim()} weighted by how often each was seen`);
  console.log(`  classes: ${CLASSES.filter((c) => byClass.has(c)).map((c) => `${c} ${byClass.get(c)}`).join(', ')}`);
  const topDevice = [...deviceMisses].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(`  device type agreement: ${pct(counts.device, counts.deviceAll).trim()} (${counts.device}/${counts.deviceAll}), `
    + `${pct(counts.deviceWeight, counts.deviceWeightAll).trim()} weighted; largest disagreements: ${topDevice || 'none'}`);
  return { crawlerTally, crawlerPeople, crawlerCount: crawlers.agents.length, browserPeople: counts.people / counts.unique };
}
