import { existsSync, readFileSync } from 'node:fs';
import t from 'tap';
import { detectFormat } from '../../src/formats/detect.js';
import { emptyRawHit, isSkip, type LineParser } from '../../src/formats/types.js';
import { readLines } from '../../src/sources/file.js';

const real = new URL('../../../shared/corpus/real/', import.meta.url).pathname;
const manifestPath = `${real}MANIFEST.json`;

interface ManifestEntry {
  file: string;
  stats: { lines: number; matched_clf?: number; data_lines?: number };
}

/**
 * Each real log loads as ingest loads it (detection on the first lines of the file, then every line): the
 * parsed count is the manifest's count of valid lines, and every other line is rejected with a reason or
 * skipped as a directive.
 */
t.test('real logs load with the manifest\'s counts', { skip: !existsSync(manifestPath) && 'no ../shared corpus here' }, async (t) => {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ManifestEntry[];
  t.equal(manifest.length, 6);
  for (const entry of manifest) {
    const path = `${real}${entry.file}`;
    let parser: LineParser | null = null;
    let lines = 0, parsed = 0, skipped = 0;
    const rejected: Record<string, number> = {};
    const hit = emptyRawHit();
    for await (const batch of readLines({ name: path, path }, { maxLineLength: 65_536 })) {
      parser ??= detectFormat(batch.lines.slice(0, 200)).preset.create({ proxies: null });
      for (const line of batch.lines) {
        lines++;
        const outcome = parser.parse(line, hit);
        if (outcome === null) parsed++;
        else if (isSkip(outcome)) skipped++;
        else rejected[outcome] = (rejected[outcome] ?? 0) + 1;
      }
    }
    const valid = entry.stats.data_lines ?? entry.stats.matched_clf!;
    const rejectedCount = Object.values(rejected).reduce((a, b) => a + b, 0);
    t.comment(`${entry.file}: ${parser!.name}, ${parsed}/${lines} parsed (manifest ${valid}), ${skipped} directives, rejected ${JSON.stringify(rejected)}`);
    t.equal(lines, entry.stats.lines, `${entry.file}: every line read`);
    t.equal(parsed, valid, `${entry.file}: parsed = the manifest's valid lines`);
    t.equal(rejectedCount + skipped, lines - valid, `${entry.file}: every other line rejected with a reason or skipped as a directive`);
  }
});
