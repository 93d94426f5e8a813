import t from 'tap';
import { GoalMatcher } from '../../../src/enrich/goals.js';
import type { Hit } from '../../../src/enrich/hit.js';
import { DEFAULT_VISIT_STAGE, VisitStage, type VisitStageConfig } from '../../../src/sessions/stage.js';
import type { VisitRecord } from '../../../src/sessions/visit.js';
import { at, hit } from '../../support/hits.js';

function collect(config: Partial<VisitStageConfig> = {}) {
  const hits: Hit[] = [];
  const visits: VisitRecord[] = [];
  const stage = new VisitStage({ ...DEFAULT_VISIT_STAGE, ...config }, { hit: (h) => hits.push(h), visit: (v) => visits.push(v) });
  return { stage, hits, visits };
}

const signup = new GoalMatcher([{ name: 'signup', path: '/signup', method: 'POST', status: ['2xx', '3xx'] }]);

t.test('a visit: entry, exit, duration, page views, hits, source and goals, known by hand', async (t) => {
  const { stage, hits, visits } = collect({ goals: signup });
  const google = { referrerClass: 'search', referrerSource: 'Google', referrerHost: 'www.google.com', searchKeyword: 'log analytics' } as const;
  for (const h of [
    hit({ at: '2026-11-30T10:00:00', visitorId: '11', path: '/', ...google, country: 'FR', org: 'Acme SA', orgCategory: 'business' }),
    hit({ at: '2026-11-30T10:00:01', visitorId: '11', path: '/style.css', referrerClass: 'internal', referrerHost: 'www.example.com' }),
    hit({ at: '2026-11-30T10:05:00', visitorId: '11', path: '/pricing', referrerClass: 'internal' }),
    hit({ at: '2026-11-30T10:20:00', visitorId: '11', path: '/signup', method: 'POST', status: 302 }),
    hit({ at: '2026-11-30T10:20:01', visitorId: '11', path: '/welcome', referrerClass: 'internal' }),
  ]) stage.push(h);
  const end = stage.finish();
  t.same(hits.map((h) => [h.anon.path, h.isEntry]), [['/', true], ['/style.css', false], ['/pricing', false], ['/signup', false], ['/welcome', false]]);
  t.same(visits, [{
    site: 'www.example.com', visitorId: '11', start: at('2026-11-30T10:00:00'), end: at('2026-11-30T10:20:01'), durationSeconds: 1201,
    pageviews: 3, hits: 5, entryPage: '/', exitPage: '/welcome', bounce: false,
    referrerClass: 'search', referrerSource: 'Google', referrerHost: 'www.google.com', searchKeyword: 'log analytics',
    campaign: { source: '', medium: '', campaign: '', term: '', content: '' },
    country: 'FR', org: 'Acme SA', orgCategory: 'business', browser: 'Firefox', os: 'Windows', deviceType: 'desktop', isBot: false,
    isPerson: true, goals: ['signup'], lateHits: 0, open: true,
  }], 'still open when the run ends: one provisional record');
  t.same(end.stats, { visits: 0, provisional: 1, lateHits: 0, lateVisits: 0, forcedReleases: 0, maxHeld: 3 });
});

t.test('the timeout: a gap of exactly 30 minutes continues the visit, one second more starts the next', async (t) => {
  const { stage, hits, visits } = collect();
  stage.push(hit({ at: '2026-11-30T10:00:00', visitorId: '7', path: '/a' }));
  stage.push(hit({ at: '2026-11-30T10:30:00', visitorId: '7', path: '/b' }));
  stage.push(hit({ at: '2026-11-30T11:00:01', visitorId: '7', path: '/c' }));
  stage.finish();
  t.same(hits.map((h) => h.isEntry), [true, false, true]);
  t.same(visits.map((v) => [v.entryPage, v.exitPage, v.pageviews, v.durationSeconds, v.bounce, v.open]), [
    ['/a', '/b', 2, 1800, false, false],
    ['/c', '/c', 1, 0, true, true],
  ]);
});

