#!/usr/bin/env node
// Measures the user-agent classifier (dist/enrich/useragent.js, so run after `npm run build`) against the
// corpora in ../shared/corpus/ua: device-detector's fixtures (bots, device types) and uap-core's tests
// (browser and OS families). Prints the figures and exits 1 when a target is missed.
//   npm run accuracy            (add -- --misses N to list N misses of each measure)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { classifyUserAgent } from '../dist/enrich/useragent.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = join(root, '..', 'shared', 'corpus', 'ua');
const missesArg = process.argv.indexOf('--misses');
const showMisses = missesArg > 0 ? Number(process.argv[missesArg + 1] ?? 10) : 0;

if (!existsSync(corpus)) {
  console.log(`${corpus} is absent: nothing to measure`);
  process.exit(0);
}

const TARGETS = { botRecall: 0.97, botFalsePositives: 0.005, deviceAgreement: 0.9 };

// device-detector's device types → ours. Phablets, feature phones and wearables are phones to us; the rest
// (car browsers, smart speakers, cameras…) are 'other'. Cases with no device type are not compared.
const DD_DEVICE = {
  smartphone: 'mobile', phablet: 'mobile', 'feature phone': 'mobile', wearable: 'mobile', 'portable media player': 'mobile',
  tablet: 'tablet', tv: 'tv', desktop: 'desktop', console: 'console', bot: 'bot',
  'car browser': 'other', 'smart speaker': 'other', 'smart display': 'other', peripheral: 'other', camera: 'other',
};

// uap-core and ua-parser-js name some families differently; these are the same product.
const BROWSER_ALIASES = {
  'chrome mobile': 'chrome', 'chrome mobile ios': 'chrome', 'chrome mobile webview': 'chrome webview', 'firefox mobile': 'firefox',
  'firefox ios': 'firefox', 'mobile safari ui/wkwebview': 'webkit', 'ie': 'ie', 'ie mobile': 'iemobile', 'edge mobile': 'edge',
  'opera mobile': 'opera mobi', 'opera mini': 'opera mini', 'samsung internet': 'samsung internet', 'uc browser': 'ucbrowser',
  'yandex browser': 'yandex', 'qq browser': 'qqbrowser', 'qq browser mobile': 'qqbrowser', 'android': 'android browser',
  'facebook': 'facebook', 'amazon silk': 'silk', 'miui browser': 'miui browser', 'baidu browser': 'baidu', 'chromium': 'chromium',
  'headlesschrome': 'chrome headless', 'huawei browser': 'huawei browser', 'firefox beta': 'firefox', 'firefox alpha': 'firefox',
  'pale moon': 'palemoon', 'edge': 'edge', 'sogou explorer': 'sogou explorer', 'vivaldi': 'vivaldi',
  'opera mobi': 'opera', 'nokia browser': 'nokiabrowser', 'ovi browser': 'ovibrowser', 'heytap browser': 'heytap',
  'duckduckgo mobile': 'duckduckgo', 'vivobrowser': 'vivo browser', 'wechat browser': 'wechat', 'qq browser mini': 'qqbrowser',
  'facebook messenger': 'facebook', 'baidu explorer': 'baidu', 'mobile chrome': 'chrome', 'mobile firefox': 'firefox',
  'chrome webview': 'chrome webview', 'chrome mobile webview': 'chrome webview', 'netfront nx': 'netfront',
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
const misses = { botRecall: [], botName: [], botFalsePositives: [], device: [], browser: [], os: [] };
const dd = join(corpus, 'device-detector', 'fixtures');

// Bots
let botHit = 0, botTotal = 0, botNamed = 0;
const squash = (text) => String(text ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
for (const c of readYaml(join(dd, 'bots.yml'))) {
  botTotal++;
  const info = classifyUserAgent(String(c.user_agent));
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

// uap-core browser and OS families
let brAgree = 0, brTotal = 0, brMajor = 0;
for (const c of readYaml(join(corpus, 'uap-core', 'tests', 'test_ua.yaml')).test_cases) {
  if (!c.family || c.family === 'Other') continue;
  const info = classifyUserAgent(String(c.user_agent_string));
  brTotal++;
  if (norm(info.browser, BROWSER_ALIASES) === norm(c.family, BROWSER_ALIASES)) {
    brAgree++;
    if (String(c.major ?? '') === info.browserVersion) brMajor++;
  } else misses.browser.push(`${c.family} → ${info.browser || '(none)'}: ${c.user_agent_string}`);
}
// pgts_browser_list: 12,500 agents of everyday browsers, a fairer picture than test_ua.yaml's edge cases
let pgAgree = 0, pgTotal = 0;
const pgtsFile = join(corpus, 'uap-core', 'test_resources', 'pgts_browser_list.yaml');
if (existsSync(pgtsFile)) {
  for (const c of readYaml(pgtsFile).test_cases) {
    if (!c.family || c.family === 'Other') continue;
    pgTotal++;
    if (norm(classifyUserAgent(String(c.user_agent_string)).browser, BROWSER_ALIASES) === norm(c.family, BROWSER_ALIASES)) pgAgree++;
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
  osFamilyAgreement: ratio(osAgree, osTotal),
  pgtsBrowserAgreement: ratio(pgAgree, pgTotal),
};
const ok = (pass) => (pass ? 'ok  ' : 'MISS');
console.log(`user-agent accuracy against ${corpus}`);
console.log(`${ok(figures.botRecall >= TARGETS.botRecall)} bot recall (device-detector bots.yml)      ${pct(figures.botRecall)}  (${botHit}/${botTotal}; target ≥ ${pct(TARGETS.botRecall)})`);
console.log(`     bot name agreement (flagged bots)         ${pct(figures.botNameAgreement)}  (${botNamed}/${botHit})`);
console.log(`${ok(figures.botFalsePositives <= TARGETS.botFalsePositives)} bot false positives (non-bot fixtures)   ${pct(figures.botFalsePositives)}  (${fp}/${nonBot}; target ≤ ${pct(TARGETS.botFalsePositives)})`);
console.log(`${ok(figures.deviceAgreement >= TARGETS.deviceAgreement)} device type agreement (device-detector)  ${pct(figures.deviceAgreement)}  (${devAgree}/${devTotal}; target ≥ ${pct(TARGETS.deviceAgreement)})`);
console.log(`     browser family agreement (uap-core)      ${pct(figures.browserFamilyAgreement)}  (${brAgree}/${brTotal}; major version also equal: ${brMajor})`);
console.log(`     browser family agreement (uap-core pgts)  ${pct(figures.pgtsBrowserAgreement)}  (${pgAgree}/${pgTotal})`);
console.log(`     OS family agreement (uap-core)           ${pct(figures.osFamilyAgreement)}  (${osAgree}/${osTotal})`);
const top = [...devConfusion.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, n]) => `${k} ${n}`).join(', ');
console.log(`     largest device disagreements: ${top}`);
console.log(`     ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (showMisses > 0) {
  for (const [measure, list] of Object.entries(misses)) {
    console.log(`\n${measure}: ${list.length} misses`);
    for (const line of list.slice(0, showMisses)) console.log(`  ${line.slice(0, 220)}`);
  }
}
const pass = figures.botRecall >= TARGETS.botRecall && figures.botFalsePositives <= TARGETS.botFalsePositives
  && figures.deviceAgreement >= TARGETS.deviceAgreement;
process.exit(pass ? 0 : 1);
