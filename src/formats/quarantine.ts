import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { LineFields } from './field-roles.js';
import type { LineParser, RejectReason, RepairKind } from './types.js';

/** How much of a rejected line's kept text is stored: enough to see what went wrong. */
const KEPT_CHARS = 2_000;

/** What a quarantine file may keep of a rejected line. */
export type RedactedLine =
  /** The line with every field that identifies a person replaced and the rest scrubbed. */
  | { text: string }
  /** A line that could not be split into fields: its shape (privacy's redactor says how) and length. */
  | { shape: string; length: number };

/**
 * Turns a rejected line into what may be stored of it. The privacy boundary implements it (privacy/redact.ts)
 * with its own scrub rules; formats/ only says where the line's fields are.
 */
export interface RejectedLineRedactor {
  redact(line: string, fields: LineFields | null): RedactedLine;
}

/**
 * The quarantine file of one run: one JSON object per line with the input name, line number, reason and
 * what the redactor keeps of the line. Lines that were kept after a repair are listed with
 * `action: "repaired"`. The file (mode 0600) is created on the first entry only.
 */
export class Quarantine {
  private fd: number | null = null;
  private buffer = '';
  entries = 0;
  private path: string | null = null;

  constructor(private readonly dir: string, private readonly runId: string, private readonly redactor: RejectedLineRedactor) {}

  /** The file written so far, or null when nothing was quarantined. */
  get writtenFile(): string | null {
    return this.path;
  }

  /**
   * @param parser the parser that read (or rejected) the line, which says where its fields are
   * @param detail plain facts to store beside the reason (the column and kind of an output-check refusal)
   */
  reject(input: string, lineNo: number, reason: RejectReason, line: string, parser: LineParser | null,
    detail: Readonly<Record<string, string>> = {}): void {
    const kept = this.redactor.redact(line, parser === null ? null : parser.fieldsOf(line));
    const stored = 'text' in kept && kept.text.length > KEPT_CHARS ? { text: kept.text.slice(0, KEPT_CHARS) } : kept;
    this.add({ input, line: lineNo, reason, ...detail, ...stored });
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
