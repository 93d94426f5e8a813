import { readdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Reader } from 'maxmind';
import t from 'tap';
import { defaultCacheDir } from '../../../src/enrich/asn-cache.js';
import { cachedGeoTables, decodeGeoTables, encodeGeoTables } from '../../../src/enrich/geo-cache.js';
import { compileGeoDatabase, type GeoRecord, readGeoRecord } from '../../../src/enrich/geo-compile.js';
import { embeddedGeoFiles, GeoLookup } from '../../../src/enrich/geo.js';
import { stringAt } from '../../../src/enrich/geo-tables.js';
import { groupsToIpv6, intToIpv4 } from '../../../src/net/address.js';
import { tempDir } from '../../helpers/cli.js';
import { MmdbWriter } from '../../support/mmdb-writer.js';

const city = (country: string, region: string, name: string) => ({
  country: { iso_code: country }, subdivisions: [{ names: { en: region } }], city: { names: { en: name } },
});
const AU = { country: { iso_code: 'AU' } };

/** A MaxMind-layout IPv6 database: IPv4 networks under ::/96, aliased at ::ffff:0:0/96 and 2002::/16, and a /64 split by a /120. */
function maxmindLayout(recordSize: 24 | 28 | 32): Buffer {
  return new MmdbWriter(6, recordSize)
    .insert('1.0.0.0/8', AU)
    // The same place twice in neighbouring networks (other records: another postal code, say): one range.
    .insert('1.2.0.0/24', { ...city('AU', 'Queensland', 'Brisbane'), postal: { code: '4000' } })
    .insert('1.2.1.0/24', { ...city('AU', 'Queensland', 'Brisbane'), postal: { code: '4001' } })
    .insert('81.2.69.0/24', city('GB', 'England', 'London'))
    .insert('81.2.69.128/26', city('GB', 'England', 'Reading'))
    .insert('200.0.0.0/8', { registered_country: { iso_code: 'BR' } })
    .insert('214.0.0.0/8', { traits: { is_anycast: 1 } })
    .insert('2001:db8::/32', city('US', 'California', 'San Diego'))
    .insert('2001:db8:1::/48', { country: { iso_code: 'DE' } })
    .insert('2001:db8:2:3::/64', city('FR', 'Île-de-France', 'Paris'))
    .insert('2001:db8:2:3::100/120', city('FR', 'Auvergne-Rhône-Alpes', 'Lyon'))
    .aliasToIpv4('::ffff:0:0/96')
    .aliasToIpv4('2002::/16')
    .build();
}

/** ip-location-db's layout: an IPv4 file of flat records. */
function flatLayout(recordSize: 24 | 28 | 32): Buffer {
  return new MmdbWriter(4, recordSize)
    .insert('5.0.0.0/8', { country_code: 'DE', state1: 'Berlin', city: 'Berlin', latitude: 52 })
    .insert('5.1.0.0/16', { country_code: 'DE', state1: 'Bavaria', city: 'Munich' })
    .insert('255.255.255.255/32', { country_code: 'ZZ' })
    .build();
}

/** What maxmind's own lookup answers for an address (today's reading of the file). */
function reference(db: Buffer): (ip: string) => ReturnType<typeof readGeoRecord> {
  const reader = new Reader<GeoRecord>(db);
  return (ip) => readGeoRecord(reader.get(ip));
}

t.test('compiled tables answer what maxmind answers, at every range boundary and between', async (t) => {
  for (const recordSize of [24, 28, 32] as const) {
    const dir = tempDir(t);
    const db = maxmindLayout(recordSize);
    writeFileSync(join(dir, 'city.mmdb'), db);
    const geo = await GeoLookup.open({ ipv4: join(dir, 'city.mmdb') }, {}, null);
    const expected = reference(db);
    const tables = compileGeoDatabase(join(dir, 'city.mmdb'));
    const v4: string[] = [];
    for (const start of tables.v4Starts) for (const n of [start - 1, start, start + 1, start + 200]) if (n >= 0 && n < 2 ** 32) v4.push(intToIpv4(n));
    const v6 = ['::', '::1', '::1.2.0.9', '::ffff:1.2.1.255', '::ffff:81.2.69.130', '2002:5102:4580::1', '2002:d600:1::',
      '2001:db8::', '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff', '2001:db8:1:ffff::1', '2001:db8:2:3::ff', '2001:db8:2:3::100',
      '2001:db8:2:3::1ff', '2001:db8:2:3::200', '2001:db8:2:4::', '2001:db9::', 'ffff::1'];
    const wrong: string[] = [];
    for (const ip of v4) if (JSON.stringify(geo.lookup(ip, 4)) !== JSON.stringify(expected(ip))) wrong.push(ip);
    for (const ip of v6) if (JSON.stringify(geo.lookup(ip, 6)) !== JSON.stringify(expected(ip))) wrong.push(ip);
    t.same(wrong, [], `${recordSize}-bit records: ${v4.length + v6.length} addresses`);
    t.same(geo.lookup('81.2.69.12', 4), { country: 'GB', region: 'England', city: 'London' });
    t.same(geo.lookup('81.2.69.130', 4), { country: 'GB', region: 'England', city: 'Reading' });
    t.same(geo.lookup('2002:5102:4582::', 6), { country: 'GB', region: 'England', city: 'Reading' }, '6to4 answers as its IPv4 address');
    t.same(geo.lookup('::ffff:200.1.2.3', 6), { country: 'BR', region: '', city: '' }, 'registered_country when no country');
    t.same(geo.lookup('214.1.1.1', 4), { country: '', region: '', city: '' }, 'a record without a place');
    t.same(geo.lookup('2001:db8:2:3::150', 6), { country: 'FR', region: 'Auvergne-Rhône-Alpes', city: 'Lyon' }, 'a range inside a /64');
    t.same(geo.lookup('2001:db8:2:3::250', 6), { country: 'FR', region: 'Île-de-France', city: 'Paris' });
  }
});

