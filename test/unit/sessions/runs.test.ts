import t from 'tap';
import { parseVisitState, VisitStateError } from '../../../src/sessions/state.js';
import type { VisitRecord } from '../../../src/sessions/visit.js';
import { CHROME_UA, line, summary, VisitPipeline } from '../../support/visit-pipeline.js';
import { tempDir } from '../../helpers/cli.js';

function stateDir(t: Tap.Test): string {
  return tempDir(t, 'siftlog-visits-');
}

/** The published visits: per (site, visitor id, start) the record with the latest end (docs/visits.md). */
function published(records: readonly VisitRecord[]): string[] {
  const byKey = new Map<string, VisitRecord>();
  for (const r of records) {
    const key = `${r.site}|${r.visitorId}|${r.start}`;
    const seen = byKey.get(key);
    if (seen === undefined || r.end > seen.end || (r.end === seen.end && r.hits > seen.hits)) byKey.set(key, r);
  }
  return [...byKey.values()].sort((a, b) => a.start - b.start).map((v) => `${new Date(v.start).toISOString().slice(11, 19)} ${summary(v)}`);
}

// One reader whose visit crosses midnight, and a second visit of theirs later that night; another visitor mid-day.
const NIGHT = [
  line('203.0.113.10', '30/Nov/2026:23:50:00', 'GET /', 200, 'https://duckduckgo.com/?q=log+analytics'),
  line('203.0.113.10', '01/Dec/2026:00:10:00', 'GET /docs', 200, 'https://www.example.com/'),
  line('203.0.113.10', '01/Dec/2026:00:35:00', 'GET /pricing', 200, 'https://www.example.com/docs'),
  line('203.0.113.10', '01/Dec/2026:00:50:00', 'POST /signup', 302, 'https://www.example.com/pricing'),
  line('203.0.113.10', '01/Dec/2026:03:00:00', 'GET /', 200),
  line('192.0.2.30', '01/Dec/2026:09:00:00', 'GET /blog', 200, '-', CHROME_UA),
];
const goals = [{ name: 'signup', path: '/signup', method: 'POST', status: ['3xx'] }];
const ONE_RUN = [
  '23:50:00 / → /pricing 3pv 4h 3600s search:DuckDuckGo "log analytics" goals=signup Firefox/Windows/desktop',
  '03:00:00 / → / 1pv 1h 0s bounce direct Firefox/Windows/desktop',
  '09:00:00 /blog → /blog 1pv 1h 0s bounce direct Chrome/Linux/desktop (open)',
];

t.test('a visit across midnight is one visit; its requests after midnight carry the new day\'s visitor id', async (t) => {
  const p = new VisitPipeline({ stateDir: stateDir(t), goals }).pushAll(NIGHT);
  p.finish();
  t.same(published(p.visits), ONE_RUN);
  const ids = p.hits.map((h) => h.anon.visitorId);
  t.same(p.hits.map((h) => h.isEntry), [true, false, false, false, true, true]);
  t.not(ids[1], ids[0], 'after midnight the request has the 1 December id');
  t.same([ids[2], ids[3], ids[4]], [ids[1], ids[1], ids[1]], 'one id for the whole of 1 December: one visitor that day');
  const crossing = p.visits.find((v) => v.start === Date.UTC(2026, 10, 30, 23, 50))!;
  t.equal(crossing.visitorId, ids[0], 'the visit row keeps the id of the day it started');
});

t.test('a visit across two runs (a log read again after it grew): resumed from the saved state, not split, not counted twice', async (t) => {
  const dir = stateDir(t);
  // The first run ends at 00:20, while the visit that began at 23:50 is still going on.
  const first = new VisitPipeline({ stateDir: dir, goals }).pushAll(NIGHT.slice(0, 2));
  const end = first.finish();
  t.same(published(first.visits), ['23:50:00 / → /docs 2pv 2h 1200s search:DuckDuckGo "log analytics" Firefox/Windows/desktop (open)']);
  const saved = JSON.stringify(end.state);
  t.notMatch(saved, /203\.0\.113|Mozilla|Firefox\/128/, 'the state holds no address and no user agent');
  // The second run: a new process, the same salts, the state of the first.
  const second = new VisitPipeline({ stateDir: dir, goals, resume: parseVisitState(saved) }).pushAll(NIGHT.slice(2));
  second.finish();
  t.same(published([...first.visits, ...second.visits]), ONE_RUN, 'the same visits as one run over the whole log');
  t.same([...first.hits, ...second.hits].map((h) => h.isEntry), [true, false, false, false, true, true]);
  t.equal(second.stage.stats.lateHits, 0);
});

