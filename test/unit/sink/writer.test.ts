import { join } from 'node:path';
import t from 'tap';
import type { RowEncoder } from '../../../src/sink/clickhouse/encoder.js';
import { TabSeparatedEncoder, tsv } from '../../../src/sink/clickhouse/encoder.js';
import { DATABASE } from '../../../src/sink/clickhouse/schema.js';
import { Store } from '../../../src/sink/clickhouse/store.js';
import { BatchRefusedError, BatchWriter } from '../../../src/sink/clickhouse/writer.js';
import type { Hit } from '../../../src/enrich/hit.js';
import { tempDir } from '../../helpers/cli.js';

t.test('TabSeparated escaping keeps every character of a value', async (t) => {
  t.equal(tsv('plain /path'), 'plain /path');
  t.equal(tsv('a\tb\nc\\d\re\0f'), 'a\\tb\\nc\\\\d\\re\\0f');
});

/** Encodes rows of a two-column probe table, to drive the writer with text of our choosing. */
class ProbeEncoder implements RowEncoder {
  readonly format = 'TabSeparated' as const;
  readonly columns = ['n', 'text'];
  private readonly inner = new TabSeparatedEncoder(64);
  next = '';
  get rows(): number {
    return this.inner.rows;
  }
  add(): void {
    this.inner.push(this.next);
  }
  take(): Buffer {
    return this.inner.take();
  }
}

t.test('the writer batches, outgrows its buffer, and names the lines of a batch the store refuses', async (t) => {
  const store = await Store.open({ dir: join(tempDir(t), 'store') });
  t.teardown(() => store.close());
  await store.client.command({ query: `CREATE TABLE ${DATABASE}.rows_probe (n UInt32, text String) ENGINE = Memory` });
  // A tiny buffer (64 bytes) and batches of 7 rows force both growth and several inserts.
  const encoder = new ProbeEncoder();
  const writer = new BatchWriter(store, `${DATABASE}.rows_probe`, encoder, { batchRows: 7 });
  const context = { runId: '', inputFingerprint: '' };
  for (let n = 0; n < 50; n++) {
    encoder.next = `${n}\t${tsv(`Zürich — 東京 ${'x'.repeat(n)}\t${n}`)}\n`;
    writer.add({} as Hit, context, 'probe.log', n + 1);
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

  for (let n = 0; n < 3; n++) {
    encoder.next = n === 1 ? 'not a number\tx\n' : `${n}\tok\n`;
    writer.add({} as Hit, context, n === 2 ? 'other.log' : 'probe.log', 100 + n);
  }
  const failure = await writer.finish().then(() => null, (err: unknown) => err);
  t.ok(failure instanceof BatchRefusedError);
  t.same((failure as BatchRefusedError).ranges, [{ input: 'probe.log', first: 100, last: 101 }, { input: 'other.log', first: 102, last: 102 }]);
  t.match((failure as Error).message, /^could not stage the rows of probe\.log lines 100–101, other\.log lines 102–102: .*Cannot parse/);
});
