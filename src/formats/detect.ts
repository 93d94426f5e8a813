import { lineShape } from './line-shape.js';
import { DETECTABLE, type FormatPreset, type ParserOptions } from './presets.js';
import { emptyRawHit, isSkip, type RawHit, type RejectReason } from './types.js';

export interface Detection {
  preset: FormatPreset;
  /** Lines of the sample that the chosen preset parsed (or recognised as directives/skipped records). */
  matched: number;
  sampled: number;
}

export interface CandidateScore {
  name: string;
  matched: number;
  /** The reason the candidate gave most often for the lines it rejected. */
  commonReason: RejectReason | null;
}

export class FormatNotDetectedError extends Error {
  constructor(readonly sampleLine: string, readonly candidates: CandidateScore[], readonly sampled: number) {
    const closest = candidates.slice(0, 3)
      .map((c) => `${c.name} ${c.matched}/${sampled}${c.commonReason ? ` (mostly ${c.commonReason})` : ''}`).join(', ');
    // The line itself may name a client: the message (printed, and stored with the input) shows only its shape.
    super(`no known format matches; the first line looks like: ${JSON.stringify(lineShape(sampleLine).slice(0, 200))}; closest: ${closest}. `
      + 'Give --format NAME (see "siftlog formats") or the server\'s own format string with --log-format.');
  }
}

/**
 * How far into a line a parser got before rejecting it: a preset that failed only on the time or the
 * status is a closer candidate than one that did not recognise the line's shape at all.
 */
const DEPTH: Partial<Record<RejectReason, number>> = {
  missing_field: 1, bad_timestamp: 2, bad_request_line: 3, bad_status: 4, bad_bytes: 4,
};

/** How many optional fields a parse filled: a format that reads more of the line explains it better. */
function richness(hit: RawHit): number {
  return (hit.userAgent !== null ? 1 : 0) + (hit.vhost.length > 0 ? 1 : 0) + (hit.durationMs >= 0 ? 1 : 0)
    + (hit.forwardedFor.length > 0 ? 1 : 0);
}

/**
 * Chooses the preset that parses most of the sample lines (the first lines of one input); among equals,
 * the one that fills more fields, then the earlier in the preset list. Fails when no preset parses at
 * least half of the non-empty lines.
 */
export function detectFormat(sample: readonly string[], options: ParserOptions = { proxies: null }): Detection {
  const lines = sample.filter((l) => l.length > 0);
  const hit = emptyRawHit();
  const scores = DETECTABLE.map((preset) => {
    const parser = preset.create(options);
    let matched = 0;
    let filled = 0;
    let depth = 0;
    const reasons = new Map<RejectReason, number>();
    for (const line of lines) {
      const outcome = parser.parse(line, hit);
      if (outcome === null) {
        matched++;
        filled += richness(hit);
      } else if (isSkip(outcome)) {
        matched++;
      } else {
        reasons.set(outcome, (reasons.get(outcome) ?? 0) + 1);
        depth += DEPTH[outcome] ?? 0;
      }
    }
    let commonReason: RejectReason | null = null;
    for (const [reason, count] of reasons) if (commonReason === null || count > reasons.get(commonReason)!) commonReason = reason;
    return { preset, matched, filled, depth, commonReason };
  });
  let best = scores[0];
  for (const s of scores) {
    if (s.matched > best.matched || (s.matched === best.matched && s.filled > best.filled)) best = s;
  }
  if (best.matched === 0 || best.matched * 2 < lines.length) {
    const ranked = [...scores].sort((a, b) => b.matched - a.matched || b.depth - a.depth)
      .map((s) => ({ name: s.preset.name, matched: s.matched, commonReason: s.commonReason }));
    throw new FormatNotDetectedError(lines[0] ?? '', ranked, lines.length);
  }
  return { preset: best.preset, matched: best.matched, sampled: lines.length };
}
