import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { AsnLookup, ipv6Upper64 } from '../../../src/enrich/asn.js';
import { ipv4ToInt, ipv6ToGroups } from '../../../src/net/address.js';
import { tempDir } from '../../helpers/cli.js';

/** A registry folder as @ip-location-db/asn lays it out, with rows of our choosing. */
function registry(dir: string, v4Rows: string, v6Rows: string): void {
  writeFileSync(join(dir, 'asn-ipv4-num.csv'), v4Rows);
  writeFileSync(join(dir, 'asn-ipv6-num.csv'), v6Rows);
}
const V4 = [
  `${ipv4ToInt('1.0.0.0')},${ipv4ToInt('1.0.0.255')},13335,"Cloudflare, Inc."`,
  `${ipv4ToInt('5.0.0.0')},${ipv4ToInt('5.255.255.255')},3320,Deutsche Telekom AG — Zürich`,
  `${ipv4ToInt('255.255.255.0')},${ipv4ToInt('255.255.255.255')},64512,Last`,
].join('\n');
const V6_START = BigInt('0x20014860000000000000000000000000');
const V6 = `${V6_START},${V6_START + (1n << 96n) - 1n},15169,Google LLC\n`;

const answers = (asn: AsnLookup) => [
  asn.lookupV4(ipv4ToInt('1.0.0.7')), asn.lookupV4(ipv4ToInt('5.6.7.8')), asn.lookupV4(ipv4ToInt('255.255.255.255')),
  asn.lookupV4(ipv4ToInt('9.9.9.9')), asn.lookupV6(ipv6Upper64(ipv6ToGroups('2001:4860:4860::8888'))),
];
const EXPECTED = [
  { asn: 13335, org: 'Cloudflare, Inc.' }, { asn: 3320, org: 'Deutsche Telekom AG — Zürich' }, { asn: 64512, org: 'Last' },
  { asn: 0, org: '' }, { asn: 15169, org: 'Google LLC' },
];

t.test('the registry is compiled into the cache once and read from it afterwards, with the same answers', async (t) => {
  const dir = tempDir(t);
  const cache = join(dir, 'cache');
  registry(dir, V4, V6);
  // Whole seconds: a time set again later is then exactly the same (fractions of a millisecond are not).
  const v4 = join(dir, 'asn-ipv4-num.csv');
  const mtime = new Date(Date.UTC(2026, 0, 1));
  utimesSync(v4, mtime, mtime);
  t.same(answers(await AsnLookup.open(dir, cache)), EXPECTED, 'parsed from the CSV');
  t.same(readdirSync(cache).length, 2, 'both tables compiled (IPv6 at its first lookup)');
  t.same(answers(await AsnLookup.open(dir, cache)), EXPECTED, 'read from the cache');

  // Same size and time, other rows: still the cached answers, so the second open read the cache.
  writeFileSync(v4, V4.replace('13335,"Cloudflare, Inc."', '99999,"Cloudflare, Xyz."'));
  utimesSync(v4, mtime, mtime);
  t.same((await AsnLookup.open(dir, cache)).lookupV4(ipv4ToInt('1.0.0.7')), { asn: 13335, org: 'Cloudflare, Inc.' });

  // A CSV changed on disk (another time): compiled again, the old compilation removed.
  utimesSync(v4, mtime, new Date(mtime.getTime() + 60_000));
  t.same((await AsnLookup.open(dir, cache)).lookupV4(ipv4ToInt('1.0.0.7')), { asn: 99999, org: 'Cloudflare, Xyz.' });
  t.equal(readdirSync(cache).filter((f) => f.startsWith('asn-ipv4-num-')).length, 1);
});

t.test('a cache folder that cannot be made, or none, still answers from the CSV', async (t) => {
  const dir = tempDir(t);
  registry(dir, V4, V6);
  writeFileSync(join(dir, 'not-a-folder'), '');
  t.same(answers(await AsnLookup.open(dir, join(dir, 'not-a-folder', 'cache'))), EXPECTED);
  t.same(answers(await AsnLookup.open(dir, null)), EXPECTED);
  t.same(readdirSync(dir).sort(), ['asn-ipv4-num.csv', 'asn-ipv6-num.csv', 'not-a-folder']);
});
