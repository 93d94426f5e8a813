import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { renderSummary } from '../../src/cli/summary.js';
import { ReferrerClassifier } from '../../src/enrich/referrer.js';
import { PRESETS } from '../../src/formats/presets.js';
import { PipelineSchema } from '../../src/pipeline/config.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { audit } from '../../src/privacy/audit.js';
import { SiteCalendar } from '../../src/privacy/calendar.js';
import type { NetworkLookups } from '../../src/privacy/lookups.js';
import { compileAllowList } from '../../src/privacy/query.js';
import { DATABASE } from '../../src/sink/clickhouse/schema.js';
import { Store } from '../../src/sink/clickhouse/store.js';
import { resolveInputs } from '../../src/sources/inputs.js';
import { seededRandom as random } from '../helpers/random.js';
import { copyTemplateStore } from '../helpers/store-template.js';

/**
 * For every format siftlog reads: lines whose client, user, forwarded-for and host fields hold addresses
 * (dotted, one number, hexadecimal, IPv6 compressed, expanded and mapped, with ports and in brackets),
 * e-mails, user names and client host names, accepted and rejected, all go into one store. Then no table,
 * view, quarantine file, summary or error holds any of them in any form, and `audit` finds nothing.
 */
const LINES_PER_FORMAT = 120;
const NOW = Date.UTC(2024, 2, 1, 23);

const r = random(20240301);
const v4Secrets = new Set<number>();
const v6Secrets = new Set<string>();
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** An IPv4 address in one of its written forms; `spaceless` leaves out the forms with spaces. */
function v4(): string {
  const n = r.int(1, 223) * 16777216 + r.int(0, 255) * 65536 + r.int(0, 255) * 256 + r.int(1, 254);
  v4Secrets.add(n);
  const dotted = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  return r.pick([dotted, `${dotted}:${r.int(1024, 65535)}`, String(n), `0x${hex(n, 8)}`, `::ffff:${dotted}`,
    `::ffff:${hex(n >>> 16, 1)}:${hex(n & 0xffff, 1)}`, `[::ffff:${dotted}]:${r.int(1, 65535)}`]);
}

function v6(): string {
  const groups = [0x2000 + r.int(0, 0xfff), ...Array.from({ length: 7 }, () => r.int(1, 0xffff))];
  if (r.int(0, 1) === 1) groups[3] = groups[4] = 0;
  v6Secrets.add(groups.map((g) => hex(g, 4)).join(''));
  const expanded = groups.map((g) => hex(g, 4)).join(':');
  const compressed = groups.map((g) => g.toString(16)).join(':').replace(/(^|:)0:0(:|$)/, '::');
  return r.pick([compressed, expanded.toUpperCase(), `[${compressed}]`, `[${compressed}]:${r.int(1, 65535)}`]);
}

const email = () => `eml${r.letters(8)}${r.pick(['@', '%40'])}dom${r.letters(6)}.example`;
const user = () => r.pick([`usr${r.letters(8)}`, `CORP\\usr${r.letters(8)}`, `usr${r.letters(8)}.usr${r.letters(8)}`]);
const hostName = () => `hst${r.letters(8)}.${r.pick(['pool.isp-one.net', 'gw.bigcorp.com', 'lab.chiba-u.ac.jp', 'dsl.t-ipconnect.de'])}`;
/** Anything a person can be named by, without spaces (for fields a space would end). */
const identity = () => r.pick([v4, v4, v6, email, user, hostName])();
/** A virtual host as a client may send it: sometimes the real site, else an address, an e-mail or a user name. */
const host = () => r.pick([() => 'www.site-example.com', v4, v6, email, () => `usr${r.letters(8)}`])();
const forwarded = () => `${identity()}, ${identity()}`;

const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0';
const pad = (n: number) => String(n).padStart(2, '0');
interface Slots { i: number; clf: string; iso: string; epoch: number; status: string }

