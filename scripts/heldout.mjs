// Held-out user-agent sets for `npm run accuracy`, built at run time from two devDependencies whose agents no rule
// in src/enrich was written or tuned against (the rules were tuned on ../shared/corpus/ua and the real logs in
// ../shared/corpus/real). Nothing is copied into the repository, and nothing here prints an agent string: the
// figures stay a held-out measure only while nobody tunes on their misses.
//
// - crawler-user-agents (MIT; monperrus/crawler-user-agents): every pattern's `instances`, labelled by the list's
//   own `tags`, which its maintainers assign: `feed-reader` → feed_reader, `http-library` → library, every other
//   tag (search-engine, seo, monitoring, scanner, social-preview, ai-crawler, archiver, advertising, academic,
//   browser-automation) → bot. The mapping was fixed from the tag names before any agent was looked at.
// - user-agents (BSD-2-Clause; intoli/user-agents): agents and device categories of real browsers that ran its
//   fingerprinting script, weighted by how often they were seen. Label: a person (browser or app), and the
//   device category (desktop, mobile, tablet).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const modules = (root) => join(root, 'node_modules');

function packageVersion(root, name) {
  return JSON.parse(readFileSync(join(modules(root), name, 'package.json'), 'utf8')).version;
}

/** The class the crawler list's tags give an agent. */
export function classOfTags(tags) {
  if (tags.includes('feed-reader')) return 'feed_reader';
  if (tags.includes('http-library')) return 'library';
  return 'bot';
}

/** crawler-user-agents: [{ userAgent, expected }], one per distinct agent. */
export function crawlerAgents(root) {
  const entries = JSON.parse(readFileSync(join(modules(root), 'crawler-user-agents', 'crawler-user-agents.json'), 'utf8'));
  const seen = new Map();
  for (const entry of entries) {
    for (const userAgent of entry.instances ?? []) {
      if (typeof userAgent === 'string' && userAgent !== '' && !seen.has(userAgent)) seen.set(userAgent, classOfTags(entry.tags ?? []));
    }
  }
  return { version: packageVersion(root, 'crawler-user-agents'), agents: [...seen].map(([userAgent, expected]) => ({ userAgent, expected })) };
}

/** user-agents: [{ userAgent, weight, device }], one per distinct agent (weights added, the heaviest device kept). */
export function browserAgents(root) {
  const entries = JSON.parse(readFileSync(join(modules(root), 'user-agents', 'dist', 'user-agents.json'), 'utf8'));
  const byAgent = new Map();
  for (const { userAgent, weight, deviceCategory } of entries) {
    if (typeof userAgent !== 'string' || userAgent === '') continue;
    const known = byAgent.get(userAgent);
    if (known === undefined) byAgent.set(userAgent, { userAgent, weight, device: deviceCategory, deviceWeight: weight });
    else {
      known.weight += weight;
      if (weight > known.deviceWeight) Object.assign(known, { device: deviceCategory, deviceWeight: weight });
    }
  }
  return { version: packageVersion(root, 'user-agents'), agents: [...byAgent.values()] };
}
