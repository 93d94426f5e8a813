import type { Hit } from '../../enrich/hit.js';
import { REQUEST_COLUMNS, type RequestColumn, type RowContext } from './columns.js';
import {
  type ColumnBuilder, columnBuilder, columnHeaderLength, type NativeValue, UnsupportedTypeError, varUIntLength, writeColumnHeader, writeVarUInt,
} from './native.js';

/**
 * Turns hits into the bytes of one insert. The writer asks for a batch when enough rows are waiting;
 * the encoder starts the next batch at once. The format decides which table the staging area offers it
 * (staging.ts): text formats go through an input table with plain String columns, a columnar encoder
 * (Native, with dictionaries for LowCardinality columns) can write the staging copy of `requests` directly.
 */
export interface RowEncoder {
  /**
   * The ClickHouse input format of the batches. A text format goes through the staging input table with
   * plain String columns; a columnar one ('Native', with LowCardinality dictionaries) is inserted straight
   * into the staging copy of `requests` (staged-run.ts).
   */
  readonly format: 'TabSeparated' | 'Native';
  /** Columns in the order each row carries them. */
  readonly columns: readonly string[];
  /** Rows encoded since the last take(). */
  readonly rows: number;
  add(hit: Hit, row: RowContext): void;
  /** The batch encoded so far. Its bytes stay valid until the next take(): insert it before taking another. */
  take(): Buffer;
}

const ESCAPES = /[\t\n\\\r\0]/;
const INITIAL_BUFFER_BYTES = 16 << 20;

/** Escapes a value for ClickHouse's TabSeparated format. */
export function tsv(value: string): string {
  if (!ESCAPES.test(value)) return value;
  return value.replace(/[\t\n\\\r\0]/g, (c) => (c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\0' ? '\\0' : '\\\\'));
}

/** One row as TabSeparated text, in the order of `columns`. */
export function tabSeparatedRow(hit: Hit, row: RowContext, columns: readonly RequestColumn[] = REQUEST_COLUMNS): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    const value = columns[i].value(hit, row);
    line += typeof value === 'number' ? String(value) : value === null ? '\\N' : tsv(value);
    line += i === columns.length - 1 ? '\n' : '\t';
  }
  return line;
}

/**
 * TabSeparated rows of `requests`, written into a byte buffer as they come: joining 100k row strings and
 * encoding the result cost ~0.4 s per batch (flattening), this ~0.1 s (measured on 300k lines). Two
 * buffers take turns, so a batch can be read by the engine while the next one is written.
 */
export class TabSeparatedEncoder implements RowEncoder {
  readonly format = 'TabSeparated' as const;
  readonly columns = REQUEST_COLUMNS.map((c) => c.name);
  private buffer: Buffer;
  private spare: Buffer | null = null;
  private bytes = 0;
  rows = 0;

  constructor(initialBytes = INITIAL_BUFFER_BYTES) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  add(hit: Hit, row: RowContext): void {
    this.push(tabSeparatedRow(hit, row));
  }

  /** Appends one encoded row (its columns in `columns` order, ending in a newline). */
  push(text: string): void {
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
    if (this.bytes + text.length * 3 > this.buffer.length) this.grow(text.length * 3);
    this.bytes += this.buffer.write(text, this.bytes);
    this.rows++;
  }

  take(): Buffer {
    const full = this.buffer;
    const body = full.subarray(0, this.bytes);
    // The previous batch's buffer is free again: its insert has finished before the writer takes another.
    this.buffer = this.spare ?? Buffer.allocUnsafe(full.length);
    this.spare = full;
    this.bytes = 0;
    this.rows = 0;
    return body;
  }

  private grow(atLeast: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.bytes + atLeast));
    this.buffer.copy(bigger, 0, 0, this.bytes);
    this.buffer = bigger;
  }
}

