import t from 'tap';
import { ReferrerClassifier } from '../../../src/enrich/referrer.js';
import { emptyRawHit } from '../../../src/formats/types.js';
import { DEFAULT_PRIVACY, PrivacyBoundary } from '../../../src/privacy/boundary.js';
import { SiteCalendar } from '../../../src/privacy/calendar.js';
import { EmailTracking } from '../../../src/privacy/email.js';
import { SaltStore } from '../../../src/privacy/salt.js';
import { tabSeparatedRow } from '../../../src/sink/clickhouse/encoder.js';
import { line, VisitPipeline } from '../../support/visit-pipeline.js';
import { tempDir } from '../../helpers/cli.js';

function stateDir(t: Tap.Test): string {
  return tempDir(t, 'siftlog-visits-');
}

const PATTERNS = { open: '/t/open.gif?c={campaign}&r={recipient}', click: '/t/click?c={campaign}&r={recipient}&u={url}' };
const PROXY = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';

t.test('open pixel and click redirect: campaign, a keyed recipient hash, the scrubbed link, the pattern\'s path', async (t) => {
  const salts = new SaltStore(stateDir(t), 2, new SiteCalendar('UTC'));
  const email = new EmailTracking(PATTERNS, salts);
  const noon = Date.UTC(2026, 10, 30, 12);
  const open = email.match('/t/open.gif?c=Nov-News&r=r-8f2k1x', noon, 'www.example.com')!;
  t.match(open, { kind: 'open', campaign: 'Nov-News', link: '', path: '/t/open.gif' });
  t.match(open.recipient, /^\d+$/);
  t.equal(email.match('/t/open.gif?r=r-8f2k1x&c=Nov-News&x=1', noon + 3_600_000, 'www.example.com')!.recipient, open.recipient,
    'the same recipient, campaign and day: the same hash, whatever the parameter order');
  t.not(email.match('/t/open.gif?c=Dec-News&r=r-8f2k1x', noon, 'www.example.com')!.recipient, open.recipient, 'another campaign: unrelated');
  t.not(email.match('/t/open.gif?c=Nov-News&r=r-8f2k1x', noon + 86_400_000, 'www.example.com')!.recipient, open.recipient, 'another day: unrelated');
  const click = email.match('/t/click?c=Nov-News&r=r-8f2k1x&u=https%3A%2F%2Fbob%3Apw%40shop.example.com%3A8443%2Fu%2Fbob%40example.net%2Fcart%3Fref%3Dr-8f2k1x%23top', noon, 'www.example.com')!;
  t.same({ ...click, recipient: click.recipient === open.recipient }, {
    kind: 'click', campaign: 'Nov-News', recipient: true, link: 'https://shop.example.com/u/{email}/cart', path: '/t/click',
  }, 'user info, port, query and fragment dropped; the e-mail in the path scrubbed');
  t.equal(email.match('/t/open.gif', noon, 's')!.recipient, '', 'no recipient named: none counted');
  t.equal(email.match('/t/open.png?c=x&r=y', noon, 's'), null);
  t.equal(email.match('/other', noon, 's'), null);
});

t.test('path placeholders (listmonk) and literal query values', async (t) => {
  const salts = new SaltStore(stateDir(t), 2, new SiteCalendar('UTC'));
  const email = new EmailTracking({ open: '/campaign/{campaign}/{recipient}/px.png', click: '/link/{link}/{campaign}/{recipient}' }, salts);
  const noon = Date.UTC(2026, 10, 30, 12);
  const open = email.match('/campaign/3f1e0c1a-0000-4000-8000-00000000000a/9d2c7b1e-1111-4111-8111-11111111111b/px.png', noon, 's')!;
  t.match(open, { kind: 'open', campaign: '3f1e0c1a-0000-4000-8000-00000000000a', path: '/campaign/{campaign}/{recipient}/px.png' },
    'a campaign id keeps its text: it names a mailing, not a person');
  const click = email.match('/link/aaaa/3f1e0c1a-0000-4000-8000-00000000000a/9d2c7b1e-1111-4111-8111-11111111111b', noon, 's')!;
  t.match(click, { kind: 'click', link: 'aaaa', path: '/link/{link}/{campaign}/{recipient}' });
  t.equal(email.redact('/link/aaaa/c/r'), '/link/{link}/{campaign}/{recipient}', 'for a quarantine that must show a target');
  t.equal(email.redact('/other?r=1'), '/other?r=1');
  const typed = new EmailTracking({ open: '/t?type=open&c={campaign}&r={recipient}', click: null }, salts);
  t.equal(typed.match('/t?type=click&c=a&r=b', noon, 's'), null, 'literal values must match');
  t.equal(typed.match('/t?c=a&type=open&r=b', noon, 's')!.campaign, 'a');
});

