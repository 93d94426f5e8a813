import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CompanyLookup } from '../../src/enrich/company.js';
import { GeoLookup, readGeoRecord } from '../../src/enrich/geo.js';
import { openLookups } from '../../src/enrich/lookups.js';
import { PipelineSchema } from '../../src/pipeline/config.js';
import { parseAddress } from '../../src/net/address.js';

// MaxMind's own test databases and the JSON they were built from (../shared/fixtures/maxmind).
const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'maxmind');
const db = (name: string) => join(FIXTURES, 'test-data', `${name}.mmdb`);

type SourceRecord = Record<string, unknown>;

/** Every network of a source JSON file as (address to look up, record it was built from). */
function sourceNetworks(name: string): Array<[string, SourceRecord]> {
  const entries = JSON.parse(readFileSync(join(FIXTURES, 'source-data', `${name}.json`), 'utf8')) as Array<Record<string, SourceRecord>>;
  const out: Array<[string, SourceRecord]> = [];
  for (const entry of entries) {
    for (const [network, record] of Object.entries(entry)) {
      const base = network.slice(0, network.indexOf('/'));
      // `::1.2.3.4/120` is the IPv4 network 1.2.3.0/24 written in the IPv6 tree.
      out.push([base.startsWith('::') && base.includes('.') ? base.slice(2) : base, record]);
    }
  }
  return out;
}

function family(ip: string): 4 | 6 {
  return parseAddress(ip)?.family ?? 4;
}

if (!existsSync(FIXTURES)) {
  t.pass('../shared/fixtures/maxmind is absent: MaxMind layout tests skipped');
} else {
  t.test('GeoIP2-City standard layout: country, first subdivision, city in English, IPv4 and IPv6', async (t) => {
    const geo = await GeoLookup.open({ ipv4: db('GeoIP2-City-Test') });
    t.same(geo.lookup('81.2.69.142', 4), { country: 'GB', region: 'England', city: 'London' });
    t.same(geo.lookup('89.160.20.120', 4), { country: 'SE', region: 'Östergötland County', city: 'Linköping' });
    t.same(geo.lookup('175.16.199.7', 4), { country: 'CN', region: 'Jilin Sheng', city: 'Changchun' });
    t.same(geo.lookup('2001:480:10::1', 6), { country: 'US', region: 'California', city: 'San Diego' });
    t.same(geo.lookup('2a02:d3c0::1', 6), { country: 'GB', region: '', city: '' });
    t.same(geo.lookup('214.1.1.1', 4), { country: '', region: '', city: '' }, 'a record with traits only has no place');
    t.same(geo.lookup('10.0.0.1', 4), { country: '', region: '', city: '' }, 'private addresses are in no database');
  });

  for (const name of ['GeoIP2-City-Test', 'GeoLite2-City-Test', 'GeoLite2-Country-Test']) {
    t.test(`${name}: every network answers what its source JSON says`, async (t) => {
      const geo = await GeoLookup.open({ ipv4: db(name) });
      let checked = 0;
      const wrong: string[] = [];
      for (const [ip, record] of sourceNetworks(name)) {
        const expected = readGeoRecord(record);
        const actual = geo.lookup(ip, family(ip));
        checked++;
        if (JSON.stringify(actual) !== JSON.stringify(expected)) wrong.push(`${ip}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
      }
      t.ok(checked > 200, `${checked} networks checked`);
      t.same(wrong, []);
    });
  }

  t.test('GeoLite2-ASN file: AS number and organisation, IPv4 and IPv6', async (t) => {
    const companies = await CompanyLookup.open({ registry: null, mmdbFile: db('GeoLite2-ASN-Test'), asn: false });
    t.same(companies.lookup('1.128.0.1', 4), { asn: 1221, org: 'Telstra Pty Ltd', domain: '', category: 'isp', source: 'mmdb' });
    t.same(companies.lookup('12.81.92.9', 4), { asn: 7018, org: 'AT&T Services', domain: '', category: 'isp', source: 'mmdb' });
    t.same(companies.lookup('2600::1', 6), { asn: 237, org: 'Merit Network Inc.', domain: '', category: 'education', source: 'mmdb' });
    t.same(companies.lookup('10.0.0.1', 4), { asn: 0, org: '', domain: '', category: '', source: '' });
  });

  t.test('GeoIP2-ISP file: organization is preferred to the AS holder', async (t) => {
    const companies = await CompanyLookup.open({ registry: null, mmdbFile: db('GeoIP2-ISP-Test'), asn: false });
    t.same(companies.lookup('1.128.0.1', 4), { asn: 1221, org: 'Telstra Internet', domain: '', category: 'isp', source: 'mmdb' });
    t.same(companies.lookup('12.0.0.1', 4), { asn: 0, org: 'AT&T Services', domain: '', category: 'isp', source: 'mmdb' });
  });

  t.test('a MaxMind file answers before the public ASN registry, which fills in what it does not know', async (t) => {
    const companies = await CompanyLookup.open({ registry: null, mmdbFile: db('GeoLite2-ASN-Test'), asn: true });
    t.equal(companies.lookup('1.128.0.1', 4).source, 'mmdb');
    const cloudflare = companies.lookup('1.1.1.1', 4);
    t.same([cloudflare.asn, cloudflare.org, cloudflare.source], [13335, 'Cloudflare, Inc.', 'asn']);
  });

  t.test('a database replaced on disk is read by the next run, and reloaded in place when watched', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'siftlog-geo-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'geo.mmdb');
    copyFileSync(db('GeoLite2-Country-Test'), file);
    const config = PipelineSchema.parse({ enrich: { geo: { file }, asn: 'off' } });
    const first = await openLookups(config.enrich, { watch: true });
    t.same(first.geo!.lookup('81.2.69.142', 4), { country: 'GB', region: '', city: '' }, 'a Country file has no region or city');
    // Replace the file the way updaters do: write beside it, then rename over it.
    copyFileSync(db('GeoIP2-City-Test'), join(dir, 'geo.mmdb.new'));
    renameSync(join(dir, 'geo.mmdb.new'), file);
    const next = await openLookups(config.enrich);
    t.same(next.geo!.lookup('81.2.69.142', 4), { country: 'GB', region: 'England', city: 'London' }, 'the next run');
    const deadline = Date.now() + 15_000;
    while (first.geo!.lookup('81.2.69.142', 4).city === '' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    t.same(first.geo!.lookup('81.2.69.142', 4), { country: 'GB', region: 'England', city: 'London' }, 'the watching run, without a restart');
  });
}
