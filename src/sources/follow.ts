import { type FileHandle, open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FollowPosition } from './checkpoint.js';
import { detectCompression } from './decompress.js';
import { SourceError, type LineBatch } from './file.js';

export interface FollowOptions {
  maxLineLength: number;
  /** How often to look for new data and rotation when at the end of the file. */
  pollMs: number;
}

export interface FollowBatch extends LineBatch {
  /** Where reading stands after this batch's lines. */
  position: FollowPosition;
  /** True when the batch ends at the current end of the file (a good moment to commit). */
  caughtUp: boolean;
}

const CHUNK = 1 << 20;

/**
 * Reads a growing log file like `tail -F`: to its end, then whatever is appended, until `signal` aborts.
 * Survives rotation: a rename (the path now names a new file) is noticed by its inode, the old file is
 * read to its end and the new one from its start; copytruncate (the file shrinks below the position) is
 * read again from the start. Only complete lines are returned, and positions count bytes, so a restart
 * from a checkpoint continues exactly after the last line it counted.
 */
export async function* followFile(path: string, name: string, options: FollowOptions, start: FollowPosition | null,
  signal: AbortSignal): AsyncGenerator<FollowBatch> {
  let file = await openFollowed(path, name);
  let info = await file.stat();
  let position: FollowPosition = { dev: info.dev, ino: info.ino, offset: 0, lineNo: 1 };
  if (start !== null && start.dev === info.dev && start.ino === info.ino && start.offset <= info.size) position = { ...start };
  let pending = Buffer.alloc(0);
  let skippingLongLine = false;
  const buffer = Buffer.alloc(CHUNK);
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, CHUNK, position.offset + pending.length);
      if (bytesRead > 0) {
        if (position.offset === 0 && pending.length === 0 && detectCompression(buffer.subarray(0, bytesRead)) !== 'none') {
          throw new SourceError(name, '--follow reads plain text only; this file is compressed (give it without --follow)');
        }
        const data = pending.length === 0 ? buffer.subarray(0, bytesRead) : Buffer.concat([pending, buffer.subarray(0, bytesRead)]);
        const batch = splitComplete(data, position, options.maxLineLength, skippingLongLine);
        skippingLongLine = batch.skipping;
        pending = Buffer.from(batch.rest);
        if (batch.lines.length > 0 || batch.consumed > 0) {
          position = { ...position, offset: position.offset + batch.consumed, lineNo: position.lineNo + batch.lines.length };
          yield { lines: batch.lines, firstLineNo: batch.firstLineNo, oversized: batch.oversized, position, caughtUp: bytesRead < CHUNK };
        }
        if (bytesRead === CHUNK) continue;
      }
      if (signal.aborted) return;
      // At the end: has the file been rotated or truncated?
      let current: Stats | null;
      try {
        current = await stat(path);
      } catch {
        current = null; // renamed away and not yet recreated
      }
      if (current !== null && (current.ino !== position.ino || current.dev !== position.dev)) {
        // One more read of the old file catches lines written just before the rename.
        const { bytesRead: late } = await file.read(buffer, 0, CHUNK, position.offset + pending.length);
        if (late > 0) continue;
        await file.close();
        file = await openFollowed(path, name);
        info = await file.stat();
        position = { dev: info.dev, ino: info.ino, offset: 0, lineNo: 1 };
        pending = Buffer.alloc(0);
        continue;
      }
      if (current !== null && current.size < position.offset + pending.length) {
        position = { ...position, offset: 0, lineNo: 1 };
        pending = Buffer.alloc(0);
        continue;
      }
      try {
        await sleep(options.pollMs, undefined, { signal });
      } catch {
        return;
      }
    }
  } finally {
    await file.close().catch(() => undefined);
  }
}

async function openFollowed(path: string, name: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SourceError(name, code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(err));
  }
}

interface Split {
  lines: string[];
  oversized: number[];
  firstLineNo: number;
  consumed: number;
  rest: Buffer;
  skipping: boolean;
}

/** Complete lines of `data` (decoded as UTF-8), the bytes they used, and the incomplete rest. */
function splitComplete(data: Buffer, position: FollowPosition, cap: number, skipping: boolean): Split {
  const out: Split = { lines: [], oversized: [], firstLineNo: position.lineNo, consumed: 0, rest: data, skipping };
  let start = 0;
  let nl = data.indexOf(10, start);
  while (nl >= 0) {
    if (skipping) {
      skipping = false; // the tail of a line already reported as too long
    } else {
      const end = nl > start && data[nl - 1] === 13 ? nl - 1 : nl;
      const text = data.toString('utf8', start, end);
      if (text.length > cap) {
        out.oversized.push(out.lines.length);
        out.lines.push(text.slice(0, cap));
      } else {
        out.lines.push(text);
      }
    }
    start = nl + 1;
    nl = data.indexOf(10, start);
  }
  out.consumed = start;
  out.rest = data.subarray(start);
  // A line that outgrows the cap before its newline arrives is reported now and its tail skipped later.
  if (!skipping && out.rest.length > cap * 4) {
    out.oversized.push(out.lines.length);
    out.lines.push(out.rest.toString('utf8', 0, cap * 4).slice(0, cap));
    out.consumed = data.length;
    out.rest = Buffer.alloc(0);
    skipping = true;
  } else if (skipping) {
    out.consumed = data.length;
    out.rest = Buffer.alloc(0);
  }
  out.skipping = skipping;
  return out;
}