/** A column of a table a Native block is built for: its name, its type, and how a record (and its context) fills it. */
export interface NativeColumn<R, C> {
  readonly name: string;
  readonly type: string;
  readonly value: (record: R, context: C) => NativeValue;
}

/**
 * Records as one block of ClickHouse's Native format, built a column at a time (native.ts) straight from each
 * record's fields: LowCardinality columns carry the block's dictionary and an index per row, so the engine
 * neither parses text nor looks every value up.
 */
export class NativeBlockEncoder<R, C> {
  readonly format = 'Native' as const;
  readonly columns: readonly string[];
  private readonly builders: ColumnBuilder[];
  private readonly headerBytes: number;
  private buffer: Buffer = Buffer.alloc(0);
  private spare: Buffer = Buffer.alloc(0);
  rows = 0;

  constructor(private readonly table: readonly NativeColumn<R, C>[]) {
    this.columns = table.map((c) => c.name);
    this.builders = table.map((c) => columnBuilder(c.type));
    this.headerBytes = table.reduce((sum, c) => sum + columnHeaderLength(c.name, c.type), 0);
  }

  add(record: R, context: C): void {
    const table = this.table;
    const builders = this.builders;
    for (let i = 0; i < table.length; i++) builders[i].push(table[i].value(record, context));
    this.rows++;
  }

  /** The block of the rows added since the last take(). Its bytes stay valid until the next take(): insert it before taking another. */
  take(): Buffer {
    let bytes = varUIntLength(this.table.length) + varUIntLength(this.rows) + this.headerBytes;
    for (const builder of this.builders) bytes += builder.byteLength();
    // Two buffers take turns: the previous batch's insert has finished before the writer takes another.
    if (this.spare.length < bytes) this.spare = Buffer.allocUnsafe(Math.ceil(bytes * 1.25));
    const out = this.spare;
    this.spare = this.buffer;
    this.buffer = out;
    let at = writeVarUInt(out, 0, this.table.length);
    at = writeVarUInt(out, at, this.rows);
    for (let i = 0; i < this.table.length; i++) {
      at = writeColumnHeader(out, at, this.table[i].name, this.table[i].type);
      at = this.builders[i].writeTo(out, at);
      this.builders[i].reset();
    }
    this.rows = 0;
    return out.subarray(0, at);
  }
}

/**
 * Rows of `requests` as Native blocks, from the column table (columns.ts). Inserted straight into the
 * staging copy of `requests`.
 */
export class NativeEncoder extends NativeBlockEncoder<Hit, RowContext> implements RowEncoder {
  constructor(table: readonly RequestColumn[] = REQUEST_COLUMNS) {
    super(table);
  }
}

/**
 * Whether a store's rows go in as Native blocks: on the embedded engine (through a file, native-insert.ts),
 * not to a server (its client sends text formats). SIFTLOG_ROW_FORMAT=TabSeparated takes the text path on
 * the embedded engine too (to compare, or to rule the encoder out): TabSeparated for `requests`,
 * JSONEachRow for `visits` and `visit_state`.
 */
export function nativeInserts(mode: 'embedded' | 'server', env: NodeJS.ProcessEnv = process.env): boolean {
  return mode === 'embedded' && env.SIFTLOG_ROW_FORMAT !== 'TabSeparated';
}

/**
 * The encoder for a store: Native for the embedded engine (it reads the columns as they are, ~5× faster
 * than TabSeparated); TabSeparated for a server, whose client takes text formats. A column type the Native
 * encoder has no writer for falls back to TabSeparated (test/unit/sink/native.test.ts fails on it first).
 */
export function encoderFor(mode: 'embedded' | 'server', env: NodeJS.ProcessEnv = process.env): RowEncoder {
  if (nativeInserts(mode, env)) {
    try {
      return new NativeEncoder();
    } catch (err) {
      if (!(err instanceof UnsupportedTypeError)) throw err;
    }
  }
  return new TabSeparatedEncoder();
}