t.test('neighbouring networks of one place are one range; the IPv4 subtree is stored once', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'city.mmdb'), maxmindLayout(28));
  const tables = compileGeoDatabase(join(dir, 'city.mmdb'));
  t.same(Array.from(tables.v4Starts, intToIpv4), [
    '0.0.0.0', '1.0.0.0', '1.2.0.0', '1.2.2.0', '2.0.0.0', '81.2.69.0', '81.2.69.128', '81.2.69.192', '81.2.70.0',
    '200.0.0.0', '201.0.0.0',
  ]);
  t.same(Array.from(tables.stringEnds, (_, s) => stringAt(tables, s)), ['', 'AU', 'Queensland', 'Brisbane', 'GB', 'England', 'London', 'Reading', 'BR', 'US', 'California',
    'San Diego', 'DE', 'FR', 'Île-de-France', 'Paris', 'Auvergne-Rhône-Alpes', 'Lyon']);
  const fine = tables.v6!.fineStarts;
  const fineStarts = Array.from({ length: fine.length / 4 }, (_, i) => groupsToIpv6(Array.from(fine.subarray(4 * i, 4 * i + 4)).flatMap((w) => [w >>> 16, w & 0xffff])));
  t.same(fineStarts, ['::', '::1:0:0', '::ffff:0:0', '::1:0:0:0', '2001:db8:2:3::', '2001:db8:2:3::100', '2001:db8:2:3::200'],
    'the /64s that ranges split: ::/64 by the two IPv4 aliases, and one by a /120');
  t.ok(tables.v6!.places.length < 20, `${tables.v6!.places.length} IPv6 ranges: the aliased IPv4 subtree is not copied`);
});

t.test('an IPv4 file of flat records answers IPv4 only', async (t) => {
  const dir = tempDir(t);
  for (const recordSize of [24, 32] as const) {
    writeFileSync(join(dir, 'ipv4.mmdb'), flatLayout(recordSize));
    const geo = await GeoLookup.open({ ipv4: join(dir, 'ipv4.mmdb') }, {}, null);
    t.same(geo.lookup('5.1.2.3', 4), { country: 'DE', region: 'Bavaria', city: 'Munich' });
    t.same(geo.lookup('5.2.0.0', 4), { country: 'DE', region: 'Berlin', city: 'Berlin' });
    t.same(geo.lookup('255.255.255.255', 4), { country: 'ZZ', region: '', city: '' }, 'the last address');
    t.same(geo.lookup('4.255.255.255', 4), { country: '', region: '', city: '' });
    t.same(geo.lookup('2001:db8::1', 6), { country: '', region: '', city: '' }, 'no IPv6 answers from an IPv4 file');
  }
});

t.test('a database is compiled into the cache once, read from it afterwards, and compiled again when replaced', async (t) => {
  const dir = tempDir(t);
  const cache = join(dir, 'cache');
  const file = join(dir, 'city.mmdb');
  writeFileSync(file, maxmindLayout(28));
  const mtime = new Date(Date.UTC(2026, 0, 1));
  utimesSync(file, mtime, mtime);
  const first = await GeoLookup.open({ ipv4: file }, {}, cache);
  t.same(readdirSync(cache).length, 1);
  t.same(first.lookup('81.2.69.12', 4), { country: 'GB', region: 'England', city: 'London' });
  // Same size and time, other bytes (no longer an mmdb at all): the cache answers, so the file was not read.
  writeFileSync(file, Buffer.alloc(maxmindLayout(28).length));
  utimesSync(file, mtime, mtime);
  const cached = await GeoLookup.open({ ipv4: file }, {}, cache);
  t.same(cached.lookup('2001:db8:2:3::150', 6), { country: 'FR', region: 'Auvergne-Rhône-Alpes', city: 'Lyon' });
  // Replaced (another time): compiled again, the old compilation removed.
  writeFileSync(file, flatLayout(28));
  const replaced = await GeoLookup.open({ ipv4: file }, {}, cache);
  t.same(replaced.lookup('5.1.2.3', 4), { country: 'DE', region: 'Bavaria', city: 'Munich' });
  t.equal(readdirSync(cache).length, 1);
  t.same(decodeGeoTables(encodeGeoTables(compileGeoDatabase(file))), compileGeoDatabase(file), 'the cache layout round-trips');
});

