import { PageRule } from '../enrich/page.js';
import { UserAgentClassifier } from '../enrich/useragent.js';
import type { Quarantine } from '../formats/quarantine.js';
import { emptyRawHit, isSkip, type LineParser, type ParseOutcome, type RejectReason } from '../formats/types.js';
import { PrivacyBoundary, type NetworkLookups } from '../privacy/boundary.js';
import { EmailTracking } from '../privacy/email.js';
import { ExclusionRules } from '../privacy/exclusions.js';
import { OutputCheck } from '../privacy/output-check.js';
import type { SaltStore } from '../privacy/salt.js';
import { refusalOf, type RowContext } from '../sink/clickhouse/columns.js';
import type { LineBatch } from '../sources/file.js';
import { emailConfig, exclusionConfig, privacyConfig, sessionsConfig, type PipelineConfig } from './config.js';
import type { IngestSummary, InputSummary } from './run-types.js';
import type { LineHit } from './visit-wiring.js';

/** The input a batch belongs to, as the per-line stages read it. */
export interface LineInput {
  name: string;
  parser: LineParser;
  /** Lines up to this number were loaded before: read through the parser (for its state), not kept. */
  skipThrough: number;
  /** Only lines in [from, to) are kept (nightly); the others are counted as other days. */
  window?: { from: number; to: number };
}

/** Where a batch's outcome goes: its counts, its rejected and repaired lines, and its hits. */
export interface LineOutlet {
  file: InputSummary;
  summary: IngestSummary;
  quarantine: Quarantine;
  /** What every row of the input carries besides the hit. */
  row: RowContext;
  push(hit: LineHit): void;
}

/**
 * The per-line stages of a run: parse → exclusions → privacy boundary → enrichment → the checks before a row
 * is encoded (output check, column ranges). Made once per process: visitor ids, the user-agent cache and the
 * exclusion counts last as long as it.
 */
export class LineStage {
  readonly boundary: PrivacyBoundary;
  readonly exclusions: ExclusionRules;
  private readonly outputCheck: OutputCheck;
  private readonly agents: UserAgentClassifier;
  private readonly pages: PageRule;
  /** Reused for every line; a new one per input, so no field of one format's lines outlives its input. */
  private raw = emptyRawHit();

  /** @param beforeHit called before a request is crossed (the visit stage resumes the boundary's carry keys at the first: RunVisits.beforeHit) */
  constructor(config: PipelineConfig, salts: SaltStore, lookups: NetworkLookups, private readonly beforeHit: (time: number) => void) {
    const privacy = privacyConfig(config);
    this.exclusions = new ExclusionRules(exclusionConfig(config));
    const email = new EmailTracking(emailConfig(config), salts, privacy.scrub);
    this.boundary = new PrivacyBoundary(privacy, salts, lookups, {
      exclusions: this.exclusions, email, sessions: { visitTimeoutMs: sessionsConfig(config).timeoutMs },
    });
    this.outputCheck = new OutputCheck(privacy);
    this.agents = new UserAgentClassifier(config.enrich.ua_cache_size, config.enrich.people);
    this.pages = new PageRule(config.enrich.pages.extensions, config.enrich.pages.statuses);
  }

  /** A new input begins. */
  startInput(): void {
    this.raw = emptyRawHit();
  }

  /**
   * Reads the lines of a batch an earlier load covered: through the parser, whose state (W3C #Fields, say)
   * the lines after them may need, but not into the store. Returns the index of the first new line.
   */
  private skipLoaded(input: LineInput, batch: LineBatch, file: InputSummary): number {
    const count = Math.min(batch.lines.length, input.skipThrough - batch.firstLineNo + 1);
    for (let i = 0; i < count; i++) input.parser.parse(batch.lines[i], this.raw);
    file.linesRead += count;
    file.alreadyLoaded += count;
    return count;
  }

  process(input: LineInput, batch: LineBatch, out: LineOutlet): void {
    const { lines, oversized } = batch;
    const { name: inputName, parser, window } = input;
    const { file, summary, row } = out;
    const raw = this.raw;
    const first = batch.firstLineNo <= input.skipThrough ? this.skipLoaded(input, batch, file) : 0;
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
        summary.skipped[reason] = (summary.skipped[reason] ?? 0) + 1;
        continue;
      }
      if (reason === null && window !== undefined && (raw.time < window.from || raw.time >= window.to)) {
        file.otherDays++;
        continue;
      }
      if (reason !== null) {
        this.reject(out, inputName, batch.firstLineNo + i, reason, lines[i], parser);
        continue;
      }
      if (this.boundary.exclusion(raw) !== null) {
        // Left out by an `exclude:` rule: counted under the rule (ExclusionRules), not parsed further, not quarantined.
        file.excluded++;
        continue;
      }
      this.beforeHit(raw.time);
      const anon = this.boundary.cross(raw);
      const client = this.agents.classifyRequest(anon.userAgent, anon.path);
      // Checked before the row is encoded (privacy/output-check.ts): nothing address-like where it does not belong.
      const leak = this.outputCheck.check(anon) ?? this.outputCheck.checkValues(client);
      if (leak !== null) {
        this.reject(out, inputName, batch.firstLineNo + i, 'identifier_in_output', lines[i], parser, { column: leak.column, kind: leak.kind });
        continue;
      }
      const repair = parser.lastRepair;
      const hit: LineHit = {
        anon,
        client,
        // The open pixel and the click redirect are never page views.
        isPage: anon.email === null && this.pages.isPage(anon.path, anon.status),
        isEntry: false,
        input: inputName,
        lineNo: batch.firstLineNo + i,
        row,
      };
      // Checked before the row is encoded: a value the store cannot hold rejects this line, not a batch.
      const refusal = refusalOf(hit, row);
      if (refusal !== null) {
        this.reject(out, inputName, batch.firstLineNo + i, refusal, lines[i], parser);
        continue;
      }
      if (repair !== null) {
        summary.repaired[repair] = (summary.repaired[repair] ?? 0) + 1;
        out.quarantine.repaired(inputName, batch.firstLineNo + i, repair);
      }
      if (client.isBot) summary.bots++;
      file.parsed++;
      out.push(hit);
    }
  }

  private reject(out: LineOutlet, inputName: string, lineNo: number, reason: RejectReason, line: string, parser: LineParser,
    detail?: Readonly<Record<string, string>>): void {
    out.file.rejected++;
    out.summary.rejectedByReason[reason] = (out.summary.rejectedByReason[reason] ?? 0) + 1;
    out.quarantine.reject(inputName, lineNo, reason, line, parser, detail);
  }
}
