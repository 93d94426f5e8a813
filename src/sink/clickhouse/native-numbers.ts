import type { ColumnBuilder, NativeValue } from './native.js';
import { TWO_32 } from './native-bytes.js';

/** Number columns of the Native encoder (native.ts): fixed widths in typed arrays, 64-bit integers as two halves. */

export const INITIAL_ROWS = 1024;

export type FixedArray = Uint8Array | Uint16Array | Uint32Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** Numbers of one fixed width, kept in a typed array of that width (the machine's byte order is ClickHouse's). */
export class FixedColumn implements ColumnBuilder {
  private values: FixedArray;
  private rows = 0;

  constructor(private readonly make: (n: number) => FixedArray) {
    this.values = make(INITIAL_ROWS);
  }

  push(value: NativeValue): void {
    if (this.rows === this.values.length) {
      const bigger = this.make(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.rows++] = value as number;
  }

  byteLength(): number {
    return this.rows * this.values.BYTES_PER_ELEMENT;
  }

  writeTo(out: Buffer, offset: number): number {
    const bytes = this.byteLength();
    out.set(new Uint8Array(this.values.buffer, this.values.byteOffset, bytes), offset);
    return offset + bytes;
  }

  reset(): void {
    this.rows = 0;
  }
}

/**
 * 64-bit integers as two 32-bit halves: from a JavaScript number (exact up to 2^53) or from decimal text
 * (a visitor id is a decimal UInt64, past what a number holds exactly).
 */
export class Int64Column implements ColumnBuilder {
  private halves = new Uint32Array(INITIAL_ROWS * 2);
  private rows = 0;

  constructor(private readonly signed: boolean) {}

  push(value: NativeValue): void {
    if (this.rows * 2 === this.halves.length) {
      const bigger = new Uint32Array(this.halves.length * 2);
      bigger.set(this.halves);
      this.halves = bigger;
    }
    const at = this.rows++ * 2;
    if (typeof value === 'string') {
      decimalTo64(value, this.halves, at, this.signed);
      return;
    }
    const v = value as number;
    if (v >= 0) {
      this.halves[at] = v % TWO_32;
      this.halves[at + 1] = Math.floor(v / TWO_32);
    } else {
      // Two's complement of |v|.
      const magnitude = -v;
      const low = magnitude % TWO_32;
      const high = Math.floor(magnitude / TWO_32);
      this.halves[at] = low === 0 ? 0 : TWO_32 - low;
      this.halves[at + 1] = (low === 0 ? TWO_32 - high : TWO_32 - high - 1) % TWO_32;
    }
  }

  byteLength(): number {
    return this.rows * 8;
  }

  writeTo(out: Buffer, offset: number): number {
    out.set(new Uint8Array(this.halves.buffer, 0, this.rows * 8), offset);
    return offset + this.rows * 8;
  }

  reset(): void {
    this.rows = 0;
  }
}

/** Decimal text (an optional '-' for signed columns, then digits) into low and high 32-bit halves. */
export function decimalTo64(text: string, into: Uint32Array, at: number, signed: boolean): void {
  let low = 0;
  let high = 0;
  const negative = signed && text.charCodeAt(0) === 45;
  for (let i = negative ? 1 : 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    // Both halves stay below 2^36 before the carry is taken out: exact in a double.
    low = low * 10 + digit;
    const carry = Math.floor(low / TWO_32);
    low -= carry * TWO_32;
    high = (high * 10 + carry) % TWO_32;
  }
  if (negative && (low !== 0 || high !== 0)) {
    low = low === 0 ? 0 : TWO_32 - low;
    high = (low === 0 ? TWO_32 - high : TWO_32 - high - 1) % TWO_32;
  }
  into[at] = low;
  into[at + 1] = high;
}

export const FIXED: Readonly<Record<string, (n: number) => FixedArray>> = {
  UInt8: (n) => new Uint8Array(n),
  UInt16: (n) => new Uint16Array(n),
  UInt32: (n) => new Uint32Array(n),
  Int8: (n) => new Int8Array(n),
  Int16: (n) => new Int16Array(n),
  Int32: (n) => new Int32Array(n),
  Float32: (n) => new Float32Array(n),
  Float64: (n) => new Float64Array(n),
};
