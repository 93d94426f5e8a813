import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { defaultConfig } from '../../src/pipeline/config.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { ipv6ToGroups } from '../../src/net/address.js';
import { audit, type AuditTarget } from '../../src/privacy/audit.js';
import { SiteCalendar } from '../../src/privacy/calendar.js';
import { compileAllowList } from '../../src/privacy/query.js';
import { DATABASE } from '../../src/sink/clickhouse/schema.js';
import { Store } from '../../src/sink/clickhouse/store.js';
import { resolveInputs } from '../../src/sources/inputs.js';
import { ReferrerClassifier } from '../../src/enrich/referrer.js';
import { siftlogInProcess } from '../helpers/cli.js';
import { publishRows } from '../helpers/publish.js';
import { seededRandom as random } from '../helpers/random.js';
import { copyTemplateStore } from '../helpers/store-template.js';

const NO_LOOKUPS = { geo: null, company: null, referrers: new ReferrerClassifier(), campaigns: true };

const LINES = 3000;

interface Secrets {
  ipv4: Set<number>;
  ipv6: Set<string>;
}

/** Access-log lines full of identifying data, in every shape a client field, path, query or referrer takes. */
function generate(seed: number): { lines: string[]; secrets: Secrets } {
  const r = random(seed);
  const secrets: Secrets = { ipv4: new Set(), ipv6: new Set() };
  const v4 = () => {
    const n = r.int(1, 223) * 16777216 + r.int(0, 255) * 65536 + r.int(0, 255) * 256 + r.int(1, 255);
    secrets.ipv4.add(n);
    return `${Math.floor(n / 16777216)}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
  };
  const v6 = () => {
    const groups = [0x2000 + r.int(0, 0xfff), ...Array.from({ length: 7 }, () => r.int(1, 0xffff))];
    if (r.int(0, 1) === 1) groups[4] = groups[5] = 0; // some compress to '::'
    const text = groups.map((g) => g.toString(16)).join(':').replace(/(^|:)0:0(:|$)/, '::');
    secrets.ipv6.add(groups.map((g) => g.toString(16).padStart(4, '0')).join(''));
    return text;
  };
  const user = () => `usr${r.letters(8)}`;
  const email = () => `eml${r.letters(8)}${r.pick(['@', '%40'])}dom${r.letters(6)}.example`;
  const client = () => {
    switch (r.int(0, 6)) {
      case 0: return v4();
      case 1: return v6();
      case 2: return `::ffff:${v4()}`;
      case 3: return `${v4()}:${r.int(1024, 65535)}`;
      case 4: return `[${v6()}]:${r.int(1, 65535)}`;
      case 5: return `${v4()},${v4()},${v6()}`; // X-Forwarded-For list, original client first
      default: return `${v4()}`;
    }
  };
  const lines: string[] = [];
  for (let i = 0; i < LINES; i++) {
    const second = i * 20;
    const time = `17/May/2015:${String(Math.floor(second / 3600) % 24).padStart(2, '0')}:${String(Math.floor(second / 60) % 60).padStart(2, '0')}:${String(second % 60).padStart(2, '0')} +0000`;
    const path = r.pick([`/u/${email()}/profile`, `/lookup/${v4()}`, `/peer/${v6()}`, '/index.html']);
    const query = r.pick(['', `?email=${email()}`, `?utm_source=${email()}&ip=${v4()}&user=${user()}`, `?utm_campaign=spring&client=${v6()}`]);
    const referrer = r.pick(['-', `http://${v4()}/admin`, `https://www.google.com/search?q=${email()}+${v4()}`, `http://${user()}:pw@example.org/?mail=${email()}`, `http://[${v6()}]:8080/`]);
    const ua = r.pick(['Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0', `curl/8.0 (${email()})`, `agent from ${v4()}`]);
    const status = i % 97 === 0 ? '2OO' : '200'; // some lines are rejected: the quarantine must be scrubbed too
    lines.push(`${client()} - ${r.pick(['-', user()])} [${time}] "GET ${path}${query} HTTP/1.1" ${status} ${r.int(0, 99999)} "${referrer}" "${ua}"`);
  }
  return { lines, secrets };
}

