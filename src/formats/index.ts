import { ClfParser } from './clf.js';
import { emptyRawHit, type LineParser } from './types.js';

export interface FormatPreset {
  name: string;
  description: string;
  sample: string;
  create(): LineParser;
}

export const PRESETS: readonly FormatPreset[] = [
  {
    name: 'combined',
    description: 'NCSA combined (Apache/nginx default), optional leading virtual host',
    sample: '203.0.113.9 - - [17/May/2015:10:05:03 +0000] "GET /index.html HTTP/1.1" 200 5120 "https://example.com/" "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"',
    create: () => new ClfParser(true),
  },
  {
    name: 'common',
    description: 'NCSA common log format (CLF), optional leading virtual host',
    sample: '203.0.113.9 - - [17/May/2015:10:05:03 +0000] "GET /index.html HTTP/1.1" 200 5120',
    create: () => new ClfParser(false),
  },
];

export const FORMAT_NAMES = ['auto', ...PRESETS.map((p) => p.name)] as const;

export function findPreset(name: string): FormatPreset | undefined {
  return PRESETS.find((p) => p.name === name);
}

export interface Detection {
  preset: FormatPreset;
  /** Lines of the sample that the chosen preset parsed. */
  matched: number;
  sampled: number;
}

export class FormatNotDetectedError extends Error {
  constructor(readonly sampleLine: string, readonly scores: Array<{ name: string; matched: number }>, sampled: number) {
    const best = scores.map((s) => `${s.name} ${s.matched}/${sampled}`).join(', ');
    super(`no known format matches; first line: ${JSON.stringify(sampleLine.slice(0, 200))}; closest: ${best}`);
  }
}

/**
 * Chooses the preset that parses most of the sample lines. Combined wins over common only when the lines
 * really carry a user agent, so a CLF log is not read as combined with every agent missing.
 */
export function detectFormat(sample: readonly string[]): Detection {
  const lines = sample.filter((l) => l.length > 0);
  const hit = emptyRawHit();
  const scores = PRESETS.map((preset) => {
    const parser = preset.create();
    let matched = 0;
    let withAgent = 0;
    for (const line of lines) {
      if (parser.parse(line, hit) === null) {
        matched++;
        if (hit.userAgent !== null) withAgent++;
      }
    }
    return { preset, matched, withAgent };
  });
  const combined = scores.find((s) => s.preset.name === 'combined')!;
  const common = scores.find((s) => s.preset.name === 'common')!;
  const chosen = combined.withAgent * 2 >= combined.matched && combined.matched > 0 ? combined : common;
  if (chosen.matched === 0 || chosen.matched * 2 < lines.length) {
    throw new FormatNotDetectedError(lines[0] ?? '', scores.map((s) => ({ name: s.preset.name, matched: s.matched })), lines.length);
  }
  return { preset: chosen.preset, matched: chosen.matched, sampled: lines.length };
}
