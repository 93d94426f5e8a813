/** What the run loop reports while it reads, for a progress line. */
export interface Progress {
  /** A new input: its size in bytes when known (a file), null for standard input. */
  startInput(name: string, sizeBytes: number | null): void;
  /** Lines of the current input read so far, and bytes of it read when known. */
  update(lines: number, bytesRead: number | undefined): void;
  /** Something other than reading is under way (staging the last batch, publishing). */
  phase(text: string): void;
  /** Clears the line: the summary comes next. */
  end(): void;
}

export const NO_PROGRESS: Progress = { startInput: () => undefined, update: () => undefined, phase: () => undefined, end: () => undefined };

const REDRAW_MS = 250;

/**
 * A progress line for a terminal (stderr): the input, how much of it is read (bytes of its size, or
 * lines), lines per second and, when the size is known, the time left. Redrawn in place at most four
 * times a second; the CLI uses it only when stderr is a terminal, so cron mail and logs get nothing.
 */
export class TerminalProgress implements Progress {
  private name = '';
  private size: number | null = null;
  private started = 0;
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly write: (text: string) => void, private readonly now: () => number = Date.now, private readonly columns = 100) {}

  startInput(name: string, sizeBytes: number | null): void {
    this.name = name;
    this.size = sizeBytes;
    this.started = this.now();
    this.lastDraw = 0;
  }

  update(lines: number, bytesRead: number | undefined): void {
    const now = this.now();
    if (now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? lines / seconds : 0;
    const parts = [this.name];
    if (this.size !== null && bytesRead !== undefined && this.size > 0) {
      const done = Math.min(1, bytesRead / this.size);
      parts.push(`${(done * 100).toFixed(1)}% of ${mib(this.size)}`);
      parts.push(`${count(lines)} lines`, `${count(rate)} lines/s`);
      if (done > 0.01 && seconds >= 1) parts.push(`ETA ${duration((seconds / done) * (1 - done))}`);
    } else {
      parts.push(`${count(lines)} lines`, `${count(rate)} lines/s`);
    }
    this.draw(parts.join('  '));
  }

  phase(text: string): void {
    this.draw(`${this.name ? `${this.name}  ` : ''}${text}`);
  }

  end(): void {
    if (this.drawn) this.write('\r\x1b[K');
    this.drawn = false;
  }

  private draw(text: string): void {
    const line = text.length > this.columns - 1 ? `…${text.slice(text.length - this.columns + 2)}` : text;
    this.write(`\r\x1b[K${line}`);
    this.drawn = true;
  }
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (bytes: number) => `${(bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 1 : 0)} MiB`;

function duration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
