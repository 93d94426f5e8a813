import { stat } from 'node:fs/promises';
import { detectFormat, FormatNotDetectedError, type FormatPreset, type ParserOptions } from '../formats/index.js';
import { Quarantine } from '../formats/quarantine.js';
import type { LineParser } from '../formats/types.js';
import type { NetworkLookups } from '../privacy/boundary.js';
import { SiteCalendar } from '../privacy/calendar.js';
import { SaltStore } from '../privacy/salt.js';
import type { RowContext } from '../sink/clickhouse/columns.js';
import { Provenance } from '../sink/clickhouse/provenance.js';
import type { ReplaceScope } from '../sink/clickhouse/publish.js';
import { pauseAt } from '../sink/clickhouse/pause.js';
import { publishingAlone } from '../sink/clickhouse/publish-lock.js';
import type { Store } from '../sink/clickhouse/store.js';
import { checkInput, readLines, SourceError, type InputSpec, type LineBatch } from '../sources/file.js';
import { FINGERPRINT_LINES, inputKey } from '../sources/fingerprint.js';
import type { PipelineConfig } from './config.js';
import { EarlierLoads } from './earlier-loads.js';
import { InterruptedError, throwIfStopped } from './interrupt.js';
import { resolveFormat } from './format-choice.js';
import { NO_PROGRESS, type Progress } from './progress.js';
import { emptySummary, type IngestOptions, type IngestSummary, type InputSummary } from './run-types.js';
import { publishWarnings, StagedRun } from './staged-run.js';
import { LineStage } from './line-stage.js';
import { type LineHit, RunVisits } from './visit-wiring.js';


const DETECTION_SAMPLE = 200;
export const SIFTLOG_VERSION = '0.1.0';

/**
 * The reading, parsing and per-line stages of one `ingest` (or `nightly`, or `--follow`) process, and the
 * staged run its rows go to. Parser state, visits and visitor ids live as long as the process, across the
 * staged runs `--follow` publishes one after the other.
 */
export class IngestRun {
  private readonly started = Date.now();
  private readonly salts: SaltStore;
  /** Parse, privacy boundary, enrichment and checks, line by line (line-stage.ts). */
  private readonly lines: LineStage;
  /** The sessions stage: hits reach the writer through it, in time order with `isEntry` set. */
  readonly visits: RunVisits;
  /** Made with the first staged run, after which it is named; a --follow process keeps one for all of its runs. */
  quarantine: Quarantine | null = null;
  private earlierLoads: EarlierLoads | null = null;
  /** The current input's place among the inputs read: its stream in the visit stage. */
  private stream = 0;
  /** Lines of the current input up to this number were loaded before: read (for the parser's state), not stored. */
  private skipThrough = 0;
  /** What every row of the current input carries besides the hit. */
  private row: RowContext = { runId: '', inputFingerprint: '' };
  private readonly parserOptions: ParserOptions;
  /** The preset every input uses, or null to detect one per input. */
  private readonly fixedPreset: FormatPreset | null;
  private readonly progress: Progress;
  /** The run rows are staged for now (a new one after each publish of --follow). */
  current: StagedRun | null = null;
  readonly summary: IngestSummary;

  constructor(
    readonly config: PipelineConfig, readonly store: Store, lookups: NetworkLookups, readonly options: IngestOptions, streams = 1,
  ) {
    this.salts = new SaltStore(store.stateDir, config.privacy.salt_window_days, new SiteCalendar(config.privacy.time_zone), options.now ?? Date.now);
    this.lines = new LineStage(config, this.salts, lookups, (time) => this.visits.beforeHit(time));
    this.visits = new RunVisits(config, store, this.lines.boundary, this.lines.exclusions, streams, (hit) => this.write(hit));
    this.progress = options.progress ?? NO_PROGRESS;
    ({ options: this.parserOptions, preset: this.fixedPreset } = resolveFormat(config));
    this.summary = emptySummary(store.dir, store.mode);
  }

  /** Starts a staged run for the rows that follow. */
  async stage(): Promise<StagedRun> {
    const mode = this.options.mode ?? (this.options.follow ? 'follow' : 'ingest');
    const staged = await StagedRun.start(this.store, mode, SIFTLOG_VERSION, this.config.store.batch_rows);
    if (this.summary.runId === '') {
      this.summary.runId = staged.runId;
      this.quarantine = new Quarantine(this.store.quarantineDir, staged.runId, this.lines.boundary.rejectedLines);
      this.earlierLoads = new EarlierLoads(new Provenance(this.store.client), inputKey(this.store.stateDir), staged.runId);
    }
    this.row = { ...this.row, runId: staged.runId };
    this.current = staged;
    this.visits.attach(staged);
    await this.visits.load();
    await pauseAt('staged');
    return staged;
  }

  /** Lines (up to 16) the fingerprint of the followed file is made of. */
  followedLines = 0;

  /** The fingerprint rows of the followed file carry. */
  get followedFingerprint(): string {
    return this.row.inputFingerprint;
  }