t.test('the entry page and the visit source come from the first page view, not an asset logged before it', async (t) => {
  const { stage, visits } = collect();
  stage.push(hit({ at: '2026-11-30T10:00:00', visitorId: '3', path: '/favicon.ico', referrerClass: 'internal' }));
  stage.push(hit({
    at: '2026-11-30T10:00:00', visitorId: '3', path: '/landing', referrerClass: 'social', referrerSource: 'Mastodon',
    campaign: { source: 'toot', medium: 'social', campaign: 'launch', term: '', content: '' },
  }));
  stage.finish();
  t.same([visits[0].entryPage, visits[0].referrerClass, visits[0].referrerSource, visits[0].campaign.campaign, visits[0].pageviews, visits[0].hits],
    ['/landing', 'social', 'Mastodon', 'launch', 1, 2]);
});

t.test('a visit without page views: no entry or exit page, not a bounce', async (t) => {
  const { stage, visits } = collect();
  stage.push(hit({ at: '2026-11-30T10:00:00', visitorId: '4', path: '/feed.xml' }));
  stage.push(hit({ at: '2026-11-30T10:00:30', visitorId: '4', path: '/img/a.png' }));
  stage.finish();
  t.same([visits[0].entryPage, visits[0].exitPage, visits[0].pageviews, visits[0].hits, visits[0].bounce, visits[0].durationSeconds],
    ['', '', 0, 2, false, 30]);
});

t.test('visits close as time moves on: memory follows the visitors active within the timeout', async (t) => {
  const { stage, visits } = collect({ reorderWindowMs: 60_000 });
  const start = at('2026-11-30T00:00:00');
  // 10,000 visitors, one request each, one second apart.
  for (let i = 0; i < 10_000; i++) stage.push(hit({ time: start + i * 1000, visitorId: String(i + 1) }));
  // Released up to second 9,939 (the last minute is held for reordering); open: last seen at or after 9,939 − 1,800.
  t.equal(stage.openVisits, 1801);
  t.equal(visits.length, 10_000 - 60 - 1801);
  t.ok(visits.every((v) => !v.open && v.bounce && v.hits === 1));
  stage.finish();
  t.equal(visits.length, 10_000);
  t.equal(visits.filter((v) => v.open).length, 1801, 'releasing the last minute closed 60 more');
});

t.test('goals: each reached goal once per visit, in the order reached; conditions on method and status', async (t) => {
  const goals = new GoalMatcher([
    { name: 'signup', path: '/signup', method: 'POST', status: ['2xx', '3xx'] },
    { name: 'docs', path: '/docs/**' },
  ]);
  const { stage, visits } = collect({ goals });
  stage.push(hit({ at: '2026-11-30T09:00:00', visitorId: '5', path: '/docs/install' }));
  stage.push(hit({ at: '2026-11-30T09:01:00', visitorId: '5', path: '/signup', method: 'POST', status: 422 }));
  stage.push(hit({ at: '2026-11-30T09:02:00', visitorId: '5', path: '/signup', method: 'GET' }));
  stage.push(hit({ at: '2026-11-30T09:03:00', visitorId: '5', path: '/docs/faq' }));
  stage.push(hit({ at: '2026-11-30T09:04:00', visitorId: '6', path: '/signup', method: 'POST', status: 201 }));
  stage.push(hit({ at: '2026-11-30T09:05:00', visitorId: '5', path: '/signup', method: 'POST', status: 303 }));
  stage.finish();
  t.same(visits.map((v) => [v.visitorId, v.goals]).sort(), [['5', ['docs', 'signup']], ['6', ['signup']]]);
});

