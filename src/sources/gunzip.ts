import { createInflateRaw, type InflateRaw } from 'node:zlib';
import { Transform, type TransformCallback } from 'node:stream';

/** What a gzip file held besides its members. */
export interface GzipTail {
  /** Bytes after the last complete member that are neither a member nor zero padding. */
  garbageBytes: number;
}

const FTEXT_MASK = 0x01;
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;

/**
 * Decompresses a gzip file the way `gzip -d` reads it: every member of a multi-member file (`cat a.gz b.gz`),
 * zero padding after the last member ignored (tape blocks, preallocated files), and trailing garbage after a
 * complete member reported through `onTail` while every line of the members before it is kept. Node's own
 * gunzip stops at such garbage with an error and loses the output of the last block it was decoding (72 of
 * 55,754 lines of a real rotated log).
 *
 * Each member's header is read here; its deflate body goes to a raw inflater, whose count of bytes consumed
 * tells where the body ended; the 8-byte trailer's length field (the member's size mod 2^32) is checked.
 * A member that ends early (a truncated file) fails with zlib's "unexpected end of file".
 */
export class GunzipMembers extends Transform {
  private state: 'header' | 'body' | 'trailer' | 'tail' = 'header';
  private pending: Buffer = Buffer.alloc(0);
  private inflate: InflateRaw | null = null;
  /** Resolves once the member's inflater has emitted all its output. */
  private memberEnd: Promise<void> = Promise.resolve();
  private memberBytesOut = 0;
  private members = 0;
  private garbage = 0;

  constructor(private readonly onTail: (tail: GzipTail) => void = () => undefined) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.consume(chunk).then(() => done(), done);
  }

  override _flush(done: TransformCallback): void {
    this.finishInput().then(() => done(), done);
  }

  private async consume(chunk: Buffer): Promise<void> {
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    while (data.length > 0) {
      if (this.state === 'tail') {
        for (const byte of data) if (byte !== 0) this.garbage++;
        return;
      }
      if (this.state === 'header') {
        const length = headerLength(data);
        if (length === null) {
          this.pending = data;
          return;
        }
        if (length === -1) {
          if (this.members === 0) throw new Error('not in gzip format');
          this.state = 'tail';
          continue;
        }
        data = data.subarray(length);
        this.startMember();
        continue;
      }
      if (this.state === 'body') {
        const used = await this.feed(data);
        // All taken: the body goes on (or ends exactly here, which the next chunk shows by taking nothing).
        if (used === data.length) return;
        await this.memberEnd;
        data = data.subarray(used);
        this.state = 'trailer';
        continue;
      }
      // trailer: CRC-32 and the member's size mod 2^32
      if (data.length < 8) {
        this.pending = data;
        return;
      }
      const size = data.readUInt32LE(4);
      if (size !== this.memberBytesOut % 2 ** 32) throw new Error('gzip member length check failed (the data is damaged)');
      this.members++;
      this.state = 'header';
      data = data.subarray(8);
    }
  }

  private startMember(): void {
    const inflate = createInflateRaw();
    inflate.on('data', (out: Buffer) => {
      this.memberBytesOut += out.length;
      this.push(out);
    });
    // Errors surface through the write callback in feed() or in finishInput().
    inflate.on('error', () => undefined);
    this.memberEnd = new Promise((resolve) => inflate.once('end', resolve));
    this.inflate = inflate;
    this.memberBytesOut = 0;
    this.state = 'body';
  }

  /** Writes body bytes to the inflater; returns how many of them belonged to the deflate stream. */
  private feed(data: Buffer): Promise<number> {
    const inflate = this.inflate!;
    const before = inflate.bytesWritten;
    return new Promise((resolve, reject) => {
      inflate.write(data, (err) => {
        if (err) {
          reject(err);
          return;
        }
        resolve(inflate.bytesWritten - before);
      });
    });
  }

  private async finishInput(): Promise<void> {
    if (this.state === 'body') {
      // The file ends inside a member, or right after its deflate data without the trailer: what was
      // decoded is kept (pushed already), and the stream fails as truncated.
      const inflate = this.inflate!;
      await new Promise<void>((resolve) => {
        inflate.once('error', () => resolve());
        inflate.once('end', resolve);
        inflate.end();
      });
      throw truncated();
    }
    if (this.state === 'trailer' || (this.state === 'header' && this.pending.length > 0 && this.members === 0)) throw truncated();
    if (this.state === 'header' && this.pending.length > 0) {
      for (const byte of this.pending) if (byte !== 0) this.garbage++;
    }
    if (this.garbage > 0) this.onTail({ garbageBytes: this.garbage });
  }
}

function truncated(): Error {
  return Object.assign(new Error('unexpected end of file'), { code: 'Z_BUF_ERROR' });
}

/**
 * The length of the gzip member header at the start of `data`: null when more bytes are needed, -1 when
 * the data does not start with a gzip header (zero padding or garbage after the last member).
 */
function headerLength(data: Buffer): number | null {
  if (data.length < 2) return data.length === 1 && data[0] !== 0x1f ? -1 : null;
  if (data[0] !== 0x1f || data[1] !== 0x8b) return -1;
  if (data.length < 10) return null;
  if (data[2] !== 8) return -1; // not deflate
  const flags = data[3];
  if ((flags & ~(FTEXT_MASK | FHCRC | FEXTRA | FNAME | FCOMMENT)) !== 0) return -1;
  let at = 10;
  if (flags & FEXTRA) {
    if (data.length < at + 2) return null;
    at += 2 + data.readUInt16LE(at);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (flags & flag) {
      const end = data.indexOf(0, at);
      if (end < 0) return null;
      at = end + 1;
    }
  }
  if (flags & FHCRC) at += 2;
  return data.length < at ? null : at;
}
