// Parse throughput per preset, one core: node scripts/bench-formats.mjs [lines]
// Lines are built from the preset samples and the real logs in ../shared when present, repeated to N.
import { existsSync, readFileSync } from 'node:fs';
import { CompiledParser } from '../dist/formats/compiled.js';
import { parseNginxFormat } from '../dist/formats/format-string.js';
import { findPreset } from '../dist/formats/presets.js';
import { emptyRawHit } from '../dist/formats/types.js';

const N = Number(process.argv[2] ?? 1_000_000);
const real = new URL('../../shared/corpus/real/elastic_apache_logs.log', import.meta.url).pathname;
const combinedLines = existsSync(real)
  ? readFileSync(real, 'utf8').trimEnd().split('\n')
  : [findPreset('combined').sample];

function bench(label, parser, lines) {
  const hit = emptyRawHit();
  let ok = 0;
  for (let i = 0; i < 200_000; i++) parser.parse(lines[i % lines.length], hit); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) if (parser.parse(lines[i % lines.length], hit) === null) ok++;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${label.padEnd(34)} ${Math.round(N / seconds).toLocaleString('en-US').padStart(10)} lines/s  (${ok}/${N} parsed)`);
}

const options = { proxies: null };
bench('combined (ClfParser)', findPreset('combined').create(options), combinedLines);
bench('combined (compiled nginx string)', new CompiledParser('combined', parseNginxFormat(
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"')), combinedLines);
for (const name of ['combined_timed', 'alb', 'haproxy', 'caddy', 'nginx_json']) {
  const preset = findPreset(name);
  bench(name, preset.create(options), [preset.sample]);
}
