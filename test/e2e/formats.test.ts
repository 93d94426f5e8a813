import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { PRESETS } from '../../src/formats/presets.js';
import type { IngestSummary, InputSummary } from '../../src/pipeline/ingest.js';
import { siftlogInProcess, tempDir } from '../helpers/cli.js';
import { copyTemplateStore } from '../helpers/store-template.js';

// In this process: what is under test is the commands' output and exit codes, not the process (the
// subprocess's exit code and stdin are pinned by test/e2e/ingest.test.ts).
const siftlog = (...args: string[]) => siftlogInProcess(args);

t.test('siftlog formats lists every preset with a sample line', async (t) => {
  const run = await siftlog('formats');
  t.equal(run.code, 0);
  for (const preset of PRESETS) t.match(run.stdout, new RegExp(`^${preset.name}\\n  .+\\n(  format: .+\\n)?  sample: .+`, 'm'), preset.name);
  t.match(run.stdout, /^auto\n/m);
  t.match(run.stdout, /^custom\n/m);
});

t.test('ingest detects each file\'s format, skips directives, and fails one unknown file with candidates', async (t) => {
  const dir = tempDir(t, 'siftlog-formats-');
  const w3c = join(dir, 'u_ex150113.log');
  writeFileSync(w3c, [
    '#Software: Microsoft Internet Information Services 8.5',
    '#Fields: date time c-ip cs-method cs-uri-stem cs-uri-query sc-status sc-bytes cs(User-Agent) time-taken',
    '2015-01-13 00:32:17 2001:db8::1 GET /a x=1 200 10 Mozilla/5.0+(X11) 15',
    '2015-01-13 00:32:18 192.0.2.1 GET /b - 404 0 - 3',
    '#Fields: date time c-ip cs-method cs-uri-stem sc-status',
    '2015-01-13 00:40:00 192.0.2.2 POST /c 201',
  ].join('\r\n'));
  const haproxy = join(dir, 'haproxy.log');
  writeFileSync(haproxy, 'Sep 25 06:05:27 lb1 haproxy[6801]: 203.0.113.9:55008 [25/Sep/2018:06:05:27.584] ft bk/web1 0/0/0/72/72 200 7456 - - ---- 5/4/0/1/0 0/0 "POST /user/ HTTP/1.1"\n');
  const unknown = join(dir, 'app.log');
  writeFileSync(unknown, 'INFO started\nINFO ready\n');
  const run = await siftlog('ingest', '--json', '-s', copyTemplateStore(join(dir, 'store')), w3c, haproxy, unknown);
  t.equal(run.code, 2, 'some input failed: exit 2');
  t.match(run.stderr, /^siftlog: \S+app\.log: no known format matches;[^\n]*\n$/, 'one line for the input that failed');
  const summary = JSON.parse(run.stdout) as IngestSummary;
  t.same(summary.inputs.map((f: InputSummary) => [f.format, f.linesRead, f.parsed, f.rejected, f.skipped]), [
    ['w3c (auto, 6/6 sample lines)', 6, 3, 0, 3],
    ['haproxy (auto, 1/1 sample lines)', 1, 1, 0, 0],
    ['', 0, 0, 0, 0],
  ]);
  t.same(summary.skipped, { directive: 3 });
  t.match(summary.errors[0], /^.*app\.log: no known format matches; the first line looks like: "x x"; closest: \w+ 0\/2 \(mostly \w+\), /);
});