t.test('a cache folder that cannot be made still answers, from the file', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'not-a-folder'), '');
  writeFileSync(join(dir, 'ipv4.mmdb'), flatLayout(28));
  const geo = await GeoLookup.open({ ipv4: join(dir, 'ipv4.mmdb') }, {}, join(dir, 'not-a-folder', 'cache'));
  t.same(geo.lookup('5.1.2.3', 4), { country: 'DE', region: 'Bavaria', city: 'Munich' });
  t.same(readdirSync(dir).sort(), ['ipv4.mmdb', 'not-a-folder']);
});

t.test('a file that is missing or not an mmdb is named with what to do', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'text.mmdb'), 'hello');
  await t.rejects(GeoLookup.open({ ipv4: join(dir, 'missing.mmdb') }, {}, join(dir, 'cache')),
    { message: `${join(dir, 'missing.mmdb')}: geo database: cannot read it (ENOENT)` });
  await t.rejects(GeoLookup.open({ ipv4: join(dir, 'text.mmdb') }, {}, join(dir, 'cache')),
    { message: new RegExp(`^${join(dir, 'text.mmdb')}: geo database: not a MaxMind DB file \\(`) });
});

t.test('a watched database replaced on disk is compiled again and answers without a restart', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'geo.mmdb');
  writeFileSync(file, flatLayout(28));
  const geo = await GeoLookup.open({ ipv4: file }, { watch: true }, join(dir, 'cache'));
  t.same(geo.lookup('5.1.2.3', 4).city, 'Munich');
  writeFileSync(join(dir, 'geo.mmdb.new'), maxmindLayout(28));
  renameSync(join(dir, 'geo.mmdb.new'), file);
  const deadline = Date.now() + 15_000;
  while (geo.lookup('81.2.69.12', 4).city === '' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  t.same(geo.lookup('81.2.69.12', 4), { country: 'GB', region: 'England', city: 'London' });
  t.same(geo.lookup('2001:db8:2:3::150', 6).city, 'Lyon', 'the IPv6 tables of a single file follow it');
});

t.test('the embedded DB-IP files: compiled tables answer what maxmind answers across the address space', async (t) => {
  const files = embeddedGeoFiles();
  const geo = await GeoLookup.open(files);
  const wrong: string[] = [];
  let checked = 0;
  for (const [file, family] of [[files.ipv4, 4], [files.ipv6, 6]] as const) {
    const db = readFileSync(file);
    const expected = reference(db);
    // The tables GeoLookup reads (compiled by it, or here for the IPv6 file it reads at its first IPv6 address).
    const tables = cachedGeoTables(file, defaultCacheDir());
    const addresses: string[] = [];
    // Deterministic samples: every range boundary of a stride through the table, and a spread over the space.
    if (family === 4) {
      const step = Math.floor(tables.v4Starts.length / 1500);
      for (let i = 1; i < tables.v4Starts.length; i += step) addresses.push(intToIpv4(tables.v4Starts[i] - 1), intToIpv4(tables.v4Starts[i]));
      for (let n = 0; n < 2 ** 32; n += 2_654_435) addresses.push(intToIpv4(n));
    } else {
      const { highs, highFirst, lows } = tables.v6!;
      const hex = (words: number[]) => words.flatMap((w) => [w >>> 16, w & 0xffff]).map((g) => g.toString(16)).join(':');
      for (let k = 0; k < highs.length; k += Math.ceil(highs.length / 700)) {
        // The first and a middle range of each sampled group: their first addresses, one inside, the one before.
        for (const i of [highFirst[k], highFirst[k] + Math.floor((highFirst[k + 1] - highFirst[k]) / 2)]) {
          addresses.push(`${hex([highs[k], lows[i]])}::`, `${hex([highs[k], lows[i]])}::ffff`);
          if (lows[i] > 0) addresses.push(`${hex([highs[k], lows[i] - 1])}:ffff:ffff:ffff:ffff`);
        }
      }
      const fine = tables.v6!.fineStarts;
      for (let i = 0; i < fine.length && i < 2000; i += 4) addresses.push(groupsToIpv6(Array.from(fine.subarray(i, i + 4)).flatMap((w) => [w >>> 16, w & 0xffff])));
    }
    for (const ip of addresses) {
      checked++;
      if (JSON.stringify(geo.lookup(ip, family)) !== JSON.stringify(expected(ip))) wrong.push(ip);
    }
  }
  t.ok(checked > 5000, `${checked} addresses`);
  t.same(wrong.slice(0, 10), []);
});
