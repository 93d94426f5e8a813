import t from 'tap';
import { ReorderBuffer } from '../../../src/sessions/reorder.js';
import { CHROME_UA, line, lineTime, SAFARI_UA, summary, VisitPipeline } from '../../support/visit-pipeline.js';
import { tempDir } from '../../helpers/cli.js';

function stateDir(t: Tap.Test): string {
  return tempDir(t, 'siftlog-visits-');
}

t.test('the reordering buffer: earliest first, ties in arrival order, held until the window has passed', async (t) => {
  const out: string[] = [];
  const buffer = new ReorderBuffer<string>({ windowMs: 10, maxBuffered: 100 }, (item, late) => out.push(late ? `${item}!` : item));
  buffer.push('b@5', 5);
  buffer.push('a@3', 3);
  buffer.push('c@5', 5);
  t.same(out, [], 'nothing is 10 behind the newest yet');
  buffer.push('d@14', 14);
  t.same(out, ['a@3'], 'released up to 14 − 10');
  buffer.push('e@16', 16);
  t.same(out, ['a@3', 'b@5', 'c@5']);
  buffer.push('f@4', 4);
  t.same(out, ['a@3', 'b@5', 'c@5', 'f@4!'], 'behind what was released: out at once, flagged late');
  buffer.flush();
  t.same(out, ['a@3', 'b@5', 'c@5', 'f@4!', 'd@14', 'e@16']);
  t.same(buffer.stats, { released: 5, late: 1, forced: 0, maxHeld: 4 });
});

t.test('a stream known to start at a time holds back only what lies a window before it, until its first hit', async (t) => {
  const out: number[] = [];
  const buffer = new ReorderBuffer<number>({ windowMs: 10, maxBuffered: 100 }, (item) => out.push(item));
  buffer.openStreams(3);
  buffer.startsAt(1, 100);
  buffer.startsAt(2, 155);
  for (const time of [50, 80, 95, 120]) buffer.push(time, time, 0);
  t.same(out, [50, 80], 'stream 0 goes on up to 100 − 10: stream 1 (the slowest) starts at 100, stream 2 at 155');
  buffer.startsAt(1, 300);
  buffer.push(97, 97, 1);
  t.same(out, [50, 80], 'a start given again changes nothing; a hit before it is its stream\'s own disorder, within the window');
  buffer.push(150, 150, 1);
  t.same(out, [50, 80, 95, 97], 'stream 1 at 150: stream 0 (at 120) is the slowest now, up to 110');
  buffer.endStream(0);
  t.same(out, [50, 80, 95, 97, 120], 'up to 150 − 10');
  buffer.endStream(1);
  t.same(out, [50, 80, 95, 97, 120], 'stream 2, not begun, starts at 155: up to 145');
  buffer.endStream(2);
  t.same(out, [50, 80, 95, 97, 120, 150]);
  t.equal(buffer.stats.late, 0);
});

t.test('streams: release waits for the slowest open stream, whatever the window; an ended stream holds nothing back', async (t) => {
  const out: number[] = [];
  const buffer = new ReorderBuffer<number>({ windowMs: 0, maxBuffered: 100 }, (item) => out.push(item));
  buffer.openStreams(2);
  for (const time of [10, 20, 30, 40]) buffer.push(time, time, 0);
  t.same(out, [], 'stream 1 has not started: it may still bring earlier hits');
  buffer.push(15, 15, 1);
  t.same(out, [10, 15]);
  buffer.push(35, 35, 1);
  t.same(out, [10, 15, 20, 30, 35]);
  buffer.endStream(1);
  t.same(out, [10, 15, 20, 30, 35, 40]);
  t.equal(buffer.stats.late, 0);
});

t.test('memory bound: past maxBuffered the earliest hits go early, counted, and what comes behind them is late', async (t) => {
  const out: string[] = [];
  const buffer = new ReorderBuffer<string>({ windowMs: 1000, maxBuffered: 2 }, (item, late) => out.push(late ? `${item}!` : item));
  buffer.push('a', 1);
  buffer.push('b', 2);
  buffer.push('c', 3);
  t.same(out, ['a']);
  buffer.push('z', 0);
  t.same(out, ['a', 'z!']);
  t.same(buffer.stats, { released: 1, late: 1, forced: 1, maxHeld: 3 });
});