/** Each format's line, from the slots every line shares and fresh identities. */
const LINES: Record<string, (s: Slots) => string> = {
  vhost_common: (s) => `${host()} ${identity()} - ${user()} [${s.clf}] "GET /v/${s.i} HTTP/1.1" ${s.status} 10`,
  vhost_combined: (s) => `${host()} ${identity()} - ${user()} [${s.clf}] "GET /v/${s.i} HTTP/1.1" ${s.status} 10 "-" "${UA}"`,
  common: (s) => `${identity()} - ${r.pick([user(), `${user()} ${user()}`])} [${s.clf}] "GET /c/${s.i} HTTP/1.0" ${s.status} 10`,
  combined: (s) => `${r.pick(['', `${host()} `])}${identity()} - ${user()} [${s.clf}] "GET /c/${s.i} HTTP/1.1" ${s.status} 10 "-" "${UA}"`,
  combined_xff: (s) => `${identity()} - ${user()} [${s.clf}] "GET /x/${s.i} HTTP/1.1" ${s.status} 10 "-" "${UA}" "${forwarded()}"`,
  combined_timed: (s) => `${identity()} - ${user()} [${s.clf}] "GET /t/${s.i} HTTP/1.1" ${s.status} 10 "-" "${UA}" 0.012`,
  ovh: (s) => `${identity()} ${host()} ${user()} [${s.clf}] "GET /o/${s.i} HTTP/1.1" ${s.status} 10 "-" "${UA}"`,
  gandi: (s) => `${host()} ${identity()} - ${user()} [${s.clf}] (0 s) "GET /g/${s.i} HTTP/1.1" ${s.status} 10 "-" "${UA}"`,
  s3: (s) => `79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be ${host()} [${s.clf}] ${identity()} ${user()} 3E57427F3EXAMPLE REST.GET.OBJECT k "GET /b/${s.i} HTTP/1.1" ${s.status} - 113 113 7 6 "-" "${UA}"`,
  elb: (s) => `${s.iso} my-lb ${identity()}:2817 10.0.0.1:80 0.000086 0.001048 0.001337 ${s.status} 200 0 57 "GET https://${host()}:443/e/${s.i} HTTP/1.1" "${UA}" DHE-RSA-AES128-SHA TLSv1.2`,
  alb: (s) => `https ${s.iso} app/my-alb/abcdef ${identity()}:2817 10.0.0.1:80 0.001 0.102 0.000 ${s.status} 200 225 24950 "GET https://${host()}:443/a/${s.i} HTTP/1.1" "${UA}" ECDHE TLSv1.2`,
  haproxy: (s) => `Mar  1 10:00:00 lb1 haproxy[6801]: ${identity()}:55008 [${s.clf.slice(0, 20)}.584] ft bk/web1 0/0/0/72/72 ${s.status} 7456 - - ---- 5/4/0/1/0 0/0 "GET /h/${s.i} HTTP/1.1"`,
  iis_native: (s) => `${identity()}, ${user()}, 03/01/24, 10:${pad(s.i % 60)}:00, W3SVC2, ${host()}, 172.21.13.45, 4502, 163, 3223, ${s.status}, 0, GET, /n/${s.i}, -,`,
  w3c: (s) => `${s.iso.slice(0, 10)} ${s.iso.slice(11, 19)} ${identity()} ${user()} GET /w/${s.i} a=1 ${s.status} ${host()} ${identity()} "sid=${r.letters(6)}"`,
  caddy: (s) => JSON.stringify({ ts: s.epoch, request: { remote_ip: identity(), client_ip: identity(), method: 'GET', host: host(), uri: `/y/${s.i}`,
    headers: { 'User-Agent': [UA], 'X-Forwarded-For': [forwarded()], Cookie: [`sid=${r.letters(6)}`] } }, user_id: user(), status: s.status === '200' ? 200 : '2OO', size: 10 }),
  traefik: (s) => JSON.stringify({ ClientHost: identity(), ClientUsername: user(), RequestHost: host(), RequestMethod: 'GET', RequestPath: `/f/${s.i}`,
    DownstreamStatus: s.status === '200' ? 200 : '2OO', StartUTC: s.iso, 'request_User-Agent': UA, 'request_X-Forwarded-For': forwarded() }),
  nginx_json: (s) => JSON.stringify({ time_iso8601: s.iso, remote_addr: identity(), remote_user: user(), request: `GET /j/${s.i} HTTP/1.1`,
    status: s.status, host: host(), http_user_agent: UA, http_x_forwarded_for: forwarded(), http_cookie: `sid=${r.letters(6)}` }),
  json: (s) => JSON.stringify({ at: s.iso, who: identity(), login: user(), req: `GET /k/${s.i} HTTP/1.1`, code: s.status, vh: host(), xff: forwarded() }),
};
const W3C_HEADER = '#Fields: date time c-ip cs-username cs-method cs-uri-stem cs-uri-query sc-status cs-host x-forwarded-for cs(Cookie)';
const JSON_FIELDS = { client: 'who', time: 'at', request: 'req', status: 'code', user: 'login', host: 'vh', forwardedFor: 'xff' };

