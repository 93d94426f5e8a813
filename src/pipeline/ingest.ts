import { randomUUID } from 'node:crypto';
import type { Hit } from '../enrich/hit.js';
import { PageRule } from '../enrich/page.js';
import { UserAgentClassifier } from '../enrich/useragent.js';
import { customPreset, detectFormat, findPreset, FormatNotDetectedError, TrustedProxies, type FormatPreset, type ParserOptions } from '../formats/index.js';
import { FormatStringError } from '../formats/format-string.js';
import { Quarantine } from '../formats/quarantine.js';
import { emptyRawHit, isSkip, type LineParser, type ParseOutcome, type RejectReason, type RepairKind, type SkipKind } from '../formats/types.js';
import { PrivacyBoundary, type NetworkLookups } from '../privacy/boundary.js';
import { OutputCheck } from '../privacy/output-check.js';
import { SiteCalendar } from '../privacy/calendar.js';
import { SaltStore } from '../privacy/salt.js';
import { VisitTracker } from '../sessions/visits.js';
import { Provenance } from '../sink/clickhouse/provenance.js';
import type { Store } from '../sink/clickhouse/store.js';
import { RequestWriter, requestRow } from '../sink/clickhouse/writer.js';
import { resolve } from 'node:path';
import { CheckpointStore } from '../sources/checkpoint.js';
import { checkInput, readLines, SourceError, type InputSpec, type LineBatch } from '../sources/file.js';
import { FINGERPRINT_LINES, inputKey } from '../sources/fingerprint.js';
import { followFile } from '../sources/follow.js';
import { ConfigError, privacyConfig, type PipelineConfig } from './config.js';
import { EarlierLoads } from './earlier-loads.js';

export interface InputSummary {
  input: string;
  format: string;
  linesRead: number;
  parsed: number;
  rejected: number;
  /** Directive lines and TCP-listener records: not hits, not errors. */
  skipped: number;
  /** Leading lines an earlier run loaded into this store (the same content, under any name). */
  alreadyLoaded: number;
  /** The run that loaded them, when there was one. */
  loadedBy: string | null;
  error: string | null;
}

export interface IngestSummary {
  runId: string;
  store: string;
  mode: 'embedded' | 'server';
  inputs: InputSummary[];
  linesRead: number;
  parsed: number;
  rejected: number;
  rejectedByReason: Partial<Record<RejectReason, number>>;
  skipped: Partial<Record<SkipKind, number>>;
  repaired: Partial<Record<RepairKind, number>>;
  /** Lines skipped because an earlier run (or an earlier input of this run) loaded them. */
  alreadyLoaded: number;
  bots: number;
  rowsWritten: number;
  elapsedSeconds: number;
  linesPerSecond: number;
  quarantineFile: string | null;
  errors: string[];
}

export interface IngestOptions {
  /** The clock that decides which salts are past their window (tests inject one). */
  now?: () => number;
  /** Follow one growing file instead of reading the inputs once. */
  follow?: FollowControl;
  /** Load inputs again even when the store has loaded them before (their lines are counted twice). */
  force?: boolean;
}

const DETECTION_SAMPLE = 200;
export const SIFTLOG_VERSION = '0.1.0';

/**
 * Runs inputs through the stages in order: sources → formats → privacy → enrich → sessions → sink.
 * One input's failure (missing, a directory, truncated gzip, no known format) is reported in the summary
 * and the other inputs still load.
 */
export async function ingest(
  inputs: readonly InputSpec[], config: PipelineConfig, store: Store, lookups: NetworkLookups, options: IngestOptions = {},
): Promise<IngestSummary> {
  const run = new IngestRun(config, store, lookups, options.now ?? Date.now, options.force === true);
  const follow = options.follow;
  if (follow !== undefined) {
    if (inputs.length !== 1 || inputs[0].path === null) throw new ConfigError('--follow takes exactly one log file (not stdin, not several files)');
    await run.follow(inputs[0], follow);
  } else {
    for (const input of inputs) await run.load(input);
  }
  return run.finish();
}


/** `--follow`: read one growing file until `signal` aborts (Ctrl-C), committing and checkpointing as it goes. */
export interface FollowControl {
  signal: AbortSignal;
  pollMs: number;
}