t.test('e-mail opens are not visits and not page views; a click is a request of its visit but no page view', async (t) => {
  const { stage, hits, visits } = collect();
  const open = { kind: 'open', campaign: 'nov', recipient: '123', link: '', path: '/t/open' } as const;
  const click = { kind: 'click', campaign: 'nov', recipient: '123', link: 'https://www.example.com/offer', path: '/t/click' } as const;
  stage.push(hit({ at: '2026-11-30T08:00:00', visitorId: '8', path: '/t/open', email: open, isPage: true }));
  stage.push(hit({ at: '2026-11-30T08:10:00', visitorId: '9', path: '/t/click', status: 200, email: click, isPage: true }));
  stage.push(hit({ at: '2026-11-30T08:10:01', visitorId: '9', path: '/offer' }));
  stage.finish();
  t.same(hits.map((h) => [h.anon.path, h.isPage, h.isEntry]), [['/t/open', false, false], ['/t/click', false, true], ['/offer', true, false]]);
  t.same(visits.map((v) => [v.visitorId, v.entryPage, v.pageviews, v.hits]), [['9', '/offer', 1, 2]]);
});

t.test('bots have visits too, flagged', async (t) => {
  const { stage, visits } = collect();
  const bot = {
    browser: '', browserVersion: '', os: '', osVersion: '', deviceType: 'bot', clientClass: 'bot', isBot: true, botName: 'Googlebot', isPerson: false,
  } as const;
  stage.push(hit({ at: '2026-11-30T08:00:00', visitorId: '10', path: '/a', client: bot }));
  stage.finish();
  t.same([visits[0].isBot, visits[0].isPerson, visits[0].deviceType], [true, false, 'bot']);
});

t.test('late requests (past the window): joined to their visit when within its timeout, else a visit of their own — counted', async (t) => {
  const { stage, hits, visits } = collect({ reorderWindowMs: 60_000 });
  stage.push(hit({ at: '2026-11-30T10:00:00', visitorId: '1', path: '/a' }));
  stage.push(hit({ at: '2026-11-30T10:20:00', visitorId: '1', path: '/b' }));
  stage.push(hit({ at: '2026-11-30T12:00:00', visitorId: '2', path: '/x' }));
  // Released up to 11:59:00 now: visitor 1's visit (10:00–10:20) closed at 10:50.
  stage.push(hit({ at: '2026-11-30T11:55:00', visitorId: '2', path: '/w' }));
  stage.push(hit({ at: '2026-11-30T10:10:00', visitorId: '1', path: '/late' }));
  stage.push(hit({ at: '2026-11-30T12:00:30', visitorId: '2', path: '/y' }));
  stage.push(hit({ at: '2026-11-30T08:00:00', visitorId: '2', path: '/early' }));
  const end = stage.finish();
  t.same(hits.map((h) => [h.anon.path, h.isEntry]), [
    ['/a', true], ['/b', false], ['/w', true], ['/late', true], ['/early', true], ['/x', false], ['/y', false],
  ], 'in order as far as it went; the late ones at once');
  t.same(visits.map((v) => [v.visitorId, v.entryPage, v.hits, v.lateHits, v.open]), [
    ['1', '/a', 2, 0, false],
    ['2', '/early', 1, 1, false],
    ['1', '/late', 1, 1, false],
    ['2', '/w', 3, 0, true],
  ], '/late: visitor 1\'s visit had closed, so it opens one (idle by the end); /early: far from visitor 2\'s open visit, a visit of its own at once');
  t.same([end.stats.lateHits, end.stats.lateVisits], [2, 2]);
});

t.test('a late request within the timeout of the open visit joins it: counts and times right, the entry stays', async (t) => {
  const { stage, visits } = collect({ reorderWindowMs: 0 });
  stage.push(hit({ at: '2026-11-30T10:05:00', visitorId: '1', path: '/b' }));
  stage.push(hit({ at: '2026-11-30T10:00:00', visitorId: '1', path: '/a' }));
  stage.finish();
  t.same(visits.map((v) => [v.entryPage, v.exitPage, v.pageviews, v.durationSeconds, v.lateHits]), [['/b', '/b', 2, 300, 1]]);
});
