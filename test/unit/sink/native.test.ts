import { join } from 'node:path';
import t from 'tap';
import type { Hit } from '../../../src/enrich/hit.js';
import type { RequestColumn } from '../../../src/sink/clickhouse/columns.js';
import { encoderFor, NativeEncoder, TabSeparatedEncoder } from '../../../src/sink/clickhouse/encoder.js';
import { columnBuilder, decimalTo64, UnsupportedTypeError } from '../../../src/sink/clickhouse/native.js';
import { DATABASE } from '../../../src/sink/clickhouse/schema.js';
import { Store } from '../../../src/sink/clickhouse/store.js';
import { tempDir } from '../../helpers/cli.js';

type Value = string | number | null;

/** A column table over plain records: each "hit" is a record of the row's values by column name. */
function table(columns: ReadonlyArray<[string, string]>): RequestColumn[] {
  return columns.map(([name, type]) => ({ name, type, value: (h: Hit) => (h as unknown as Record<string, Value>)[name] as string | number }));
}
const asHit = (values: Record<string, Value>): Hit => values as unknown as Hit;
const CONTEXT = { runId: '', inputFingerprint: '' };

/** Every type a Native column builder writes, with the values at the edges of what each holds. */
const TYPES: ReadonlyArray<[string, string]> = [
  ['u8', 'UInt8'], ['u16', 'UInt16'], ['u32', 'UInt32'], ['u64', 'UInt64'],
  ['i8', 'Int8'], ['i16', 'Int16'], ['i32', 'Int32'], ['i64', 'Int64'],
  ['f32', 'Float32'], ['f64', 'Float64'], ['t', "DateTime('UTC')"], ['t_plain', 'DateTime'],
  ['s', 'String'], ['lc', 'LowCardinality(String)'], ['id', 'UUID'],
  ['n_f32', 'Nullable(Float32)'], ['n_s', 'Nullable(String)'], ['n_u64', 'Nullable(UInt64)'],
];
const LONG = `${'Zürich — 東京 '.repeat(20)}end`;
const ROWS: ReadonlyArray<Record<string, Value>> = [
  {
    u8: 0, u16: 0, u32: 0, u64: 0, i8: -128, i16: -32768, i32: -2147483648, i64: '-9223372036854775808', f32: 1.5, f64: -0.1,
    t: 0, t_plain: 0, s: '', lc: '', id: '', n_f32: null, n_s: null, n_u64: null,
  },
  {
    u8: 255, u16: 65535, u32: 4294967295, u64: '18446744073709551615', i8: 127, i16: 32767, i32: 2147483647, i64: '9223372036854775807',
    f32: 2.5, f64: 1e300, t: 4294967295, t_plain: 1709287205, s: 'a\tb\nc\\d\0e', lc: 'Zürich', id: '61f0c404-5cb3-11e7-907b-a6006ad3dba0',
    n_f32: 2.5, n_s: '東京', n_u64: '12345678901234567890',
  },
  {
    u8: 7, u16: 300, u32: 70000, u64: Number.MAX_SAFE_INTEGER, i8: -1, i16: -1, i32: -1, i64: -1, f32: 0, f64: 0,
    t: 1709287205, t_plain: 1, s: LONG, lc: LONG, id: '6F1C2A34-9B7E-4C1D-8E2F-0A1B2C3D4E5F', n_f32: -0.25, n_s: '', n_u64: 0,
  },
  {
    u8: 1, u16: 1, u32: 1, u64: 2 ** 32, i8: 0, i16: 0, i32: 0, i64: -(2 ** 53) + 1, f32: -3, f64: 3.25,
    t: 1, t_plain: 2, s: 'x', lc: 'Zürich', id: '', n_f32: null, n_s: 'x', n_u64: 2 ** 32 + 1,
  },
];
/** What ClickHouse's toString() gives back for each row (the engine's own reading of the values). */
const EXPECTED: ReadonlyArray<Record<string, string | null>> = [
  {
    u8: '0', u16: '0', u32: '0', u64: '0', i8: '-128', i16: '-32768', i32: '-2147483648', i64: '-9223372036854775808', f32: '1.5', f64: '-0.1',
    t: '1970-01-01 00:00:00', t_plain: '0', s: '', lc: '', id: '00000000-0000-0000-0000-000000000000', n_f32: null, n_s: null, n_u64: null,
  },
  {
    u8: '255', u16: '65535', u32: '4294967295', u64: '18446744073709551615', i8: '127', i16: '32767', i32: '2147483647',
    i64: '9223372036854775807', f32: '2.5', f64: '1e300', t: '2106-02-07 06:28:15', t_plain: '1709287205', s: 'a\tb\nc\\d\0e', lc: 'Zürich',
    id: '61f0c404-5cb3-11e7-907b-a6006ad3dba0', n_f32: '2.5', n_s: '東京', n_u64: '12345678901234567890',
  },
  {
    u8: '7', u16: '300', u32: '70000', u64: '9007199254740991', i8: '-1', i16: '-1', i32: '-1', i64: '-1', f32: '0', f64: '0',
    t: '2024-03-01 10:00:05', t_plain: '1', s: LONG, lc: LONG, id: '6f1c2a34-9b7e-4c1d-8e2f-0a1b2c3d4e5f', n_f32: '-0.25', n_s: '', n_u64: '0',
  },
  {
    u8: '1', u16: '1', u32: '1', u64: '4294967296', i8: '0', i16: '0', i32: '0', i64: '-9007199254740991', f32: '-3', f64: '3.25',
    t: '1970-01-01 00:00:01', t_plain: '2', s: 'x', lc: 'Zürich', id: '00000000-0000-0000-0000-000000000000', n_f32: null, n_s: 'x',
    n_u64: '4294967297',
  },
];

