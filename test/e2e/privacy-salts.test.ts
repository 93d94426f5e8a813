import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { defaultConfig } from '../../src/pipeline/config.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { DATABASE } from '../../src/sink/clickhouse/schema.js';
import { Store } from '../../src/sink/clickhouse/store.js';
import { resolveInputs } from '../../src/sources/inputs.js';
import { ReferrerClassifier } from '../../src/enrich/referrer.js';
import { copyTemplateStore } from '../helpers/store-template.js';

const NO_LOOKUPS = { geo: null, company: null, referrers: new ReferrerClassifier(), campaigns: true };

const line = (ip: string, time: string) => `${ip} - - [${time} +0000] "GET / HTTP/1.1" 200 1 "-" "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"`;

t.test('ingest with a clock: salts per day, midnight crossing, deletion and a re-run with the same counts', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-salts-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, 'access.log');
  writeFileSync(log, [
    line('198.51.100.1', '01/May/2024:23:50:00'), line('198.51.100.1', '02/May/2024:00:10:00'), // one visit over midnight
    line('198.51.100.2', '01/May/2024:12:00:00'), line('198.51.100.2', '02/May/2024:12:00:00'), // same client, two days
    line('198.51.100.3', '02/May/2024:08:00:00'),
  ].join('\n'));
  const store = await Store.open({ dir: copyTemplateStore(join(dir, 'store')) });
  t.teardown(() => store.close());
  await store.migrate();
  const config = defaultConfig();
  const salts = join(store.stateDir, 'salts');
  const select = async (query: string) => (await store.client.query({ query, format: 'JSONEachRow' })).json<Record<string, string | number>>();

  const first = await ingest(await resolveInputs([log]), config, store, NO_LOOKUPS, { now: () => Date.UTC(2024, 4, 2, 13) });
  t.ok(existsSync(join(salts, '2024-05-01.salt')) && existsSync(join(salts, '2024-05-02.salt')), 'both days are in the window');
  t.equal(statSync(join(salts, '2024-05-02.salt')).mode & 0o777, 0o600);
  const ids = await select(`SELECT toString(ts) AS ts, toString(visitor_id) AS id, is_entry FROM ${DATABASE}.requests WHERE run_id = '${first.runId}' ORDER BY ts`);
  t.same(ids.map((r) => r.ts), ['2024-05-01 12:00:00', '2024-05-01 23:50:00', '2024-05-02 00:10:00', '2024-05-02 08:00:00', '2024-05-02 12:00:00']);
  t.not(ids[2].id, ids[1].id, 'after midnight the visit\'s request carries that day\'s id: no id outlives its day');
  t.equal(ids[2].is_entry, 0, 'and it is one visit all the same (the carry key joins the two halves)');
  const visitsOf = async (run: string) => (await store.client.query({
    query: `SELECT toString(start) AS start, toString(end) AS end FROM ${DATABASE}.visits WHERE run_id = {run:UUID} ORDER BY start`,
    query_params: { run }, format: 'JSONEachRow',
  })).json();
  const firstVisits = [
    { start: '2024-05-01 12:00:00', end: '2024-05-01 12:00:00' }, { start: '2024-05-01 23:50:00', end: '2024-05-02 00:10:00' },
    { start: '2024-05-02 08:00:00', end: '2024-05-02 08:00:00' }, { start: '2024-05-02 12:00:00', end: '2024-05-02 12:00:00' },
  ];
  t.same(await visitsOf(first.runId), firstVisits, 'four visits, one of them over midnight');
  t.not(ids[4].id, ids[0].id, 'the same client on two days has two ids');
  const counts = `SELECT toDate(ts) AS day, uniqExact(visitor_id) AS visitors FROM ${DATABASE}.requests WHERE run_id = {run:UUID} GROUP BY day ORDER BY day`;
  const countsOf = async (run: string) => (await store.client.query({ query: counts, query_params: { run }, format: 'JSONEachRow' })).json();
  const firstCounts = await countsOf(first.runId);
  t.same(firstCounts, [{ day: '2024-05-01', visitors: '2' }, { day: '2024-05-02', visitors: '3' }]);

  // Four days later the salts are gone; re-running the same log (forced: the store knows it) draws new ones.
  const later = () => Date.UTC(2024, 4, 6, 9);
  await ingest([], config, store, NO_LOOKUPS, { now: later });
  t.notOk(existsSync(join(salts, '2024-05-01.salt')) || existsSync(join(salts, '2024-05-02.salt')), 'salts past the window are deleted');
  const second = await ingest(await resolveInputs([log]), config, store, NO_LOOKUPS, { now: later, force: true });
  t.same(await countsOf(second.runId), firstCounts, 'the same unique counts');
  t.same(await visitsOf(second.runId), firstVisits, 'the same visits, under new ids');
  const visitCount = await select(`SELECT count() AS n FROM ${DATABASE}.visits`);
  t.equal(Number(visitCount[0].n), 4, 'the visits of the replaced rows went with them: none is counted twice');
  const overlap = await select(`SELECT count() AS n FROM ${DATABASE}.requests AS a INNER JOIN ${DATABASE}.requests AS b ON a.visitor_id = b.visitor_id
    WHERE a.run_id = '${first.runId}' AND b.run_id = '${second.runId}'`);
  t.equal(Number(overlap[0].n), 0, 'no id of the first run comes back');
});
