import { join } from 'node:path';
import t from 'tap';
import { DATABASE } from '../../../src/sink/clickhouse/schema.js';
import { Store } from '../../../src/sink/clickhouse/store.js';
import { RequestWriter, tsv } from '../../../src/sink/clickhouse/writer.js';
import { tempDir } from '../../helpers/cli.js';

t.test('TabSeparated escaping keeps every character of a value', async (t) => {
  t.equal(tsv('plain /path'), 'plain /path');
  t.equal(tsv('a\tb\nc\\d\re\0f'), 'a\\tb\\nc\\\\d\\re\\0f');
});

t.test('rows outgrow the batch buffer and several batches: every row arrives once, multi-byte text intact', async (t) => {
  const store = await Store.open({ dir: join(tempDir(t), 'store') });
  t.teardown(() => store.close());
  await store.client.command({ query: `CREATE TABLE ${DATABASE}.rows_probe (n UInt32, text String) ENGINE = Memory` });
  // A tiny buffer (64 bytes) and batches of 7 rows force both growth and several inserts.
  const writer = new RequestWriter(store, { table: `${DATABASE}.rows_probe`, columns: ['n', 'text'], batchRows: 7, initialBytes: 64 });
  for (let n = 0; n < 50; n++) {
    writer.push(`${n}\t${tsv(`Zürich — 東京 ${'x'.repeat(n)}\t${n}`)}\n`);
    await writer.drain();
  }
  await writer.finish();
  t.equal(writer.rowsWritten, 50);
  const result = await (await store.client.query({
    query: `SELECT count() AS c, sum(n) AS s, countIf(text LIKE 'Zürich — 東京 %') AS intact,
      countIf(endsWith(text, concat('\t', toString(n)))) AS tabs FROM ${DATABASE}.rows_probe`,
    format: 'JSONEachRow',
  })).json();
  t.same(result, [{ c: '50', s: String((49 * 50) / 2), intact: '50', tabs: '50' }]);
});