class IngestRun {
  private readonly started = Date.now();
  private readonly runId = randomUUID();
  private readonly salts: SaltStore;
  private readonly boundary: PrivacyBoundary;
  private readonly outputCheck: OutputCheck;
  private readonly agents: UserAgentClassifier;
  private readonly pages: PageRule;
  private readonly visits = new VisitTracker();
  private readonly writer: RequestWriter;
  private readonly quarantine: Quarantine;
  private readonly provenance: Provenance;
  private readonly earlierLoads: EarlierLoads;
  /** Lines of the current input up to this number were loaded before: read (for the parser's state), not stored. */
  private skipThrough = 0;
  /** Reused for every line; a new one per input, so no field of one format's lines outlives its input. */
  private raw = emptyRawHit();
  private readonly parserOptions: ParserOptions;
  /** The preset every input uses, or null to detect one per input. */
  private readonly fixedPreset: FormatPreset | null;
  readonly summary: IngestSummary;

  constructor(
    private readonly config: PipelineConfig, private readonly store: Store, lookups: NetworkLookups, now: () => number,
    private readonly force: boolean,
  ) {
    this.salts = new SaltStore(store.stateDir, config.privacy.salt_window_days, new SiteCalendar(config.privacy.time_zone), now);
    const privacy = privacyConfig(config);
    this.boundary = new PrivacyBoundary(privacy, this.salts, lookups);
    this.outputCheck = new OutputCheck(privacy);
    this.agents = new UserAgentClassifier(config.enrich.ua_cache_size, config.enrich.people);
    this.pages = new PageRule(config.enrich.pages.extensions, config.enrich.pages.statuses);
    this.writer = new RequestWriter(store);
    this.quarantine = new Quarantine(store.quarantineDir, this.runId, this.boundary.rejectedLines);
    this.provenance = new Provenance(store.client);
    this.earlierLoads = new EarlierLoads(this.provenance, inputKey(store.stateDir), this.runId);
    ({ options: this.parserOptions, preset: this.fixedPreset } = resolveFormat(config));
    this.summary = {
      runId: this.runId, store: store.dir, mode: store.mode, inputs: [], linesRead: 0, parsed: 0, rejected: 0,
      rejectedByReason: {}, skipped: {}, repaired: {}, alreadyLoaded: 0, bots: 0, rowsWritten: 0, elapsedSeconds: 0, linesPerSecond: 0,
      quarantineFile: null, errors: [],
    };
  }

