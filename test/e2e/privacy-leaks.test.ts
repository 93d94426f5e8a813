import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { openLookups } from '../../src/enrich/lookups.js';
import { PipelineSchema } from '../../src/pipeline/config.js';
import { ingest } from '../../src/pipeline/ingest.js';
import type { NetworkLookups } from '../../src/privacy/lookups.js';
import { Store } from '../../src/sink/clickhouse/store.js';
import { resolveInputs } from '../../src/sources/inputs.js';
import { copyTemplateStore } from '../helpers/store-template.js';

/**
 * The four leaks of issue 10, each ingested as a user would meet it, into one store: a client address that
 * became the site, user and host names kept in the quarantine, a query key after `&` with no `?`, and
 * clients logged by host name that got no organisation or country.
 */
const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0';
const NOW = Date.UTC(2015, 4, 17, 23);

t.test('the leaks of issue 10', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-leaks-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const store = await Store.open({ dir: copyTemplateStore(join(dir, 'store')) });
  t.teardown(() => store.close());
  await store.migrate();
  const base = PipelineSchema.parse({});
  const lookups = await openLookups(base.enrich);
  const load = async (name: string, format: string, lines: readonly string[], using: NetworkLookups = lookups) => {
    const file = join(dir, name);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return ingest(await resolveInputs([file]), PipelineSchema.parse({ format }), store, using, { now: () => NOW });
  };
  const rows = async <T>(query: string) => (await store.client.query({ query, format: 'JSONEachRow' })).json<T>();
  const quarantine = () => readdirSync(store.quarantineDir).map((f) => readFileSync(join(store.quarantineDir, f), 'utf8')).join('');

  t.test('a user name with a space does not turn the client address into the site', async (t) => {
    const summary = await load('spaces.log', 'combined', [
      `92.63.172.59 - john doe [17/May/2015:16:05:14 +0000] "GET /x HTTP/1.1" 200 337 "-" "${UA}"`,
      `92.63.172.59 -   [17/May/2015:16:05:15 +0000] "GET /y HTTP/1.1" 200 337 "-" "${UA}"`,
    ]);
    t.equal(summary.parsed, 2);
    t.same(await rows("SELECT site, path, client_net FROM siftlog.requests WHERE path IN ('/x', '/y') ORDER BY path"), [
      { site: 'default', path: '/x', client_net: '92.63.172.0/24' },
      { site: 'default', path: '/y', client_net: '92.63.172.0/24' },
    ]);
  });

  t.test('rejected lines keep no user name or client host name', async (t) => {
    const json = await load('rejected.ndjson', 'nginx_json', [
      '{"time_iso8601":"2015-05-17T10:05:03+00:00","remote_addr":"gw.bigcorp.com","remote_user":"bob.jones","request":"GET / HTTP/1.1","status":"2OO"}',
    ]);
    const w3c = await load('rejected-w3c.log', 'w3c', [
      '#Fields: date time c-ip cs-username cs-method cs-uri-stem sc-status',
      '2015-05-17 10:05:03 dialup-7.pool.example.net CORP\\alice.smith GET /index.html 2OO',
    ]);
    t.equal(json.rejected + w3c.rejected, 2);
    const text = quarantine();
    t.match(text, /"reason":"bad_status"/);
    for (const secret of ['bob.jones', 'alice.smith', 'gw.bigcorp.com', 'dialup-7.pool.example.net']) {
      t.notOk(text.includes(secret), `${secret} is not in the quarantine`);
    }
  });

  t.test('query keys after "&" are dropped where there is no "?"', async (t) => {
    await load('ampersand.log', 'combined', [
      `198.51.100.7 - - [17/May/2015:11:00:00 +0000] "GET /search&session=abc123 HTTP/1.1" 200 10 "https://www.google.com&page=5" "${UA}"`,
    ]);
    t.same(await rows("SELECT path, referrer_host FROM siftlog.requests WHERE path LIKE '/search%'"), [
      { path: '/search', referrer_host: 'www.google.com' },
    ]);
  });

  t.test('clients logged by host name get an organisation and a country from the name, which is not stored', async (t) => {
    await load('hostnames.log', 'common', [
      'gw.bigcorp.com - - [17/May/2015:12:00:00 +0000] "GET /hosts/1 HTTP/1.0" 200 10',
      'rainbow.mts.chiba-u.ac.jp - - [17/May/2015:12:00:01 +0000] "GET /hosts/2 HTTP/1.0" 200 10',
      'dialup-2-139.gw.umn.edu - - [17/May/2015:12:00:02 +0000] "GET /hosts/3 HTTP/1.0" 200 10',
      'pool-71-104-5-9.dsl.example.net - - [17/May/2015:12:00:03 +0000] "GET /hosts/4 HTTP/1.0" 200 10',
    ]);
    t.same(await rows(`SELECT path, client_net, country, org, org_domain, org_category, org_source FROM siftlog.requests
      WHERE path LIKE '/hosts/%' ORDER BY path`), [
      { path: '/hosts/1', client_net: '', country: '', org: 'bigcorp.com', org_domain: 'bigcorp.com', org_category: 'unknown', org_source: 'hostname' },
      { path: '/hosts/2', client_net: '', country: 'JP', org: 'chiba-u.ac.jp', org_domain: 'chiba-u.ac.jp', org_category: 'education', org_source: 'hostname' },
      { path: '/hosts/3', client_net: '', country: 'US', org: 'umn.edu', org_domain: '', org_category: 'isp', org_source: 'hostname' },
      { path: '/hosts/4', client_net: '', country: '', org: 'example.net', org_domain: '', org_category: 'isp', org_source: 'hostname' },
    ]);
    const visitors = await rows<{ n: string }>("SELECT uniqExact(visitor_id) AS n FROM siftlog.requests WHERE path LIKE '/hosts/%'");
    t.equal(Number(visitors[0].n), 4, 'each host name is its own visitor');
  });

  t.test('a row whose values would leak is refused on its way out, counted and quarantined', async (t) => {
    // A registry whose company name holds an e-mail: data the boundary passes on as read.
    const leaky: NetworkLookups = { ...lookups, company: {
      lookup: () => ({ asn: 0, org: 'Ask jane.doe@example.com', domain: '', category: 'business', source: 'registry' }),
      lookupDomain: () => ({ asn: 0, org: '', domain: '', category: '', source: '' }),
    } };
    const summary = await load('refused.log', 'combined', [
      `198.51.100.9 - - [17/May/2015:13:00:00 +0000] "GET /refused HTTP/1.1" 200 10 "-" "${UA}"`,
    ], leaky);
    t.match(summary, { parsed: 0, rejected: 1, rejectedByReason: { identifier_in_output: 1 } });
    t.same(await rows("SELECT count() AS n FROM siftlog.requests WHERE path = '/refused'"), [{ n: '0' }]);
    const entry = quarantine().split('\n').filter((l) => l.includes('identifier_in_output')).map((l) => JSON.parse(l));
    t.match(entry, [{ input: /refused\.log$/, line: 1, reason: 'identifier_in_output', column: 'org', kind: 'email',
      // Every field but the client's is scrubbed like a path: the agent's 8-digit Gecko date is an {id}.
      text: `{client} - - [17/May/2015:13:00:00 +0000] "GET /refused HTTP/1.1" 200 10 "-" "${UA.replace('20100101', '{id}')}"` }]);
    t.notOk(quarantine().includes('jane.doe'));
  });
});
