#!/usr/bin/env node
// Measures the user-agent classifier (dist/enrich/useragent.js, so run after `npm run build`) against the
// corpora in ../shared/corpus/ua: device-detector's fixtures (client classes, bots, device types) and uap-core's
// tests (browser and OS families); then against two held-out sets built from devDependencies (scripts/heldout.mjs).
// Prints the figures and exits 1 when a target is missed.
//   npm run accuracy            (add -- --misses N to list N misses of each shared-corpus measure,
//                                -- --pairs N for the N largest browser disagreements as expected → ours,
//                                -- --skip-heldout to leave the held-out sets out)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { classifyUserAgent } from '../dist/enrich/useragent.js';
import { ClassTally, measureHeldOut } from './accuracy-classes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = join(root, '..', 'shared', 'corpus', 'ua');
const missesArg = process.argv.indexOf('--misses');
const showMisses = missesArg > 0 ? Number(process.argv[missesArg + 1] ?? 10) : 0;
const pairsArg = process.argv.indexOf('--pairs');
const showPairs = pairsArg > 0 ? Number(process.argv[pairsArg + 1] ?? 40) : 0;

const haveCorpus = existsSync(corpus);
if (!haveCorpus) console.log(`${corpus} is absent: only the held-out sets are measured`);

const TARGETS = { botRecall: 0.97, botFalsePositives: 0.005, deviceAgreement: 0.9 };

// device-detector's device types → ours. Phablets, feature phones and wearables are phones to us; the rest
// (car browsers, smart speakers, cameras…) are 'other'. Cases with no device type are not compared.
const DD_DEVICE = {
  smartphone: 'mobile', phablet: 'mobile', 'feature phone': 'mobile', wearable: 'mobile', 'portable media player': 'mobile',
  tablet: 'tablet', tv: 'tv', desktop: 'desktop', console: 'console', bot: 'bot',
  'car browser': 'other', 'smart speaker': 'other', 'smart display': 'other', peripheral: 'other', camera: 'other',
};

// uap-core names some browsers differently from the names we store (src/enrich/browser.ts); these are the same
// product under two names, so they count as agreeing. Nothing else is mapped.
const BROWSER_ALIASES = {
  // uap-core splits one product by platform; we keep the product and let the device type say the platform.
  'chrome mobile': 'chrome', 'chrome mobile ios': 'chrome', 'firefox mobile': 'firefox', 'firefox ios': 'firefox',
  'mobile safari': 'safari', 'edge mobile': 'edge', 'qq browser mobile': 'qq browser', 'qq browser mini': 'qq browser',
  'duckduckgo mobile': 'duckduckgo',
  // uap-core names Chromium Opera on a phone "Opera Mobile"; we keep Opera Mobile for the Presto-era product
  // (`Opera Mobi`) and call Chromium Opera "Opera" on every device, so both count as Opera.
  'opera mobile': 'opera',
  // Release channels of one browser.
  'firefox beta': 'firefox', 'firefox alpha': 'firefox',
  // Different spellings of one name.
  'chrome mobile webview': 'chrome webview', 'mobile safari ui/wkwebview': 'safari webview', ie: 'internet explorer',
  android: 'android browser', 'baidu explorer': 'baidu browser', headlesschrome: 'headless chrome',
  vivobrowser: 'vivo browser', 'wechat browser': 'wechat', google: 'google app', 'netfront nx': 'netfront',
  // Maxthon was called MyIE2 until 2003 (same product, same agent token).
  myie2: 'maxthon',
};
const OS_ALIASES = {
  'mac os x': 'macos', 'mac os': 'macos', macos: 'macos', 'chrome os': 'chromium os', 'chromium os': 'chromium os',
  'windows phone': 'windows phone', 'windows mobile': 'windows mobile', 'blackberry os': 'blackberry', 'blackberry': 'blackberry',
  'rim os': 'blackberry', 'symbian os': 'symbian', 'symbian^3': 'symbian', symbian: 'symbian', 'firefox os': 'firefox os',
  webos: 'webos', 'webos tv': 'webos', 'kaios': 'kaios', 'harmonyos': 'harmonyos', 'opensuse': 'suse', suse: 'suse',
  'red hat': 'redhat', redhat: 'redhat', 'ubuntu': 'ubuntu', 'linux': 'linux', 'gnu/linux': 'linux',
  'windows phone os': 'windows phone', 'nokia series 40': 'series40', series40: 'series40', web0s: 'webos',
  'chromecast linux': 'chromecast', chromecast: 'chromecast',
};
// device-detector's client types → our classes. Its media players and mail clients (pim) are apps we count as
// people; its WebViews are browsers there and apps here (an app showing a page inside itself), so a client named
// …WebView is expected as an app. Its bot categories for feed fetchers and parsers are feed readers here.
const DD_CLASS = { browser: 'browser', 'mobile app': 'app', mediaplayer: 'app', pim: 'app', 'feed reader': 'feed_reader', library: 'library' };
const DD_FEED_CATEGORIES = new Set(['Feed Fetcher', 'Feed Parser', 'Feed Reader']);
const norm = (name, aliases) => {
  const lower = String(name ?? '').toLowerCase().trim();
  return aliases[lower] ?? lower;
};