function linesOf(format: string): string[] {
  const lines = format === 'w3c' ? [W3C_HEADER] : [];
  for (let i = 0; i < LINES_PER_FORMAT; i++) {
    const time = Date.UTC(2024, 2, 1, 10, Math.floor(i / 2), (i * 7) % 60);
    const d = new Date(time);
    const clf = `01/Mar/2024:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
    // Every 7th line has a bad status; every 11th is cut short: the quarantine gets both kinds.
    const line = LINES[format]({ i, clf, iso: d.toISOString(), epoch: time / 1000, status: i % 7 === 3 ? '2OO' : '200' });
    lines.push(i % 11 === 5 ? line.slice(0, Math.floor(line.length * 0.6)) : line);
  }
  return lines;
}

t.test('no identity from any field of any format reaches a table, view, quarantine file or output', async (t) => {
  t.same(Object.keys(LINES).sort(), PRESETS.map((p) => p.name).sort(), 'every preset has lines here');
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-formats-privacy-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const store = await Store.open({ dir: copyTemplateStore(join(dir, 'store')) });
  t.teardown(() => store.close());
  await store.migrate();
  // Country and organisation of host-name clients need no database; geo and company must merely be on.
  const lookups: NetworkLookups = {
    geo: { lookup: () => ({ country: 'FR', region: '', city: '' }) },
    company: { lookup: () => ({ asn: 64500, org: 'Example Net', domain: '', category: 'isp', source: 'asn' }),
      lookupDomain: (domain) => ({ asn: 0, org: domain, domain, category: 'unknown', source: 'hostname' }) },
    referrers: new ReferrerClassifier(), campaigns: true,
  };
  let output = '';
  for (const format of Object.keys(LINES)) {
    const file = join(dir, `${format}.log`);
    writeFileSync(file, `${linesOf(format).join('\n')}\n`);
    const config = PipelineSchema.parse({ format, site: 'site-default', ...(format === 'json' ? { json_fields: JSON_FIELDS } : {}) });
    const summary = await ingest(await resolveInputs([file]), config, store, lookups, { now: () => NOW });
    t.ok(summary.parsed >= LINES_PER_FORMAT / 2 && summary.rejected >= LINES_PER_FORMAT / 11, `${format}: ${summary.parsed} parsed, ${summary.rejected} rejected`);
    output += `${renderSummary(summary)}\n${JSON.stringify(summary)}\n`;
  }

  const tables = await (await store.client.query({
    query: 'SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name', query_params: { db: DATABASE }, format: 'JSONEachRow',
  })).json<{ name: string }>();
  let dump = output;
  for (const { name } of tables) {
    dump += `${name}\n${await (await store.client.query({ query: `SELECT * FROM ${DATABASE}.\`${name}\``, format: 'TabSeparated' })).text()}\n`;
  }
  const quarantined = readdirSync(store.quarantineDir).map((f) => readFileSync(join(store.quarantineDir, f), 'utf8')).join('');
  t.ok(quarantined.split('\n').length > Object.keys(LINES).length * 10, 'the quarantine holds the rejected lines of every format');
  dump += quarantined;
  t.ok(dump.includes('site-default') && dump.includes('www.site-example.com') && dump.includes('bigcorp.com'), 'the dump holds the rows');

  const lower = dump.toLowerCase();
  t.same(lower.match(/(?:usr|eml|hst)[a-z]{8}|dom[a-z]{6}\.example/g), null, 'no user name, e-mail or client host name');
  const tokens = (separators: RegExp) => new Set(lower.split(separators));
  const dotted = tokens(/[^0-9.]+/);
  const decimal = tokens(/[^0-9]+/);
  const hexTokens = tokens(/[^0-9a-fx]+/);
  const v6Tokens = tokens(/[^0-9a-f:]+/);
  const leaks: string[] = [];
  for (const n of v4Secrets) {
    const octets = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
    for (const form of [octets.join('.'), [...octets].reverse().join('.')]) if (dotted.has(form)) leaks.push(form);
    if (decimal.has(String(n))) leaks.push(String(n));
    for (const form of [hex(n, 8), `0x${hex(n, 8)}`]) if (hexTokens.has(form)) leaks.push(form);
    if (v6Tokens.has(`::ffff:${hex(n >>> 16, 1)}:${hex(n & 0xffff, 1)}`)) leaks.push(`mapped ${n}`);
  }
  for (const full of v6Secrets) {
    const groups = full.match(/.{4}/g)!;
    const forms = [groups.join(':'), groups.map((g) => parseInt(g, 16).toString(16)).join(':').replace(/(^|:)0:0(:|$)/, '::')];
    for (const form of forms) if (v6Tokens.has(form)) leaks.push(form);
    if (hexTokens.has(full)) leaks.push(full);
  }
  t.same(leaks, [], `none of ${v4Secrets.size} IPv4 and ${v6Secrets.size} IPv6 addresses, in any form`);

  const report = await audit({
    client: store.client, database: DATABASE, quarantineDir: store.quarantineDir, stateDir: store.stateDir,
    policy: { ipv4Prefix: 24, ipv6Prefix: 48, allowKey: compileAllowList(['utm_*']) },
    saltWindowDays: 2, calendar: new SiteCalendar('UTC'), now: () => NOW,
  });
  t.same(report.findings, [], 'audit finds nothing');
});