t.test('a custom format string is compiled; a broken one is a config error without a stack', async (t) => {
  const dir = tempDir(t, 'siftlog-formats-');
  const log = join(dir, 'custom.log');
  writeFileSync(log, 'example.org 192.0.2.7 2024-03-01T10:05:03+01:00 "GET /x?utm_source=a HTTP/2.0" 200 0.004\nexample.org - 2024-03-01T10:05:04+01:00 "GET / HTTP/2.0" 200 0.001\n');
  const run = await siftlog('ingest', '--json', '-s', copyTemplateStore(join(dir, 'store')), '--log-format', '$host $remote_addr $time_iso8601 "$request" $status $request_time', log);
  t.equal(run.code, 0, run.stderr);
  const summary = JSON.parse(run.stdout) as IngestSummary;
  t.same([summary.inputs[0].format, summary.parsed, summary.rejectedByReason], ['custom', 1, { missing_field: 1 }]);
  const broken = await siftlog('ingest', '-s', join(dir, 'store'), '--log-format', '$remote_addr$status', log);
  t.equal(broken.code, 1);
  t.equal(broken.stderr, 'siftlog: log_format: $remote_addr and $status have no text between them, so a line cannot be split there\n');
});

t.test('a pipeline file maps NDJSON fields and lists trusted proxies; a bad proxy entry is a config error', async (t) => {
  const dir = tempDir(t, 'siftlog-formats-');
  const log = join(dir, 'app.ndjson');
  writeFileSync(log, [
    '{"at":"2024-03-01T09:05:03Z","peer":"10.0.0.2","xff":"198.51.100.4, 10.0.0.9","req":{"verb":"GET","url":"/a"},"code":200,"took":12}',
    '{"at":"2024-03-01T09:05:04Z","peer":"10.0.0.2","req":{"verb":"GET","url":"/b"},"code":"oops"}',
  ].join('\n'));
  const pipeline = join(dir, 'pipeline.yaml');
  writeFileSync(pipeline, [
    `store: { dir: ${join(dir, 'store')} }`,
    'format: json',
    'json_fields: { client: peer, time: at, method: req.verb, target: req.url, status: code, duration: took, forwardedFor: xff }',
    'json_duration_unit: ms',
    'trusted_proxies: [10.0.0.0/8]',
    'enrich: { geo: off, asn: off }',
  ].join('\n'));
  copyTemplateStore(join(dir, 'store'));
  const run = await siftlog('ingest', '--json', '-p', pipeline, log);
  t.equal(run.code, 0, run.stderr);
  const summary = JSON.parse(run.stdout);
  t.same([summary.inputs[0].format, summary.parsed, summary.rejectedByReason], ['json', 1, { bad_status: 1 }]);
  writeFileSync(pipeline, `store: { dir: ${join(dir, 'store')} }\ntrusted_proxies: [10.0.0.0/40]\n`);
  const bad = await siftlog('ingest', '-p', pipeline, log);
  t.equal(bad.code, 1);
  t.equal(bad.stderr, 'siftlog: trusted_proxies: "10.0.0.0/40" has an invalid prefix length\n');
});

t.test('bad input is counted with its reason and never a stack trace', async (t) => {
  const dir = tempDir(t, 'siftlog-formats-');
  const good = '192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326 "-" "curl/8.0"';
  const messy = join(dir, 'messy.log');
  writeFileSync(messy, Buffer.concat([
    Buffer.from(`${good}\n${good.replace('curl', 'cu\0rl')}\n${good.replace('/ ', `/${'a'.repeat(70_000)} `)}\n`),
    Buffer.from(good.replace('curl', 'cu')), Buffer.from([0xff, 0xfe]), Buffer.from('rl\n'),
    Buffer.from('192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "-" 400 0 "-" "-"\n'),
  ]));
  const empty = join(dir, 'empty.log');
  writeFileSync(empty, '');
  const run = await siftlog('ingest', '--json', '-s', copyTemplateStore(join(dir, 'store')), messy, empty, join(dir, 'missing.log'));
  t.equal(run.code, 2);
  t.equal(run.stderr, `siftlog: ${join(dir, 'missing.log')}: no such file\n`, 'one line for the input that failed');
  const summary = JSON.parse(run.stdout);
  t.same(summary.inputs.map((f: InputSummary) => [f.linesRead, f.parsed, f.rejected, f.error]), [
    [5, 2, 3, null],
    [0, 0, 0, null],
    [0, 0, 0, 'no such file'],
  ]);
  t.same(summary.rejectedByReason, { nul_bytes: 1, line_too_long: 1, bad_request_line: 1 });
});
