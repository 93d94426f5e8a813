import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { siftlogInProcess, sqlRowsInProcess, tempDir } from '../helpers/cli.js';
import { copyTemplateStore } from '../helpers/store-template.js';

/** A combined line of client 198.51.100.`n` at `iso` (UTC). */
function line(iso: string, path: string, n: number): string {
  const d = new Date(iso);
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (v: number) => String(v).padStart(2, '0');
  const stamp = `${pad(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  return `198.51.100.${n} - - [${stamp}] "GET ${path} HTTP/1.1" 200 512 "-" "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"`;
}

function daysAgo(n: number, hour: number): string {
  const d = new Date(Date.now() - n * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
}

t.test('retention drops the visits and day-start visit states of the days whose requests it drops', async (t) => {
  const dir = tempDir(t);
  const store = copyTemplateStore(join(dir, 'store'));
  const old = [line(daysAgo(20, 10), '/old', 1), line(daysAgo(20, 11), '/old-again', 2), line(daysAgo(19, 10), '/next-day', 1)];
  const recent = [line(daysAgo(1, 10), '/new', 3), line(daysAgo(1, 10).replace(':00:00', ':01:00'), '/new-2', 3)];
  writeFileSync(join(dir, 'old.log'), `${old.join('\n')}\n`);
  writeFileSync(join(dir, 'new.log'), `${recent.join('\n')}\n`);
  writeFileSync(join(dir, 'keep.yaml'), 'retention:\n  requests_days: 3\n');

  const first = await siftlogInProcess(['ingest', join(dir, 'old.log'), '--store', store]);
  t.equal(first.code, 0, first.stderr);
  const oldDay = daysAgo(20, 0).slice(0, 10);
  t.same(await sqlRowsInProcess(store, `SELECT count() AS n FROM visits WHERE toDate(start) = '${oldDay}'`), [{ n: 2 }], 'the old day has its visits');
  const nextDay = daysAgo(19, 0).slice(0, 10);
  t.same(await sqlRowsInProcess(store, `SELECT count() AS n FROM visit_state WHERE day = '${nextDay}'`), [{ n: 1 }], 'the next day has the state it started with');

  const second = await siftlogInProcess(['ingest', join(dir, 'new.log'), '--store', store, '--pipeline', join(dir, 'keep.yaml')]);
  t.equal(second.code, 0, second.stderr);
  t.same(await sqlRowsInProcess(store, `SELECT count() AS n FROM requests WHERE toDate(ts) = '${oldDay}'`), [{ n: 0 }], 'its requests dropped');
  t.same(await sqlRowsInProcess(store, `SELECT count() AS n FROM visits WHERE toDate(start) = '${oldDay}'`), [{ n: 0 }],
    'its visits dropped with them: a visit row is as fine-grained as a request');
  t.same(await sqlRowsInProcess(store, `SELECT count() AS n FROM visits`), [{ n: 1 }], 'the recent visit kept');
  t.same(await sqlRowsInProcess(store, `SELECT count() AS n FROM visit_state WHERE day = '${nextDay}'`), [{ n: 0 }],
    'no state left for a day that can no longer be run again');
  t.same(await sqlRowsInProcess(store, `SELECT count() AS n FROM visit_state WHERE day = ''`), [{ n: 1 }], 'the latest state kept');
  t.same(await sqlRowsInProcess(store, `SELECT sum(hits) AS hits FROM traffic_daily WHERE day = '${oldDay}'`), [{ hits: 2 }], 'its trend rows kept');
});