t.test('a run ending after midnight, inside a visit that had already crossed it: the next run still continues it', async (t) => {
  const dir = stateDir(t);
  const first = new VisitPipeline({ stateDir: dir, goals }).pushAll(NIGHT.slice(0, 3));
  const state = first.finish().state;
  // 00:50 is past the first half hour of the day: only the resumed carry horizon gives it a carry key.
  const second = new VisitPipeline({ stateDir: dir, goals, resume: state }).pushAll(NIGHT.slice(3));
  second.finish();
  t.same(published([...first.visits, ...second.visits]), ONE_RUN);
});

t.test('a growing log read by hourly runs: a visit across the run boundary stays one visit', async (t) => {
  const dir = stateDir(t);
  const lines = [
    line('198.51.100.7', '30/Nov/2026:09:55:00', 'GET /a', 200),
    line('198.51.100.7', '30/Nov/2026:10:05:00', 'GET /b', 200),
    line('198.51.100.7', '30/Nov/2026:10:20:00', 'GET /c', 200),
  ];
  const first = new VisitPipeline({ stateDir: dir }).pushAll(lines.slice(0, 1));
  const second = new VisitPipeline({ stateDir: dir, resume: first.finish().state }).pushAll(lines.slice(1));
  second.finish();
  t.same(published([...first.visits, ...second.visits]), ['09:55:00 /a → /c 3pv 3h 1500s direct Firefox/Windows/desktop (open)']);
});

t.test('re-running one day from the state it started with gives that day\'s visits again, identical', async (t) => {
  const dir = stateDir(t);
  const whole = new VisitPipeline({ stateDir: dir, goals }).pushAll(NIGHT);
  const end = whole.finish();
  t.same(end.dayStarts.map((d) => [d.day, d.state.open.length]), [['2026-12-01', 1]], 'one day started inside the run, with one visit open');
  const rerun = new VisitPipeline({ stateDir: dir, goals, resume: end.dayStarts[0].state }).pushAll(NIGHT.slice(1));
  rerun.finish();
  t.same(published(rerun.visits), ONE_RUN, 'the visit from 30 November is emitted again, complete, and replaces its row');
  t.same(rerun.hits.map((h) => [h.anon.visitorId, h.isEntry]), whole.hits.slice(1).map((h) => [h.anon.visitorId, h.isEntry]));
});

t.test('midnight in the site\'s time zone, not UTC', async (t) => {
  const lines = [
    line('203.0.113.99', '30/Nov/2026:22:50:00', 'GET /x', 200), // 23:50 in Berlin
    line('203.0.113.99', '30/Nov/2026:23:10:00', 'GET /y', 200), // 00:10 on 1 December in Berlin
  ];
  const p = new VisitPipeline({ stateDir: stateDir(t), timeZone: 'Europe/Berlin' }).pushAll(lines);
  p.finish();
  t.not(p.hits[1].anon.visitorId, p.hits[0].anon.visitorId, 'two Berlin days, two ids');
  t.same(p.hits.map((h) => h.isEntry), [true, false], 'one visit');
  t.equal(p.visits.length, 1);
});

t.test('a saved state that is not one is refused with the field at fault', async (t) => {
  t.throws(() => parseVisitState('{'), new VisitStateError('saved visit state: not JSON'));
  t.throws(() => parseVisitState({ version: 2, timeoutMs: 1, releasedUpTo: null, open: [] }), /^saved visit state: version: /);
  t.throws(() => parseVisitState({ version: 1, timeoutMs: 1800000, releasedUpTo: null, open: [{ site: 'x' }] }), /open\.0\.visitorId/);
  t.same(parseVisitState({ version: 1, timeoutMs: 1800000, releasedUpTo: null, open: [] }), { version: 1, timeoutMs: 1800000, releasedUpTo: null, open: [] });
});