// One engine for the file (it binds one data folder per process).
const store = await Store.open({ dir: join(tempDir(t), 'store') });
t.teardown(() => store.close());
await store.client.command({ query: `CREATE DATABASE IF NOT EXISTS ${DATABASE}` });

async function readBack(name: string, columns: ReadonlyArray<[string, string]>, order: string): Promise<Record<string, string | null>[]> {
  // A DateTime without a zone reads as the engine's local time: compared as its seconds.
  const select = columns.map(([c, type]) => `${type === 'DateTime' ? `toString(toUInt32(${c}))` : `toString(${c})`} AS ${c}`);
  return (await store.client.query({ query: `SELECT ${select.join(', ')} FROM ${DATABASE}.${name} ORDER BY ${order}`, format: 'JSONEachRow' }))
    .json<Record<string, string | null>>();
}

t.test('every type the Native encoder writes comes back from the engine as the value encoded, at the edges of each type', async (t) => {
  const columns = [['row', 'UInt32'] as [string, string], ...TYPES];
  await store.client.command({ query: `CREATE TABLE ${DATABASE}.native_types (${columns.map(([n, ty]) => `${n} ${ty}`).join(', ')}) ENGINE = MergeTree ORDER BY row` });
  const encoder = new NativeEncoder(table(columns));
  // Two batches: the second starts from empty builders and a fresh dictionary.
  for (const [i, row] of ROWS.entries()) {
    encoder.add(asHit({ row: i, ...row }), CONTEXT);
    if (i === 1) await store.insertEncoded(`${DATABASE}.native_types`, encoder.columns, encoder.format, encoder.take());
  }
  t.equal(encoder.rows, 2);
  await store.insertEncoded(`${DATABASE}.native_types`, encoder.columns, encoder.format, encoder.take());
  t.equal(encoder.rows, 0, 'take() starts the next batch');
  const stored = await readBack('native_types', TYPES, 'row');
  t.same(stored, EXPECTED);
  for (const [i, row] of stored.entries()) t.strictSame(row, EXPECTED[i], `row ${i}`);
});

t.test('a LowCardinality dictionary past 256 and past 65,536 values is indexed with 2 and 4 bytes a row', async (t) => {
  await store.client.command({ query: `CREATE TABLE ${DATABASE}.native_dict (n UInt32, v LowCardinality(String)) ENGINE = MergeTree ORDER BY n` });
  const encoder = new NativeEncoder(table([['n', 'UInt32'], ['v', 'LowCardinality(String)']]));
  let n = 0;
  for (const distinct of [300, 70_000]) {
    for (let i = 0; i < distinct + 5; i++) encoder.add(asHit({ n: n++, v: i < distinct ? `value ${i} ü` : 'value 3 ü' }), CONTEXT);
    await store.insertEncoded(`${DATABASE}.native_dict`, encoder.columns, encoder.format, encoder.take());
  }
  const [summary] = await (await store.client.query({
    query: `SELECT count() AS rows, uniqExact(v) AS distinct, countIf(v = 'value 3 ü') AS threes, countIf(v = concat('value ', toString(n), ' ü')) AS own,
            countIf(n >= 305 AND v = concat('value ', toString(n - 305), ' ü')) AS own_second FROM ${DATABASE}.native_dict`,
    format: 'JSONEachRow',
  })).json<Record<string, number>>();
  t.same(summary, { rows: 70_310, distinct: 70_000, threes: 12, own: 300, own_second: 70_000 });
});

