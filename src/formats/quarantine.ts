import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { scrubRejectedLine } from '../privacy/scrub.js';
import type { RejectReason, RepairKind } from './types.js';

/** How much of a rejected line is kept: enough to see what went wrong. */
const KEPT_CHARS = 2_000;

/**
 * The quarantine file of one run: one JSON object per line with the input name, line number, reason and
 * the line's text, scrubbed like everything else that leaves the privacy boundary (addresses, host and
 * user fields, e-mails replaced). Lines that were kept after a repair are listed with `action: "repaired"`.
 * The file is created on the first entry only.
 */
export class Quarantine {
  private fd: number | null = null;
  private buffer = '';
  entries = 0;

  constructor(private readonly dir: string, private readonly runId: string) {}

  private path: string | null = null;

  /** The file written so far, or null when nothing was quarantined. */
  get writtenFile(): string | null {
    return this.path;
  }

  reject(input: string, lineNo: number, reason: RejectReason, line: string): void {
    this.add({ input, line: lineNo, reason, text: scrubRejectedLine(line.slice(0, KEPT_CHARS)) });
  }

  repaired(input: string, lineNo: number, repair: RepairKind): void {
    this.add({ input, line: lineNo, reason: repair, action: 'repaired' });
  }

  private add(entry: Record<string, unknown>): void {
    this.buffer += `${JSON.stringify(entry)}\n`;
    this.entries++;
    if (this.buffer.length > 1 << 16) this.flush();
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    if (this.fd === null) {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.path = join(this.dir, `${new Date().toISOString().slice(0, 10)}-${this.runId.slice(0, 8)}.ndjson`);
      this.fd = openSync(this.path, 'a', 0o600);
    }
    writeSync(this.fd, this.buffer);
    this.buffer = '';
  }

  close(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