t.test('bad patterns are refused with the field and the reason', async (t) => {
  const salts = new SaltStore(stateDir(t), 2, new SiteCalendar('UTC'));
  t.throws(() => new EmailTracking({ open: 't/open.gif', click: null }, salts), /^email\.open: the pattern must start with \//);
  t.throws(() => new EmailTracking({ open: '/t?r={reader}', click: null }, salts), /email\.open: unknown placeholder \{reader\}/);
  t.throws(() => new EmailTracking({ open: null, click: '/c/{recipient}?r={recipient}' }, salts), /email\.click: \{recipient\} appears twice/);
  t.throws(() => new EmailTracking({ open: '/o?u={url}', click: null }, salts), /an open pixel has no \{url\}/);
});

t.test('privacy: recipient ids and e-mail addresses planted in pixel and click URLs are found nowhere afterwards', async (t) => {
  const planted = ['r-8f2k1x', 'alice', 'bob', 'carol', 'example.org', 'example.net', 'x7Qp'];
  const p = new VisitPipeline({ stateDir: stateDir(t), email: PATTERNS }).pushAll([
    line('203.0.113.50', '30/Nov/2026:08:00:00', 'GET /t/open.gif?c=nov-news&r=r-8f2k1x', 200, '-', PROXY),
    line('203.0.113.50', '30/Nov/2026:09:00:00', 'GET /t/open.gif?c=nov-news&r=r-8f2k1x', 200, '-', PROXY),
    line('203.0.113.51', '30/Nov/2026:09:30:00', 'GET /t/open.gif?c=nov-news&r=alice%40example.org', 200, '-', PROXY),
    line('198.51.100.9', '30/Nov/2026:10:00:00',
      'GET /t/click?c=nov-news&r=r-8f2k1x&u=https%3A%2F%2Fwww.example.com%2Foffer%3Femail%3Dbob%40example.net%26t%3Dx7Qp%23top', 302,
      'https://mail.google.com/'),
    line('198.51.100.9', '30/Nov/2026:10:00:01', 'GET /offer?email=bob%40example.net&t=x7Qp', 200, 'https://mail.google.com/'),
    line('198.51.100.10', '30/Nov/2026:11:00:00', 'GET /t/click?c=nov-news&r=carol%40example.org&u=https%3A%2F%2Fshop.example.com%2Fu%2Fcarol%40example.org', 302),
  ]);
  const end = p.finish();
  const events = p.hits.filter((h) => h.anon.email !== null).map((h) => {
    const e = h.anon.email!;
    return [e.kind, e.campaign, e.link, h.anon.path, h.anon.query, h.isPage];
  });
  t.same(events, [
    ['open', 'nov-news', '', '/t/open.gif', '', false],
    ['open', 'nov-news', '', '/t/open.gif', '', false],
    ['open', 'nov-news', '', '/t/open.gif', '', false],
    ['click', 'nov-news', 'https://www.example.com/offer', '/t/click', '', false],
    ['click', 'nov-news', 'https://shop.example.com/u/{email}', '/t/click', '', false],
  ]);
  const opens = p.hits.filter((h) => h.anon.email?.kind === 'open').map((h) => h.anon.email!.recipient);
  t.equal(new Set(opens).size, 2, '3 opens, 2 recipients');
  t.equal(p.visits.length, 2, 'the clicks start visits; the opens are no visits');
  const everything = JSON.stringify({
    anon: p.hits.map((h) => ({ ...h.anon, userAgent: null })), rows: p.hits.map((h) => tabSeparatedRow(h, { runId: '00000000-0000-4000-8000-000000000000', inputFingerprint: '' })),
    visits: p.visits, state: end.state,
  });
  for (const text of planted) t.notOk(everything.includes(text), `"${text}" appears nowhere`);
});

t.test('an e-mail request drops its whole query even when the allow-list keeps every key', async (t) => {
  const salts = new SaltStore(stateDir(t), 2, new SiteCalendar('UTC'));
  const boundary = new PrivacyBoundary({ ...DEFAULT_PRIVACY, queryAllow: ['*'], site: 'www.example.com' }, salts,
    { geo: null, company: null, referrers: new ReferrerClassifier(), campaigns: true }, { email: new EmailTracking(PATTERNS, salts) });
  const raw = Object.assign(emptyRawHit(), {
    time: Date.UTC(2026, 10, 30, 8), clientAddress: '203.0.113.50', method: 'GET', target: '/t/open.gif?c=n&r=r-8f2k1x&utm_source=mail',
    protocol: 'HTTP/1.1', status: 200, userAgent: PROXY,
  });
  const anon = boundary.cross(raw);
  t.same([anon.path, anon.query, anon.campaign.source], ['/t/open.gif', '', '']);
  raw.target = '/page?r=r-8f2k1x';
  t.equal(boundary.cross(raw).query, 'r=r-8f2k1x', 'other requests keep what the allow-list says');
});