function ratio(hit, total) {
  return total === 0 ? 0 : hit / total;
}
const pct = (x) => `${(x * 100).toFixed(2)}%`;

function readYaml(file) {
  return parse(readFileSync(file, 'utf8'), { uniqueKeys: false, maxAliasCount: -1 }) ?? [];
}

const started = Date.now();
const misses = { botRecall: [], botName: [], botFalsePositives: [], clientClass: [], device: [], browser: [], os: [] };
const browserPairs = new Map(), pgtsPairs = new Map();

/** Measures the shared corpora, prints their figures and says whether every target was met. */
function measureShared() {
const dd = join(corpus, 'device-detector', 'fixtures');
const classes = new ClassTally();
let webViews = 0;
const classMiss = (expected, ours, label, ua) => {
  classes.add(expected, ours);
  if (expected !== ours) misses.clientClass.push(`${expected} → ${ours} (${label}): ${ua}`);
};

// Bots
let botHit = 0, botTotal = 0, botNamed = 0;
const squash = (text) => String(text ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
for (const c of readYaml(join(dd, 'bots.yml'))) {
  const info = classifyUserAgent(String(c.user_agent));
  const expected = DD_FEED_CATEGORIES.has(c.bot?.category) ? 'feed_reader' : 'bot';
  classMiss(expected, info.clientClass, c.bot?.name, c.user_agent);
  if (expected !== 'bot') continue;
  botTotal++;
  if (info.isBot) {
    botHit++;
    // The same bot when one name holds the other once case and punctuation are ignored (Googlebot ~ Googlebot-Image).
    const ours = squash(info.botName), theirs = squash(c.bot?.name);
    if (ours !== '' && theirs !== '' && (ours.includes(theirs) || theirs.includes(ours))) botNamed++;
    else misses.botName.push(`${c.bot?.name} → ${info.botName}: ${c.user_agent}`);
  } else misses.botRecall.push(`${c.bot?.name}: ${c.user_agent}`);
}

// Non-bot fixtures: false positives and device types
let fp = 0, nonBot = 0, devAgree = 0, devTotal = 0;
const devConfusion = new Map();
for (const name of readdirSync(dd).filter((f) => f.endsWith('.yml') && f !== 'bots.yml').sort()) {
  for (const c of readYaml(join(dd, name))) {
    const ua = String(c.user_agent ?? '');
    if (ua === '') continue;
    const info = classifyUserAgent(ua);
    let expectedClass = DD_CLASS[c.client?.type ?? ''];
    if (expectedClass === 'browser' && /webview/i.test(c.client?.name ?? '')) {
      expectedClass = 'app';
      webViews++;
    }
    if (expectedClass !== undefined) classMiss(expectedClass, info.clientClass, c.client?.name, ua);
    nonBot++;
    if (info.isBot) {
      fp++;
      misses.botFalsePositives.push(`${name} (${c.client?.name ?? '?'}): ${ua}`);
    }
    const expected = DD_DEVICE[c.device?.type ?? ''];
    if (expected === undefined) continue;
    devTotal++;
    if (info.deviceType === expected) devAgree++;
    else {
      const key = `${expected} → ${info.deviceType || '(none)'}`;
      devConfusion.set(key, (devConfusion.get(key) ?? 0) + 1);
      misses.device.push(`${key}: ${ua}`);
    }
  }
}

// uap-core browser and OS families. uap-core names a bot in the browser family; we store a bot's name in
// bot_name, so agents we flag as bots are compared by bot name (the rule above) and the browser figure covers
// the agents we count as people.
let brAgree = 0, brTotal = 0, brMajor = 0, brAllAgree = 0, brAll = 0, uaBots = 0, uaBotsNamed = 0;
const sameBrowser = (ours, theirs) => norm(ours, BROWSER_ALIASES) === norm(theirs, BROWSER_ALIASES);
for (const c of readYaml(join(corpus, 'uap-core', 'tests', 'test_ua.yaml')).test_cases) {
  if (!c.family || c.family === 'Other') continue;
  const info = classifyUserAgent(String(c.user_agent_string));
  brAll++;
  if (sameBrowser(info.browser, c.family)) brAllAgree++;
  if (info.isBot) {
    uaBots++;
    const ours = squash(info.botName), theirs = squash(c.family);
    if (ours !== '' && theirs !== '' && (ours.includes(theirs) || theirs.includes(ours))) uaBotsNamed++;
    continue;
  }
  brTotal++;
  if (sameBrowser(info.browser, c.family)) {
    brAgree++;
    if (String(c.major ?? '') === info.browserVersion) brMajor++;
  } else {
    misses.browser.push(`${c.family} → ${info.browser || '(none)'}: ${c.user_agent_string}`);
    const key = `${c.family} → ${info.browser || '(none)'}`;
    browserPairs.set(key, (browserPairs.get(key) ?? 0) + 1);
  }
}
// pgts_browser_list: 12,500 agents of everyday browsers, a fairer picture than test_ua.yaml's edge cases
let pgAgree = 0, pgTotal = 0, pgAllAgree = 0, pgAll = 0;
const pgtsFile = join(corpus, 'uap-core', 'test_resources', 'pgts_browser_list.yaml');
if (existsSync(pgtsFile)) {
  for (const c of readYaml(pgtsFile).test_cases) {
    if (!c.family || c.family === 'Other') continue;
    const info = classifyUserAgent(String(c.user_agent_string));
    pgAll++;
    const same = sameBrowser(info.browser, c.family);
    if (same) pgAllAgree++;
    if (info.isBot) continue;
    pgTotal++;
    if (same) pgAgree++;
    else {
      const key = `${c.family} → ${info.browser || '(none)'}`;
      pgtsPairs.set(key, (pgtsPairs.get(key) ?? 0) + 1);
    }
  }
}
let osAgree = 0, osTotal = 0;
for (const c of readYaml(join(corpus, 'uap-core', 'tests', 'test_os.yaml')).test_cases) {
  if (!c.family || c.family === 'Other') continue;
  const info = classifyUserAgent(String(c.user_agent_string));
  osTotal++;
  if (norm(info.os, OS_ALIASES) === norm(c.family, OS_ALIASES)) osAgree++;
  else misses.os.push(`${c.family} → ${info.os || '(none)'}: ${c.user_agent_string}`);
}

const figures = {
  botRecall: ratio(botHit, botTotal),
  botFalsePositives: ratio(fp, nonBot),
  botNameAgreement: ratio(botNamed, botHit),
  deviceAgreement: ratio(devAgree, devTotal),
  browserFamilyAgreement: ratio(brAgree, brTotal),
  browserFamilyAgreementAll: ratio(brAllAgree, brAll),
  uapBotNameAgreement: ratio(uaBotsNamed, uaBots),
  pgtsBrowserAgreementAll: ratio(pgAllAgree, pgAll),
  osFamilyAgreement: ratio(osAgree, osTotal),
  pgtsBrowserAgreement: ratio(pgAgree, pgTotal),
};
const ok = (pass) => (pass ? 'ok  ' : 'MISS');
console.log(`user-agent accuracy against ${corpus}`);
classes.print(`client class agreement, device-detector fixtures (labels: its client types and bot categories; `
  + `${webViews} WebViews it calls browsers expected as apps)`);
console.log('');
console.log(`${ok(figures.botRecall >= TARGETS.botRecall)} bot recall (device-detector bots.yml, feed fetchers aside)  ${pct(figures.botRecall)}  (${botHit}/${botTotal}; target ≥ ${pct(TARGETS.botRecall)})`);
console.log(`     bot name agreement (flagged bots)         ${pct(figures.botNameAgreement)}  (${botNamed}/${botHit})`);
console.log(`${ok(figures.botFalsePositives <= TARGETS.botFalsePositives)} bot false positives (non-bot fixtures)   ${pct(figures.botFalsePositives)}  (${fp}/${nonBot}; target ≤ ${pct(TARGETS.botFalsePositives)})`);
console.log(`${ok(figures.deviceAgreement >= TARGETS.deviceAgreement)} device type agreement (device-detector)  ${pct(figures.deviceAgreement)}  (${devAgree}/${devTotal}; target ≥ ${pct(TARGETS.deviceAgreement)})`);
console.log(`     browser family agreement (uap-core)      ${pct(figures.browserFamilyAgreement)}  (${brAgree}/${brTotal} agents we count as people; major version also equal: ${brMajor})`);
console.log(`       flagged bots, bot name agreement        ${pct(figures.uapBotNameAgreement)}  (${uaBotsNamed}/${uaBots}); all ${brAll} agents, browser name only: ${pct(figures.browserFamilyAgreementAll)} (${brAllAgree}/${brAll})`);
console.log(`     browser family agreement (uap-core pgts)  ${pct(figures.pgtsBrowserAgreement)}  (${pgAgree}/${pgTotal} agents we count as people; all ${pgAll}: ${pct(figures.pgtsBrowserAgreementAll)})`);
console.log(`     OS family agreement (uap-core)           ${pct(figures.osFamilyAgreement)}  (${osAgree}/${osTotal})`);
const top = [...devConfusion.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, n]) => `${k} ${n}`).join(', ');
console.log(`     largest device disagreements: ${top}`);
return figures.botRecall >= TARGETS.botRecall && figures.botFalsePositives <= TARGETS.botFalsePositives
  && figures.deviceAgreement >= TARGETS.deviceAgreement;
}

const sharedPass = haveCorpus ? measureShared() : true;
if (!process.argv.includes('--skip-heldout')) measureHeldOut(root, (ua) => classifyUserAgent(ua));
console.log(`\n     ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (showMisses > 0) {
  for (const [measure, list] of Object.entries(misses)) {
    console.log(`\n${measure}: ${list.length} misses`);
    for (const line of list.slice(0, showMisses)) console.log(`  ${line.slice(0, 220)}`);
  }
}
if (showPairs > 0) {
  for (const [title, pairs] of [['uap-core test_ua.yaml', browserPairs], ['uap-core pgts', pgtsPairs]]) {
    console.log(`\nbrowser disagreements, ${title} (expected → ours):`);
    for (const [key, n] of [...pairs.entries()].sort((a, b) => b[1] - a[1]).slice(0, showPairs)) console.log(`  ${String(n).padStart(4)}  ${key}`);
  }
}
process.exit(sharedPass ? 0 : 1);