// Two web servers behind a load balancer, each writing its own log; the visitors' requests alternate.
const A = [
  line('203.0.113.10', '30/Nov/2026:10:00:00', 'GET /', 200, 'https://www.google.com/search?q=siftlog'),
  line('198.51.100.20', '30/Nov/2026:10:02:00', 'GET /blog/hello/cover.png', 200, 'https://www.example.com/blog/hello', SAFARI_UA),
  line('203.0.113.10', '30/Nov/2026:10:03:00', 'GET /docs', 200, 'https://www.example.com/'),
  line('192.0.2.30', '30/Nov/2026:10:05:00', 'GET /?utm_source=newsletter&utm_medium=email&utm_campaign=nov', 200, '-', CHROME_UA),
  line('203.0.113.10', '30/Nov/2026:10:09:00', 'POST /signup', 302, 'https://www.example.com/pricing'),
];
const B = [
  line('198.51.100.20', '30/Nov/2026:10:01:00', 'GET /blog/hello', 200, 'https://news.ycombinator.com/', SAFARI_UA),
  line('203.0.113.10', '30/Nov/2026:10:00:02', 'GET /css/site.css', 200, 'https://www.example.com/'),
  line('203.0.113.10', '30/Nov/2026:10:04:30', 'GET /pricing', 200, 'https://www.example.com/docs'),
  line('203.0.113.10', '30/Nov/2026:10:09:01', 'GET /welcome', 200, 'https://www.example.com/signup'),
  line('192.0.2.30', '30/Nov/2026:10:40:00', 'GET /pricing', 200, '-', CHROME_UA),
];
const goals = [{ name: 'signup', path: '/signup', method: 'POST', status: ['2xx', '3xx'] }];

/** The visits of these logs, worked out by hand. */
const EXPECTED = [
  '/ → /welcome 4pv 6h 541s search:Google "siftlog" goals=signup Firefox/Windows/desktop',
  '/blog/hello → /blog/hello 1pv 2h 60s bounce social:Hacker News Safari/iOS/mobile',
  '/ → / 1pv 1h 0s bounce direct utm=newsletter/email/nov Chrome/Linux/desktop',
  '/pricing → /pricing 1pv 1h 0s bounce direct Chrome/Linux/desktop (open)',
];

function run(t: Tap.Test, feed: (p: VisitPipeline) => void, reorderWindowMs?: number) {
  const pipeline = new VisitPipeline({ stateDir: stateDir(t), goals, reorderWindowMs });
  feed(pipeline);
  const end = pipeline.finish();
  const visits = [...pipeline.visits].sort((x, y) => x.start - y.start);
  return { visits: visits.map(summary), entries: pipeline.hits.filter((h) => h.isEntry).map((h) => h.anon.path), end, pipeline };
}

t.test('two interleaved server logs read one after the other as two streams: the visits of one time-ordered log', async (t) => {
  const { visits, entries, end } = run(t, (p) => {
    p.stage.openStreams(2);
    p.pushAll(A, 0);
    p.stage.endStream(0);
    p.pushAll(B, 1);
  });
  t.same(visits, EXPECTED);
  t.same(entries, ['/', '/blog/hello', '/', '/pricing'], 'is_entry on the first request of each visit in time');
  t.same([end.stats.lateHits, end.stats.lateVisits, end.stats.visits, end.stats.provisional], [0, 0, 3, 1],
    'at the end, 10:40 is more than 30 minutes past the first three visits: closed; the last is open');
});

t.test('the same logs merged line by line with local disorder (within the window), in one stream: the same visits', async (t) => {
  const merged = [...A, ...B].sort((x, y) => lineTime(x) - lineTime(y));
  // A shipper delivering the servers' lines up to a minute apart.
  [merged[1], merged[2]] = [merged[2], merged[1]];
  [merged[5], merged[6]] = [merged[6], merged[5]];
  const { visits, entries, end } = run(t, (p) => p.pushAll(merged), 60_000);
  t.same(visits, EXPECTED);
  t.same(entries, ['/', '/blog/hello', '/', '/pricing']);
  t.equal(end.stats.lateHits, 0);
});

t.test('past the bound: the second log read after the first in one stream is late — counted, placed where it can be', async (t) => {
  const { visits, end, pipeline } = run(t, (p) => p.pushAll([...A, ...B]), 60_000);
  t.equal(pipeline.hits.length, 10, 'no request is lost');
  t.same([end.stats.lateHits, end.stats.lateVisits], [3, 0], 'B\'s lines before 10:05:00 (released when 10:09:00 came) are late');
  t.same(visits, [
    '/ → /welcome 4pv 6h 541s search:Google "siftlog" goals=signup Firefox/Windows/desktop',
    '- → /blog/hello 1pv 2h 60s bounce internal Safari/iOS/mobile',
    '/ → / 1pv 1h 0s bounce direct utm=newsletter/email/nov Chrome/Linux/desktop',
    '/pricing → /pricing 1pv 1h 0s bounce direct Chrome/Linux/desktop (open)',
  ], 'late requests join their visits (counts and times right) but cannot become its entry: the cover image was released first');
});
