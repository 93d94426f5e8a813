import { Readable, Transform } from 'node:stream';
import { Decompress } from 'fzstd';
import unbzip2Stream from 'unbzip2-stream';
import { GunzipMembers } from './gunzip.js';

/** Compression recognised by magic bytes, not by file name (rotated logs are often renamed). */
export type Compression = 'none' | 'gzip' | 'bzip2' | 'zstd';

export function detectCompression(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 3 && head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68) return 'bzip2'; // "BZh"
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

/**
 * The decompressed stream of `compressed`. gzip is read member by member like `gzip -d` (gunzip.ts:
 * multi-member files, zero padding, trailing garbage reported through `warn` with every line before it
 * kept); bzip2 is unbzip2-stream and zstd is fzstd (both MIT, pure JavaScript: Node 20's zlib has neither).
 * An error of the source or of the decoder (truncated data) surfaces as an error of the returned stream.
 */
export function decompress(compressed: Readable, kind: Compression, warn: (message: string) => void = () => undefined): Readable {
  if (kind === 'none') return compressed;
  let decoder: Transform | Readable;
  if (kind === 'gzip') {
    decoder = new GunzipMembers(({ garbageBytes }) => {
      warn(`${garbageBytes.toLocaleString('en-US')} bytes of trailing garbage after the last gzip member were ignored (as gzip -d does); every line before them was read`);
    });
    compressed.on('error', (err) => decoder.destroy(err));
    return compressed.pipe(decoder as Transform);
  }
  if (kind === 'zstd') {
    decoder = zstdDecoder();
    compressed.on('error', (err) => decoder.destroy(err));
    return compressed.pipe(decoder as Transform);
  }
  const bz = unbzip2Stream();
  const out = new Readable({ read() {} });
  bz.on('data', (chunk: Buffer) => out.push(chunk));
  bz.on('end', () => out.push(null));
  bz.on('error', () => out.destroy(new Error(`bzip2 data is damaged or ends early`)));
  compressed.on('error', (err) => out.destroy(err));
  compressed.pipe(bz);
  return out;
}

function zstdDecoder(): Transform {
  const chunks: Buffer[] = [];
  const decoder = new Decompress((data) => {
    chunks.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });
  let sawData = false;
  const drain = (t: Transform) => {
    for (const c of chunks) t.push(c);
    chunks.length = 0;
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      try {
        sawData = true;
        decoder.push(chunk);
        drain(this);
        done();
      } catch (err) {
        done(new Error(`zstd data is damaged (${(err as Error).message})`));
      }
    },
    flush(done) {
      try {
        if (sawData) decoder.push(new Uint8Array(0), true);
        drain(this);
        done();
      } catch (err) {
        done(new Error(`zstd data ends early (${(err as Error).message})`));
      }
    },
  });
}
