import { join } from 'node:path';
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ReferrerClassifier } from '../../../src/enrich/referrer.js';
import type { Hit } from '../../../src/enrich/hit.js';
import { emptyRawHit } from '../../../src/formats/types.js';
import { DEFAULT_PRIVACY, PrivacyBoundary } from '../../../src/privacy/boundary.js';
import { SaltStore } from '../../../src/privacy/salt.js';
import { REQUEST_COLUMNS, refusalOf } from '../../../src/sink/clickhouse/columns.js';
import { NativeEncoder, type RowEncoder, TabSeparatedEncoder } from '../../../src/sink/clickhouse/encoder.js';
import { DATABASE } from '../../../src/sink/clickhouse/schema.js';
import { Staging } from '../../../src/sink/clickhouse/staging.js';
import { Store } from '../../../src/sink/clickhouse/store.js';
import { tempDir } from '../../helpers/cli.js';

const saltDir = mkdtempSync(join(tmpdir(), 'siftlog-columns-'));
t.teardown(() => rmSync(saltDir, { recursive: true, force: true }));
const salts = new SaltStore(saltDir, 2);
const boundary = new PrivacyBoundary({ ...DEFAULT_PRIVACY, site: 'www.example.com' }, salts, {
  geo: null, company: null, referrers: new ReferrerClassifier(), campaigns: true,
});
/** A request across the boundary whose text columns hold characters to escape and multi-byte ones. */
const crossed = boundary.cross({
  ...emptyRawHit(), time: Date.UTC(2024, 2, 1, 10, 0, 5), clientAddress: '198.51.100.7', method: 'GET',
  target: '/a\tb\\c/Zürich?utm_source=news&utm_medium=email&utm_campaign=spring', protocol: 'HTTP/1.1', status: 404, bytes: 2 ** 40,
  referrer: 'https://www.google.com/search?q=east+%E2%80%94+%E6%9D%B1%E4%BA%AC', userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
});

/** The hit, with some numbers changed. */
function sampleHit(changes: { time?: number; status?: number; bytes?: number; asn?: number } = {}): Hit {
  return {
    anon: { ...crossed, ...changes }, isPage: true, isEntry: true,
    client: {
      browser: 'Firefox', browserVersion: '120', os: 'Linux', osVersion: '', deviceType: 'desktop', clientClass: 'browser', isBot: false,
      botName: '', isPerson: true,
    },
  };
}

const ROW = { runId: '6f1c2a34-9b7e-4c1d-8e2f-0a1b2c3d4e5f', inputFingerprint: 'fp-of-input' };

t.test('requests after every migration has exactly the columns of the column table, in its order and types', async (t) => {
  const store = await Store.open({ dir: join(tempDir(t), 'store') });
  t.teardown(() => store.close());
  await store.migrate();
  const columns = await (await store.client.query({
    query: `SELECT name, type FROM system.columns WHERE database = '${DATABASE}' AND table = 'requests' ORDER BY position`, format: 'JSONEachRow',
  })).json<{ name: string; type: string }>();
  t.same(columns, REQUEST_COLUMNS.map((c) => ({ name: c.name, type: c.type })));

  for (const encoder of [new TabSeparatedEncoder(), new NativeEncoder()] as RowEncoder[]) {
    t.test(`a hit encoded as ${encoder.format} and staged comes back as each column's value`, async (t) => {
      const staging = await Staging.create(store.client, ROW.runId);
      t.teardown(() => staging.drop());
      const hit = sampleHit();
      encoder.add(hit, ROW);
      const table = encoder.format === 'Native' ? staging.requests : staging.tabSeparatedInput;
      await store.insertEncoded(table, encoder.columns, encoder.format, encoder.take());
      const [stored] = await (await store.client.query({
        query: `SELECT ${REQUEST_COLUMNS.map((c) => `toString(${c.name}) AS ${c.name}`).join(', ')} FROM ${staging.requests}`,
        format: 'JSONEachRow',
      })).json<Record<string, string>>();
      const expected = Object.fromEntries(REQUEST_COLUMNS.map((c) => {
        const value = c.value(hit, ROW);
        return [c.name, c.name === 'ts' ? '2024-03-01 10:00:05' : value === null ? null : String(value)];
      }));
      t.same(stored, expected);
    });
  }
});

t.test('a value outside what its column holds is refused before encoding, by reason', async (t) => {
  t.equal(refusalOf(sampleHit(), ROW), null);
  t.equal(refusalOf(sampleHit({ time: Date.UTC(1969, 11, 31, 23, 59, 59) }), ROW), 'time_out_of_range', 'before 1970');
  t.equal(refusalOf(sampleHit({ time: Date.UTC(1970, 0, 1) }), ROW), null, 'the first second DateTime holds');
  t.equal(refusalOf(sampleHit({ time: Date.UTC(2106, 1, 7, 6, 28, 15) }), ROW), null, 'the last second DateTime holds');
  t.equal(refusalOf(sampleHit({ time: Date.UTC(2106, 1, 7, 6, 28, 16) }), ROW), 'time_out_of_range', 'one second later');
  t.equal(refusalOf(sampleHit({ time: Date.UTC(2286, 0, 1) }), ROW), 'time_out_of_range', 'once stored as 2106-02-07');
  t.equal(refusalOf(sampleHit({ time: Date.UTC(2915, 0, 1) }), ROW), 'time_out_of_range', 'once a refused batch');
  t.equal(refusalOf(sampleHit({ time: Number.NaN }), ROW), 'time_out_of_range');
  t.equal(refusalOf(sampleHit({ status: 65536 }), ROW), 'value_out_of_range', 'status past UInt16');
  t.equal(refusalOf(sampleHit({ bytes: 2 ** 53 }), ROW), 'value_out_of_range', 'a size JavaScript cannot hold exactly');
  t.equal(refusalOf(sampleHit({ bytes: -1 }), ROW), 'value_out_of_range');
  t.equal(refusalOf(sampleHit({ asn: 2 ** 32 }), ROW), 'value_out_of_range', 'ASN past UInt32');
});
