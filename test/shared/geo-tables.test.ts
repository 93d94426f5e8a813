import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Reader } from 'maxmind';
import t from 'tap';
import { compileGeoDatabase, type GeoRecord, readGeoRecord } from '../../src/enrich/geo-compile.js';
import { GeoLookup } from '../../src/enrich/geo.js';
import { groupsToIpv6, intToIpv4 } from '../../src/net/address.js';
import { tempDir } from '../helpers/cli.js';

// MaxMind's own test databases (../shared/fixtures/maxmind): 24- and 28-bit records, IPv4 aliases in the IPv6 tree.
const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'maxmind', 'test-data');

/** Addresses around every range start of the compiled tables, plus a spread over the IPv4 space and a few IPv6 ones. */
function samples(file: string): Array<[string, 4 | 6]> {
  const tables = compileGeoDatabase(file);
  const out: Array<[string, 4 | 6]> = [];
  for (const start of tables.v4Starts) for (const n of [start - 1, start, start + 1]) if (n >= 0) out.push([intToIpv4(n), 4]);
  for (let n = 0; n < 2 ** 32; n += 1_431_655) out.push([intToIpv4(n), 4]);
  const v6 = tables.v6;
  if (v6 !== null) {
    for (let k = 0; k < v6.highs.length; k++) {
      for (let i = v6.highFirst[k]; i < v6.highFirst[k + 1]; i++) {
        const groups = [v6.highs[k] >>> 16, v6.highs[k] & 0xffff, v6.lows[i] >>> 16, v6.lows[i] & 0xffff];
        out.push([groupsToIpv6([...groups, 0, 0, 0, 0]), 6], [groupsToIpv6([...groups, 0, 0, 0, 1]), 6]);
        if (v6.lows[i] > 0) out.push([groupsToIpv6([groups[0], groups[1], (v6.lows[i] - 1) >>> 16, (v6.lows[i] - 1) & 0xffff, 0xffff, 0xffff, 0xffff, 0xffff]), 6]);
      }
    }
    for (const ip of ['::ffff:81.2.69.142', '2002:5102:458e::1', '::81.2.69.142', '::ffff:1.1.1.1']) out.push([ip, 6]);
  }
  return out;
}

if (!existsSync(FIXTURES)) {
  t.pass('../shared/fixtures/maxmind is absent: MaxMind range-table tests skipped');
} else {
  for (const name of ['GeoIP2-City-Test', 'GeoLite2-City-Test', 'GeoLite2-Country-Test', 'GeoIP2-ISP-Test']) {
    t.test(`${name}: the compiled tables answer what maxmind answers, at every range boundary`, async (t) => {
      const file = join(FIXTURES, `${name}.mmdb`);
      const reader = new Reader<GeoRecord>(readFileSync(file));
      const geo = await GeoLookup.open({ ipv4: file }, {}, tempDir(t));
      const wrong: string[] = [];
      const addresses = samples(file);
      for (const [ip, family] of addresses) {
        const expected = readGeoRecord(reader.get(ip));
        const actual = geo.lookup(ip, family);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) wrong.push(`${ip}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
      }
      t.ok(addresses.length > 3000, `${addresses.length} addresses`);
      t.same(wrong, []);
    });
  }
}