/** Everything the store holds, as text: every table and view, the quarantine files, the state folder's names. */
async function dumpEverything(store: Store): Promise<string> {
  const tables = await (await store.client.query({
    query: 'SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name', query_params: { db: DATABASE }, format: 'JSONEachRow',
  })).json<{ name: string }>();
  let dump = '';
  for (const { name } of tables) {
    dump += `${name}\n${await (await store.client.query({ query: `SELECT * FROM ${DATABASE}.\`${name}\``, format: 'TabSeparated' })).text()}\n`;
  }
  for (const file of readdirSync(store.quarantineDir)) dump += readFileSync(join(store.quarantineDir, file), 'utf8');
  return dump;
}

function tokens(text: string, separators: RegExp): Set<string> {
  return new Set(text.split(separators));
}

t.test('no address, user name or e-mail survives ingest in any representation; audit is clean until a leak is planted', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-privacy-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const { lines, secrets } = generate(20150517);
  const log = join(dir, 'access.log');
  writeFileSync(log, `${lines.join('\n')}\n`);
  const config = defaultConfig();
  const storeDir = copyTemplateStore(join(dir, 'store'));

  let store = await Store.open({ dir: storeDir });
  await store.migrate();
  const summary = await ingest(await resolveInputs([log]), config, store, NO_LOOKUPS, { now: () => Date.UTC(2015, 4, 17, 23) });
  t.equal(summary.linesRead, LINES);
  t.equal(summary.rejected, Math.ceil(LINES / 97), 'the 2OO lines went to the quarantine');
  t.equal(summary.parsed + summary.rejected, LINES);

  const dump = await dumpEverything(store);
  const lower = dump.toLowerCase();
  t.ok(dump.length > 100_000, 'the dump holds every row');
  t.same(dump.match(/usr[a-z]{8}/g), null, 'no user name');
  t.same(dump.match(/eml[a-z]{8}|dom[a-z]{6}/g), null, 'no e-mail, local part or domain');

  const dotted = tokens(dump, /[^0-9.]+/);
  const decimal = tokens(dump, /[^0-9]+/);
  const hex = tokens(lower, /[^0-9a-f]+/);
  const v6text = tokens(lower, /[^0-9a-f:]+/);
  const leaks: string[] = [];
  for (const n of secrets.ipv4) {
    const octets = [Math.floor(n / 16777216), Math.floor(n / 65536) % 256, Math.floor(n / 256) % 256, n % 256];
    const forms = [octets.join('.'), [...octets].reverse().join('.'), String(n)];
    for (const form of forms) if (dotted.has(form) || decimal.has(form)) leaks.push(form);
    if (hex.has(n.toString(16).padStart(8, '0'))) leaks.push(`hex ${n.toString(16)}`);
  }
  for (const full of secrets.ipv6) {
    const groups = full.match(/.{4}/g)!;
    const compressed = groups.map((g) => parseInt(g, 16).toString(16)).join(':');
    const forms = [groups.join(':'), compressed];
    for (const form of forms) if (v6text.has(form)) leaks.push(form);
    // The compressed text of addresses with a zero run, found by normalising every candidate.
    if (hex.has(full)) leaks.push(`hex ${full}`);
  }
  for (const candidate of v6text) {
    if (candidate.includes('::') && !candidate.endsWith('::')) {
      try {
        const expanded = ipv6ToGroups(candidate).map((g) => g.toString(16).padStart(4, '0')).join('');
        if (secrets.ipv6.has(expanded)) leaks.push(candidate);
      } catch { /* not an address */ }
    }
  }
  t.same(leaks, [], `none of ${secrets.ipv4.size} IPv4 and ${secrets.ipv6.size} IPv6 addresses appears as text, reversed, decimal or hex`);

  const target = (s: Store): AuditTarget => ({
    client: s.client, database: DATABASE, quarantineDir: s.quarantineDir, stateDir: s.stateDir,
    policy: { ipv4Prefix: 24, ipv6Prefix: 48, allowKey: compileAllowList(config.privacy.query_allow) },
    saltWindowDays: 2, calendar: new SiteCalendar('UTC'), now: () => Date.UTC(2015, 4, 17, 23),
  });
  const clean = await audit(target(store));
  t.same(clean.findings, [], 'audit finds nothing');
  t.ok(clean.tables >= 7 && clean.quarantineFiles === 1 && clean.saltFiles === 1);
  await store.close();

  // `siftlog audit` in this process: its output and exit code are under test, not the process.
  const cli = async (args: string[]) => {
    const run = await siftlogInProcess(args);
    return { code: run.code, out: run.stdout };
  };
  // The CLI's clock is today's: the 2015 salt is past its window (ingest ran with a 2015 clock).
  let result = await cli(['audit', '--store', storeDir]);
  t.equal(result.code, 3, 'an expired salt is a finding');
  t.match(result.out, /FOUND {2}state\/salts\.2015-05-17\.salt\s+expired_salt/);

  store = await Store.open({ dir: storeDir });
  const removed = await ingest([], config, store, NO_LOOKUPS);
  t.same(removed.rowsWritten, 0, 'an ingest with today\'s clock prunes the old salt');
  await publishRows(store, [
    { path: '/u/someone@example.com', referrer_host: '203.0.113.9', query: 'utm_source=x&session=abc' }, { path: '/ok', referrer_host: '', query: '' },
  ]);
  await store.client.command({ query: `CREATE TABLE ${DATABASE}.leak_numbers (n UInt32, net String) ENGINE = MergeTree ORDER BY n` });
  await store.client.command({ query: `INSERT INTO ${DATABASE}.leak_numbers VALUES (3232235777, '10.1.2.0/24'), (7, '10.1.2.0/16'), (8, '2001:db8:1::/48'), (9, '2001:db8:1::1/48')` });
  await store.close();
  chmodSync(join(storeDir, 'state', 'input-key'), 0o644);

  result = await cli(['audit', '--store', storeDir, '--json']);
  t.equal(result.code, 3, 'audit exits 3 when it finds anything');
  const report = JSON.parse(result.out) as { findings: unknown[] };
  t.same(report.findings, [
    { table: 'leak_numbers', column: 'n', kind: 'ipv4_integer', count: 1 },
    { table: 'leak_numbers', column: 'net', kind: 'ipv4_literal', count: 1 },
    { table: 'leak_numbers', column: 'net', kind: 'ipv6_literal', count: 1 },
    { table: 'pages_daily', column: 'path', kind: 'email', count: 1 },
    { table: 'requests', column: 'path', kind: 'email', count: 1 },
    { table: 'requests', column: 'query', kind: 'query_key', count: 1 },
    { table: 'requests', column: 'referrer_host', kind: 'ipv4_literal', count: 1 },
    // …and the response-time trend table from the planted path.
    { table: 'responses_hourly', column: 'path', kind: 'email', count: 1 },
    // Publishing builds the sources trend table from the planted rows: audit sees the referrer there too.
    { table: 'sources_daily', column: 'referrer_host', kind: 'ipv4_literal', count: 1 },
    { table: 'state/input-key', column: '(file)', kind: 'salt_permissions', count: 1 },
  ], 'each planted leak, with table, column and count; networks at the configured prefix pass');
});
