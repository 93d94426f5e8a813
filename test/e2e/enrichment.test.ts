import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { openLookups } from '../../src/enrich/lookups.js';
import { PipelineSchema } from '../../src/pipeline/config.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { Store } from '../../src/sink/clickhouse/store.js';
import { MIGRATIONS } from '../../src/sink/clickhouse/schema.js';
import { resolveInputs } from '../../src/sources/inputs.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'registries');
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0';
const BOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const line = (ip: string, time: string, target: string, referrer: string, ua = UA, status = 200) =>
  `www.example.com:443 ${ip} - - [17/May/2015:${time} +0000] "GET ${target} HTTP/1.1" ${status} 100 "${referrer}" "${ua}"`;

const LOG = [
  // A visitor from the user's registry arrives from a Google search whose keyword holds an e-mail address.
  line('198.51.100.7', '10:00:00', '/', 'https://www.google.de/search?q=pricing+for+jane%40example.com'),
  line('198.51.100.7', '10:00:05', '/style.css', 'https://www.example.com/'),
  line('198.51.100.7', '10:01:00', '/pricing', 'https://www.example.com/'),
  // A campaign visit from Facebook, from Cloudflare's network (public ASN registry).
  line('1.1.1.1', '11:00:00', '/landing?utm_source=Facebook&utm_medium=social&utm_campaign=Spring&id=7', 'https://l.facebook.com/l.php'),
  // Direct, over IPv6 (Google's network), and a bot.
  line('2001:4860:4860::8888', '12:00:00', '/docs', '-'),
  line('66.249.66.1', '12:30:00', '/robots.txt', '-', BOT, 404),
].join('\n');

t.test('enrichment columns and the geo, companies, sources and campaigns trend tables', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-enrich-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const logFile = join(dir, 'access.log');
  writeFileSync(logFile, `${LOG}\n`);
  const config = PipelineSchema.parse({ enrich: { registries: [join(FIXTURES, 'example.csv')] } });
  const store = await Store.open({ dir: join(dir, 'store') });
  t.teardown(() => store.close());
  t.same(await store.migrate(), MIGRATIONS.map((m) => m.version), 'every migration, in order');
  const summary = await ingest(await resolveInputs([logFile]), config, store, await openLookups(config.enrich));
  t.equal(summary.rowsWritten, 6);

  const rows = async <T>(query: string) => (await store.client.query({ query, format: 'JSONEachRow' })).json<T>();

  t.same(await rows(`SELECT path, org, org_domain, org_category, org_source, referrer_class, referrer_source, search_keyword,
      utm_source, utm_medium, utm_campaign FROM siftlog.requests ORDER BY ts`), [
    { path: '/', org: 'Example Holdings', org_domain: 'example-holdings.com', org_category: 'business', org_source: 'registry',
      referrer_class: 'search', referrer_source: 'Google', search_keyword: 'pricing for {email}', utm_source: '', utm_medium: '', utm_campaign: '' },
    { path: '/style.css', org: 'Example Holdings', org_domain: 'example-holdings.com', org_category: 'business', org_source: 'registry',
      referrer_class: 'internal', referrer_source: '', search_keyword: '', utm_source: '', utm_medium: '', utm_campaign: '' },
    { path: '/pricing', org: 'Example Holdings', org_domain: 'example-holdings.com', org_category: 'business', org_source: 'registry',
      referrer_class: 'internal', referrer_source: '', search_keyword: '', utm_source: '', utm_medium: '', utm_campaign: '' },
    { path: '/landing', org: 'Cloudflare, Inc.', org_domain: '', org_category: 'hosting', org_source: 'asn',
      referrer_class: 'social', referrer_source: 'Facebook', search_keyword: '', utm_source: 'facebook', utm_medium: 'social', utm_campaign: 'spring' },
    { path: '/docs', org: 'Google LLC', org_domain: '', org_category: 'hosting', org_source: 'asn',
      referrer_class: 'direct', referrer_source: '', search_keyword: '', utm_source: '', utm_medium: '', utm_campaign: '' },
    { path: '/robots.txt', org: 'Google LLC', org_domain: '', org_category: 'hosting', org_source: 'asn',
      referrer_class: 'direct', referrer_source: '', search_keyword: '', utm_source: '', utm_medium: '', utm_campaign: '' },
  ]);

  t.same(await rows(`SELECT org_category, org, sum(hits) AS hits, sum(pageviews) AS pageviews, sum(visits) AS visits,
      uniqCombinedMerge(visitors) AS visitors, sum(bot_hits) AS bot_hits
      FROM siftlog.companies_daily_state GROUP BY org_category, org ORDER BY org`), [
    { org_category: 'hosting', org: 'Cloudflare, Inc.', hits: '1', pageviews: '1', visits: '1', visitors: '1', bot_hits: '0' },
    { org_category: 'business', org: 'Example Holdings', hits: '3', pageviews: '2', visits: '1', visitors: '1', bot_hits: '0' },
    { org_category: 'hosting', org: 'Google LLC', hits: '2', pageviews: '1', visits: '1', visitors: '1', bot_hits: '1' },
  ]);

  t.same(await rows(`SELECT referrer_class, referrer_source, search_keyword, sum(hits) AS hits, sum(visits) AS visits
      FROM siftlog.sources_daily GROUP BY ALL ORDER BY referrer_class`), [
    { referrer_class: 'direct', referrer_source: '', search_keyword: '', hits: '2', visits: '1' },
    { referrer_class: 'search', referrer_source: 'Google', search_keyword: 'pricing for {email}', hits: '1', visits: '1' },
    { referrer_class: 'social', referrer_source: 'Facebook', search_keyword: '', hits: '1', visits: '1' },
  ], 'internal referrers are not sources');

  t.same(await rows(`SELECT utm_source, utm_medium, utm_campaign, sum(visits) AS visits, sum(pageviews) AS pageviews
      FROM siftlog.campaigns_daily GROUP BY ALL`), [
    { utm_source: 'facebook', utm_medium: 'social', utm_campaign: 'spring', visits: '1', pageviews: '1' },
  ]);

  t.same(await rows(`SELECT country, sum(hits) AS hits, sum(pageviews) AS pageviews, sum(bot_hits) AS bot_hits
      FROM siftlog.geo_daily GROUP BY country ORDER BY country`), [
    { country: '', hits: '3', pageviews: '2', bot_hits: '0' }, // 198.51.100.0/24 is a documentation network: in no database
    { country: 'AU', hits: '1', pageviews: '1', bot_hits: '0' },
    { country: 'CA', hits: '1', pageviews: '1', bot_hits: '0' }, // DB-IP lite (the version in package-lock) places 2001:4860:4860::/48 in Montreal
    { country: 'US', hits: '1', pageviews: '0', bot_hits: '1' },
  ]);
});