  async load(input: InputSpec): Promise<void> {
    const file = this.startInput(input);
    this.raw = emptyRawHit();
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
    try {
      await checkInput(input);
      parser = this.fixedParser(file);
      const needed = parser === null ? DETECTION_SAMPLE : FINGERPRINT_LINES;
      for await (const batch of readLines(input, { maxLineLength: this.config.limits.max_line_length })) {
        if (held !== null) {
          held.push(batch);
          heldLines += batch.lines.length;
          if (heldLines < needed) continue;
          await begin();
        } else {
          this.processBatch(input.name, batch, parser!, file);
        }
        this.quarantine.flush();
        await this.writer.drain();
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
    // The input's rows are in before the store records it as loaded.
    await this.writer.finish();
    this.quarantine.flush();
    this.earlierLoads.remember(fingerprint, file.linesRead, file.alreadyLoaded, file.loadedBy);
    await this.recordInput(file, fingerprint);
    this.endInput(file);
  }

  /**
   * Deals with an input's first lines: looks up how far earlier runs loaded the same content (unless
   * forced), detects the format if none was given, and processes the lines held so far.
   */
  private async begin(
    input: InputSpec, held: readonly LineBatch[], parser: LineParser | null, file: InputSummary,
  ): Promise<{ parser: LineParser | null; fingerprint: string }> {
    const firstLines = held.flatMap((b) => b.lines).slice(0, FINGERPRINT_LINES);
    if (firstLines.length === 0) return { parser, fingerprint: '' };
    const earlier = await this.earlierLoads.find(firstLines, this.force);
    this.skipThrough = earlier.skipThrough;
    file.loadedBy = earlier.loadedBy;
    parser ??= this.detectParser(held, file);
    for (const b of held) this.processBatch(input.name, b, parser, file);
    return { parser, fingerprint: earlier.fingerprint };
  }

  /**
   * Follows one file: every batch is parsed as in load(); whenever reading has caught up with the end
   * of the file (and at least every few batches while catching up) the rows are inserted and only then
   * the position is checkpointed, so a restart resumes after the last counted line.
   */
  async follow(input: InputSpec, control: FollowControl): Promise<void> {
    const file = this.startInput(input);
    const checkpoints = new CheckpointStore(this.store.stateDir);
    const key = resolve(input.path!);
    try {
      await checkInput(input);
      let parser = this.fixedParser(file);
      let sinceCommit = 0;
      const options = { maxLineLength: this.config.limits.max_line_length, pollMs: control.pollMs };
      for await (const batch of followFile(key, input.name, options, checkpoints.get(key), control.signal)) {
        if (batch.lines.length > 0) {
          parser ??= this.detectParser([batch], file);
          this.processBatch(input.name, batch, parser, file);
        }
        sinceCommit += batch.lines.length;
        if (batch.caughtUp || sinceCommit >= 50_000) {
          await this.writer.finish();
          this.quarantine.flush();
          checkpoints.save(key, batch.position);
          sinceCommit = 0;
        }
      }
    } catch (err) {
      this.inputFailed(input, file, err);
    }
    await this.writer.finish();
    await this.recordInput(file, '');
    this.endInput(file);
  }

  private startInput(input: InputSpec): InputSummary {
    const file: InputSummary = {
      input: input.name, format: '', linesRead: 0, parsed: 0, rejected: 0, skipped: 0, alreadyLoaded: 0, loadedBy: null, error: null,
    };
    this.summary.inputs.push(file);
    return file;
  }

  private fixedParser(file: InputSummary): LineParser | null {
    if (this.fixedPreset === null) return null;
    const parser = this.fixedPreset.create(this.parserOptions);
    file.format = parser.name;
    return parser;
  }

  /** Detects the input's format from its first lines; throws FormatNotDetectedError with candidates. */
  private detectParser(batches: readonly LineBatch[], file: InputSummary): LineParser {
    const sample = batches.flatMap((b) => b.lines).slice(0, DETECTION_SAMPLE);
    const detection = detectFormat(sample, this.parserOptions);
    const parser = detection.preset.create(this.parserOptions);
    file.format = `${parser.name} (auto, ${detection.matched}/${detection.sampled} sample lines)`;
    return parser;
  }

  private inputFailed(input: InputSpec, file: InputSummary, err: unknown): void {
    if (!(err instanceof SourceError) && !(err instanceof FormatNotDetectedError)) throw err;
    file.error = err instanceof SourceError ? err.message.slice(input.name.length + 2) : err.message;
    this.summary.errors.push(`${input.name}: ${file.error}`);
  }

  private endInput(file: InputSummary): void {
    this.summary.linesRead += file.linesRead;
    this.summary.parsed += file.parsed;
    this.summary.rejected += file.rejected;
    this.summary.alreadyLoaded += file.alreadyLoaded;
  }

  private async recordInput(file: InputSummary, fingerprint: string): Promise<void> {
    await this.provenance.recordInput({ ...file, runId: this.runId, fingerprint });
  }

  /**
   * Reads the lines of a batch an earlier load covered: through the parser, whose state (W3C #Fields, say)
   * the lines after them may need, but not into the store. Returns the index of the first new line.
   */
  private skipLoaded(batch: LineBatch, parser: LineParser, file: InputSummary): number {
    const count = Math.min(batch.lines.length, this.skipThrough - batch.firstLineNo + 1);
    for (let i = 0; i < count; i++) parser.parse(batch.lines[i], this.raw);
    file.linesRead += count;
    file.alreadyLoaded += count;
    return count;
  }

  private processBatch(inputName: string, batch: LineBatch, parser: LineParser, file: InputSummary): void {
    const { lines, oversized } = batch;
    const raw = this.raw;
    const first = batch.firstLineNo <= this.skipThrough ? this.skipLoaded(batch, parser, file) : 0;
    let nextOversized = 0;
    while (nextOversized < oversized.length && oversized[nextOversized] < first) nextOversized++;
    for (let i = first; i < lines.length; i++) {
      file.linesRead++;
      let reason: ParseOutcome;
      if (nextOversized < oversized.length && oversized[nextOversized] === i) {
        nextOversized++;
        reason = 'line_too_long';
      } else {
        reason = parser.parse(lines[i], raw);
        if (reason === null && lines[i].indexOf('\0') >= 0) reason = 'nul_bytes';
      }
      if (reason !== null && isSkip(reason)) {
        file.skipped++;
        this.summary.skipped[reason] = (this.summary.skipped[reason] ?? 0) + 1;
        continue;
      }
      if (reason !== null) {
        this.reject(file, inputName, batch.firstLineNo + i, reason, lines[i], parser);
        continue;
      }
      const anon = this.boundary.cross(raw);
      const client = this.agents.classifyRequest(anon.userAgent, anon.path);
      const refusal = this.outputCheck.check(anon) ?? this.outputCheck.checkValues(client);
      if (refusal !== null) {
        this.reject(file, inputName, batch.firstLineNo + i, 'identifier_in_output', lines[i], parser, { column: refusal.column, kind: refusal.kind });
        continue;
      }
      const repair = parser.lastRepair;
      if (repair !== null) {
        this.summary.repaired[repair] = (this.summary.repaired[repair] ?? 0) + 1;
        this.quarantine.repaired(inputName, batch.firstLineNo + i, repair);
      }
      const hit: Hit = {
        anon,
        client,
        isPage: this.pages.isPage(anon.path, anon.status),
        isEntry: this.visits.isEntry(anon.visitorId, anon.time),
      };
      if (client.isBot) this.summary.bots++;
      file.parsed++;
      this.writer.push(requestRow(hit, this.runId));
    }
  }

  private reject(file: InputSummary, inputName: string, lineNo: number, reason: RejectReason, line: string, parser: LineParser,
    detail?: Readonly<Record<string, string>>): void {
    file.rejected++;
    this.summary.rejectedByReason[reason] = (this.summary.rejectedByReason[reason] ?? 0) + 1;
    this.quarantine.reject(inputName, lineNo, reason, line, parser, detail);
  }

  async finish(): Promise<IngestSummary> {
    await this.writer.finish();
    this.quarantine.close();
    this.salts.prune();
    const summary = this.summary;
    summary.rowsWritten = this.writer.rowsWritten;
    summary.quarantineFile = this.quarantine.writtenFile;
    summary.elapsedSeconds = (Date.now() - this.started) / 1000;
    summary.linesPerSecond = summary.elapsedSeconds > 0 ? Math.round(summary.linesRead / summary.elapsedSeconds) : 0;
    await this.recordRun();
    return summary;
  }

  private async recordRun(): Promise<void> {
    const s = this.summary;
    await this.provenance.recordRun({
      runId: this.runId, started: this.started, finished: Date.now(), version: SIFTLOG_VERSION, inputs: s.inputs.length,
      linesRead: s.linesRead, parsed: s.parsed, rejected: s.rejected, rowsWritten: s.rowsWritten,
    });
  }
}

/** The parser options and the fixed preset (null for auto) a pipeline asks for; a bad setting is a ConfigError. */
function resolveFormat(config: PipelineConfig): { options: ParserOptions; preset: FormatPreset | null } {
  let proxies: TrustedProxies | null = null;
  try {
    if (config.trusted_proxies.length > 0) proxies = new TrustedProxies(config.trusted_proxies);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const fields = config.json_fields === undefined ? undefined : Object.fromEntries(
    Object.entries(config.json_fields).filter(([, v]) => v !== undefined).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]),
  );
  const options: ParserOptions = { proxies, jsonFields: fields === undefined ? undefined : { ...fields, durationUnit: config.json_duration_unit } };
  if (config.format === 'auto') return { options, preset: null };
  if (config.format === 'custom') {
    if (config.log_format === undefined) throw new ConfigError('format custom needs a log_format string (or --log-format)');
    try {
      const preset = customPreset(config.log_format);
      preset.create(options);
      return { options, preset };
    } catch (err) {
      if (err instanceof FormatStringError) throw new ConfigError(`log_format: ${err.message}`);
      throw err;
    }
  }
  return { options, preset: findPreset(config.format)! };
}