  /**
   * Names the file --follow reads now by its first lines. `fresh`: it is read from its first line, so
   * lines an earlier run loaded of the same content are skipped.
   */
  async nameFollowedFile(firstLines: readonly string[], fresh: boolean): Promise<void> {
    this.followedLines = firstLines.length;
    if (firstLines.length === 0) return;
    const earlier = await this.earlierLoads!.find(firstLines, !fresh);
    this.row = { ...this.row, inputFingerprint: earlier.fingerprint };
    if (fresh) this.skipThrough = earlier.skipThrough;
  }

  /** Reads one input whole into the current staged run; `stream`: its place among the inputs read (visits merge them in time order). */
  async load(input: InputSpec, stream = 0): Promise<void> {
    this.stream = stream;
    const file = this.startInput(input);
    this.lines.startInput();
    this.skipThrough = 0;
    // The first lines are held back until they have named the input (its fingerprint) and, for auto,
    // shown its format: detection looks at DETECTION_SAMPLE lines, which may span several batches.
    let held: LineBatch[] | null = [];
    let heldLines = 0;
    let parser: LineParser | null = null;
    let fingerprint = '';
    const begin = async (): Promise<void> => {
      const batches = held!;
      held = null;
      ({ parser, fingerprint } = await this.begin(input, batches, parser, file));
    };
    const writer = this.current!.writer;
    try {
      await checkInput(input);
      this.progress.startInput(input.name, input.path === null ? null : (await stat(input.path)).size);
      parser = this.fixedParser(file);
      const needed = parser === null ? DETECTION_SAMPLE : FINGERPRINT_LINES;
      const warn = (message: string) => file.warnings.push(message);
      for await (const batch of readLines(input, { maxLineLength: this.config.limits.max_line_length, warn })) {
        throwIfStopped(this.options.signal);
        if (held !== null) {
          held.push(batch);
          heldLines += batch.lines.length;
          if (heldLines < needed) continue;
          await begin();
        } else {
          this.processBatch(input.name, batch, parser!, file);
        }
        this.progress.update(file.linesRead, batch.bytesRead);
        this.quarantine!.flush();
        await writer.drain();
        await this.visits.drain({ input: input.name, first: batch.firstLineNo, last: batch.firstLineNo + batch.lines.length - 1 });
        if (writer.rowsWritten > 0) await pauseAt('mid-load');
      }
      if (held !== null) await begin();
    } catch (err) {
      // A truncated file still loads what was read before the break.
      if (err instanceof SourceError && held !== null) {
        try {
          await begin();
        } catch (detectionError) {
          this.inputFailed(input, file, detectionError);
        }
      }
      this.inputFailed(input, file, err);
    }
    this.visits.endStream(stream);
    this.quarantine!.flush();
    this.earlierLoads!.remember(fingerprint, file.linesRead, file.alreadyLoaded, file.loadedBy);
    this.recordInput(file, fingerprint);
    this.endInput(file);
  }

  /**
   * Deals with an input's first lines: looks up how far earlier runs loaded the same content (unless the
   * run reads inputs whole: --force, nightly), detects the format if none was given, and processes the
   * lines held so far.
   */
  private async begin(
    input: InputSpec, held: readonly LineBatch[], parser: LineParser | null, file: InputSummary,
  ): Promise<{ parser: LineParser | null; fingerprint: string }> {
    const firstLines = held.flatMap((b) => b.lines).slice(0, FINGERPRINT_LINES);
    if (firstLines.length === 0) return { parser, fingerprint: '' };
    const whole = this.options.force === true || this.options.window !== undefined;
    const earlier = await this.earlierLoads!.find(firstLines, whole);
    // Read whole, its earlier rows replaced: --force, nightly, or an input a nightly run kept days of.
    if (whole || earlier.windowed) for (const print of earlier.prints) this.current!.prints.add(print);
    this.skipThrough = earlier.skipThrough;
    file.loadedBy = earlier.loadedBy;
    this.row = { ...this.row, inputFingerprint: earlier.fingerprint };
    parser ??= this.detectParser(held, file);
    for (const b of held) this.processBatch(input.name, b, parser, file);
    return { parser, fingerprint: earlier.fingerprint };
  }

  startInput(input: InputSpec): InputSummary {
    const file: InputSummary = {
      input: input.name, format: '', linesRead: 0, parsed: 0, rejected: 0, skipped: 0, alreadyLoaded: 0, loadedBy: null, otherDays: 0, excluded: 0,
      error: null, warnings: [],
    };
    this.summary.inputs.push(file);
    return file;
  }

  fixedParser(file: InputSummary): LineParser | null {
    if (this.fixedPreset === null) return null;
    const parser = this.fixedPreset.create(this.parserOptions);
    file.format = parser.name;
    return parser;
  }

  /** Detects the input's format from its first lines; throws FormatNotDetectedError with candidates. */
  detectParser(batches: readonly LineBatch[], file: InputSummary): LineParser {
    const sample = batches.flatMap((b) => b.lines).slice(0, DETECTION_SAMPLE);
    const detection = detectFormat(sample, this.parserOptions);
    const parser = detection.preset.create(this.parserOptions);
    file.format = `${parser.name} (auto, ${detection.matched}/${detection.sampled} sample lines)`;
    return parser;
  }