t.test('Array columns (offsets, then the flattened values) come back from the engine as the lists encoded, empty ones included', async (t) => {
  const columns: Array<[string, string]> = [['n', 'UInt32'], ['s', 'Array(String)'], ['lc', 'Array(LowCardinality(String))'], ['u', 'Array(UInt32)']];
  await store.client.command({ query: `CREATE TABLE ${DATABASE}.native_arrays (${columns.map(([n, ty]) => `${n} ${ty}`).join(', ')}) ENGINE = MergeTree ORDER BY n` });
  const encoder = new NativeEncoder(table(columns));
  const batches: ReadonlyArray<ReadonlyArray<Record<string, Value | readonly (string | number)[]>>> = [
    // Every list empty: a LowCardinality column nested in an Array then writes its keys version and nothing else.
    [{ n: 0, s: [], lc: [], u: [] }, { n: 1, s: [], lc: [], u: [] }],
    [
      { n: 2, s: ['a', '', 'Zürich'], lc: ['signup', 'welcome'], u: [0, 4294967295] },
      { n: 3, s: [], lc: [], u: [] },
      { n: 4, s: [LONG], lc: ['welcome', '', '東京', 'welcome'], u: [7] },
      { n: 5, s: ['x'], lc: [], u: [] },
    ],
  ];
  for (const batch of batches) {
    for (const row of batch) encoder.add(row as unknown as Hit, CONTEXT);
    await store.insertEncoded(`${DATABASE}.native_arrays`, encoder.columns, encoder.format, encoder.take());
  }
  const stored = await (await store.client.query({ query: `SELECT n, s, lc, u, toTypeName(lc) AS type FROM ${DATABASE}.native_arrays ORDER BY n`, format: 'JSONEachRow' }))
    .json<Record<string, unknown>>();
  t.strictSame(stored, [
    { n: 0, s: [], lc: [], u: [], type: 'Array(LowCardinality(String))' },
    { n: 1, s: [], lc: [], u: [], type: 'Array(LowCardinality(String))' },
    { n: 2, s: ['a', '', 'Zürich'], lc: ['signup', 'welcome'], u: [0, 4294967295], type: 'Array(LowCardinality(String))' },
    { n: 3, s: [], lc: [], u: [], type: 'Array(LowCardinality(String))' },
    { n: 4, s: [LONG], lc: ['welcome', '', '東京', 'welcome'], u: [7], type: 'Array(LowCardinality(String))' },
    { n: 5, s: ['x'], lc: [], u: [], type: 'Array(LowCardinality(String))' },
  ]);
});

t.test('a UInt64 or Int64 given as decimal text is split into exact 32-bit halves', async (t) => {
  const halves = new Uint32Array(2);
  decimalTo64('18446744073709551615', halves, 0, false);
  t.same([...halves], [0xffffffff, 0xffffffff]);
  decimalTo64('4294967296', halves, 0, false);
  t.same([...halves], [0, 1]);
  decimalTo64('-1', halves, 0, true);
  t.same([...halves], [0xffffffff, 0xffffffff]);
  decimalTo64('-4294967296', halves, 0, true);
  t.same([...halves], [0, 0xffffffff]);
});

t.test('a type without a Native writer is refused when the encoder is made, and the store falls back to TabSeparated', async (t) => {
  t.throws(() => columnBuilder('Array(Array(String))'), UnsupportedTypeError);
  t.throws(() => columnBuilder('Array(Nullable(String))'), UnsupportedTypeError);
  t.throws(() => columnBuilder('Nullable(LowCardinality(String))'), UnsupportedTypeError);
  t.throws(() => new NativeEncoder(table([['a', 'Map(String, UInt8)']])), UnsupportedTypeError);
  t.type(encoderFor('embedded', {}), NativeEncoder, 'the embedded engine reads Native');
  t.type(encoderFor('server', {}), TabSeparatedEncoder, 'the client sends text to a server');
  t.type(encoderFor('embedded', { SIFTLOG_ROW_FORMAT: 'TabSeparated' }), TabSeparatedEncoder, 'SIFTLOG_ROW_FORMAT=TabSeparated');
});

t.test('a Native batch the engine refuses fails its insert and leaves no file behind', async (t) => {
  await store.client.command({ query: `CREATE TABLE ${DATABASE}.native_narrow (n UInt8) ENGINE = MergeTree ORDER BY n` });
  const encoder = new NativeEncoder(table([['n', 'String']]));
  encoder.add(asHit({ n: 'not a number' }), CONTEXT);
  await t.rejects(store.insertEncoded(`${DATABASE}.native_narrow`, encoder.columns, encoder.format, encoder.take()));
  const { readdirSync } = await import('node:fs');
  t.same(readdirSync(join(store.dir, 'tmp')), []);
});
