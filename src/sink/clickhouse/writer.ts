import type { Hit } from '../../enrich/hit.js';
import type { RowContext } from './columns.js';
import type { RowEncoder } from './encoder.js';

/** Where the writer sends a batch (Store implements it for either mode). */
export interface BatchSink {
  insertEncoded(table: string, columns: readonly string[], format: string, body: Buffer): Promise<void>;
}

/** Lines of one input whose rows are in a batch. */
export interface LineRange {
  input: string;
  first: number;
  last: number;
}

/** The engine refused a batch: which lines it held, and what the engine said. */
export class BatchRefusedError extends Error {
  constructor(readonly ranges: readonly LineRange[], override readonly cause: unknown) {
    const where = ranges.map((r) => `${r.input} lines ${r.first}–${r.last}`).join(', ');
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`could not stage the rows of ${where || "an empty batch"}: ${firstLine(reason)}`);
  }
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim().length > 0) ?? text;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

export interface WriterOptions {
  /** Rows per insert. */
  batchRows?: number;
}

/**
 * Batches rows through an encoder and inserts a batch while the next one is being encoded (at most one
 * insert in flight) into one table, the run's staging input (staging.ts). Remembers which input lines
 * each batch holds, so a batch the engine refuses is named by input and line range.
 */
export class BatchWriter {
  private inFlight: Promise<void> | null = null;
  /** An insert that failed while the next batch was being encoded, reported at the next call. */
  private failure: BatchRefusedError | null = null;
  private ranges: LineRange[] = [];
  rowsWritten = 0;
  private readonly batchRows: number;

  constructor(
    private readonly sink: BatchSink, private readonly table: string, private readonly encoder: RowEncoder, options: WriterOptions = {},
  ) {
    this.batchRows = options.batchRows ?? 100_000;
  }

  /** Encodes the hit of line `lineNo` of `input`. */
  add(hit: Hit, row: RowContext, input: string, lineNo: number): void {
    this.encoder.add(hit, row);
    const last = this.ranges.at(-1);
    if (last !== undefined && last.input === input && lineNo >= last.last) last.last = lineNo;
    else this.ranges.push({ input, first: lineNo, last: lineNo });
  }

  /** Starts an insert once a full batch is waiting (after the previous insert has finished). */
  async drain(): Promise<void> {
    if (this.encoder.rows >= this.batchRows) await this.send();
  }

  /** Inserts whatever is pending and waits for every insert to finish. */
  async finish(): Promise<void> {
    await this.send();
    await this.settle();
  }

  /** Waits for the insert in flight, if any, without sending more; throws what it failed with. */
  async settle(): Promise<void> {
    if (this.inFlight) await this.inFlight;
    this.inFlight = null;
    if (this.failure) throw this.failure;
  }

  private async send(): Promise<void> {
    await this.settle();
    const count = this.encoder.rows;
    if (count === 0) return;
    const body = this.encoder.take();
    const ranges = this.ranges;
    this.ranges = [];
    this.inFlight = this.sink.insertEncoded(this.table, this.encoder.columns, this.encoder.format, body).then(
      () => {
        this.rowsWritten += count;
      },
      (err: unknown) => {
        this.failure = new BatchRefusedError(ranges, err);
      },
    );
  }
}