  inputFailed(input: InputSpec, file: InputSummary, err: unknown): void {
    if (!(err instanceof SourceError) && !(err instanceof FormatNotDetectedError)) throw err;
    file.error = err instanceof SourceError ? err.message.slice(input.name.length + 2) : err.message;
    this.summary.errors.push(`${input.name}: ${file.error}`);
  }

  endInput(file: InputSummary): void {
    this.summary.linesRead += file.linesRead;
    this.summary.parsed += file.parsed;
    this.summary.rejected += file.rejected;
    this.summary.alreadyLoaded += file.alreadyLoaded;
    this.summary.otherDays += file.otherDays;
    for (const warning of file.warnings) this.summary.warnings.push(`${file.input}: ${warning}`);
  }

  /**
   * The input's provenance, published with the run's rows. An input whose every line an earlier run
   * loaded adds nothing and is not recorded again (the run's counts in the run log still show it), so a
   * run done twice leaves `ingest_files` as once.
   */
  recordInput(file: InputSummary, fingerprint: string, position = '', linesFromStart?: number): void {
    const counts = this.current!.counts;
    counts.inputs++;
    counts.linesRead += file.linesRead;
    counts.parsed += file.parsed;
    counts.rejected += file.rejected;
    const nothingNew = file.error === null && file.linesRead > 0 && file.alreadyLoaded === file.linesRead && position === '';
    if (nothingNew) return;
    this.current!.files.push({
      ...file, linesRead: linesFromStart ?? file.linesRead, runId: this.current!.runId, fingerprint, position, window: this.options.window,
    });
  }

  /** Crosses a batch's lines (line-stage.ts); its hits go into the visit stage as the input's stream. */
  processBatch(inputName: string, batch: LineBatch, parser: LineParser, file: InputSummary): void {
    this.lines.process({ name: inputName, parser, skipThrough: this.skipThrough, window: this.options.window }, batch, {
      file, summary: this.summary, quarantine: this.quarantine!, row: this.row, push: this.pushHit,
    });
  }

  private readonly pushHit = (hit: LineHit): void => this.visits.push(hit, this.stream);

  /** A hit the visit stage releases, in time order with `isEntry` set: its `requests` row. */
  private write(hit: LineHit): void {
    this.current!.writer.add(hit, hit.row, hit.input, hit.lineNo);
  }

  /**
   * Ends the visits of the current staged run before its publish (see RunVisits.endRun): `final` at the end
   * of the process's reading, not at a --follow commit.
   */
  async endVisits(final: boolean): Promise<void> {
    await this.visits.endRun(final, this.summary, this.options.window);
  }

  /** Publishes the current staged run (replacing what its scope names) and adds its outcome to the summary. */
  async publish(): Promise<void> {
    const staged = this.current!;
    this.progress.phase('publishing');
    this.quarantine!.flush();
    // Still current while the last batch is sent: when that fails, abandon() drops the staging and records
    // the run failed (once its swaps have begun, abandon leaves it `publishing` for the next run).
    // A store shared by several hosts publishes one run at a time (publish-lock.ts).
    const result = await publishingAlone(this.store.client, !this.store.exclusive, { runId: staged.runId, warn: this.options.warn },
      () => staged.publish(this.scopeOf(staged), this.store.client));
    this.current = null;
    this.summary.rowsWritten += staged.writer.rowsWritten - result.expired.rows;
    this.summary.rowsReplaced += result.rowsReplaced;
    this.summary.days = [...new Set([...this.summary.days, ...result.days])].sort();
    this.summary.warnings.push(...publishWarnings(result));
  }

  private scopeOf(staged: StagedRun): ReplaceScope | null {
    if (this.options.window !== undefined) return { fingerprints: [...staged.prints], ...this.options.window };
    if (staged.prints.size > 0) return { fingerprints: [...staged.prints] };
    return null;
  }

  /** The run failed or was stopped before its publish: nothing of it is kept. */
  async abandon(err: unknown): Promise<void> {
    const staged = this.current;
    this.current = null;
    if (staged === null) return;
    if (err instanceof InterruptedError) await staged.abandon('interrupted', `${err.message} before publishing: nothing of the run was published`);
    else await staged.abandon('failed', err instanceof Error ? err.message.split('\n')[0] : String(err));
  }

  finish(): IngestSummary {
    const summary = this.summary;
    summary.quarantineFile = this.quarantine?.writtenFile ?? null;
    summary.elapsedSeconds = (Date.now() - this.started) / 1000;
    summary.linesPerSecond = summary.elapsedSeconds > 0 ? Math.round(summary.linesRead / summary.elapsedSeconds) : 0;
    return summary;
  }

  /** Every run, failed ones too: the quarantine file is closed and expired salts deleted. */
  close(): void {
    this.progress.end();
    this.quarantine?.close();
    this.salts.prune();
  }
}
