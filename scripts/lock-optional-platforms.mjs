#!/usr/bin/env node
// chdb lists one native package per platform as optional dependencies, but only the linux-x64 one is
// published on the registry this project installs from. `npm install` then leaves the others out of
// package-lock.json and `npm ci` refuses the lock as out of sync. This adds lock entries for them (with
// their os/cpu, so npm skips them here exactly as it would skip any other platform's package).
// Run it after every `npm install` that rewrites the lock: `node scripts/lock-optional-platforms.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const chdb = lock.packages['node_modules/chdb'];
const PLATFORMS = {
  'lib-darwin-arm64': { cpu: ['arm64'], os: ['darwin'] },
  'lib-darwin-x64': { cpu: ['x64'], os: ['darwin'] },
  'lib-linux-arm64-gnu': { cpu: ['arm64'], os: ['linux'], libc: ['glibc'] },
  'lib-linux-x64-gnu': { cpu: ['x64'], os: ['linux'], libc: ['glibc'] },
};
let added = 0;
for (const [name, version] of Object.entries(chdb?.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  const platform = PLATFORMS[name.replace('@chdb/', '')];
  if (lock.packages[key] || !platform) continue;
  lock.packages[key] = { version, ...platform, license: 'Apache-2.0', optional: true };
  added++;
}
const [root, ...rest] = Object.entries(lock.packages);
lock.packages = Object.fromEntries([root, ...rest.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform entr${added === 1 ? 'y' : 'ies'} added`);
