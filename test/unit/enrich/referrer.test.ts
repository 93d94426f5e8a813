import t from 'tap';
import { ReferrerClassifier, knownSource } from '../../../src/enrich/referrer.js';
import { queryParam } from '../../../src/privacy/query.js';
import { referrerHost } from '../../../src/privacy/referrer-host.js';

const referrers = new ReferrerClassifier(['example.org', 'blog.example.com']);
const classify = (url: string, site = 'www.example.com') => referrers.classify(url, referrerHost(url), site);

t.test('no referrer is direct; the site itself and its aliases are internal', async (t) => {
  t.same(classify(''), { class: 'direct', source: '', keyword: '' });
  t.same(classify('https://www.example.com/blog/'), { class: 'internal', source: '', keyword: '' });
  t.same(classify('https://example.com/'), { class: 'internal', source: '', keyword: '' }, 'www. does not matter');
  t.same(classify('https://example.org/a'), { class: 'internal', source: '', keyword: '' });
  t.same(classify('http://blog.example.com/x?y=1'), { class: 'internal', source: '', keyword: '' });
});

t.test('search engines with their keyword parameter, under any country domain', async (t) => {
  t.same(classify('https://www.google.com/search?q=siftlog+privacy&hl=en'), { class: 'search', source: 'Google', keyword: 'siftlog privacy' });
  t.same(classify('https://www.google.co.uk/'), { class: 'search', source: 'Google', keyword: '' }, 'Google hides most keywords');
  t.same(classify('https://www.bing.com/search?q=log%20analytics'), { class: 'search', source: 'Bing', keyword: 'log analytics' });
  t.same(classify('https://duckduckgo.com/?q=access+logs'), { class: 'search', source: 'DuckDuckGo', keyword: 'access logs' });
  t.same(classify('https://search.yahoo.co.jp/search?p=%E3%83%AD%E3%82%B0'), { class: 'search', source: 'Yahoo', keyword: 'ログ' });
  t.same(classify('https://yandex.com.tr/search/?text=g%C3%BCnl%C3%BCk'), { class: 'search', source: 'Yandex', keyword: 'günlük' });
  t.same(classify('https://www.baidu.com/s?wd=%E6%97%A5%E5%BF%97'), { class: 'search', source: 'Baidu', keyword: '日志' });
  t.same(classify('https://www.ecosia.org/search?q=%ZZbad'), { class: 'search', source: 'Ecosia', keyword: '%ZZbad' }, 'undecodable text kept');
  t.same(classify('android-app://com.google.android.googlequicksearchbox/'), { class: 'search', source: 'Google', keyword: '' });
});

t.test('social networks and webmail', async (t) => {
  t.same(classify('https://l.facebook.com/l.php?u=x'), { class: 'social', source: 'Facebook', keyword: '' });
  t.same(classify('https://t.co/abc'), { class: 'social', source: 'X', keyword: '' });
  t.same(classify('https://news.ycombinator.com/item?id=1'), { class: 'social', source: 'Hacker News', keyword: '' });
  t.same(classify('https://mail.google.com/mail/u/0/'), { class: 'email', source: 'Gmail', keyword: '' }, 'not Google search');
  t.same(classify('android-app://com.google.android.gm'), { class: 'email', source: 'Gmail', keyword: '' });
  t.same(classify('https://outlook.live.com/mail/0/'), { class: 'email', source: 'Outlook', keyword: '' });
  t.same(classify('https://webmail.provider.example/?_task=mail'), { class: 'email', source: 'Webmail', keyword: '' });
});

t.test('everything else is other', async (t) => {
  t.same(classify('https://news.example.net/article'), { class: 'other', source: '', keyword: '' });
  t.same(classify('https://googleusercontent.com/x'), { class: 'other', source: '', keyword: '' }, 'a brand must be a whole label');
  t.same(classify('not a url'), { class: 'other', source: '', keyword: '' });
  t.equal(knownSource('google.example.com'), null, 'a brand must sit before a country tail');
});

t.test('query parameters are read by exact name', async (t) => {
  t.equal(queryParam('https://x/?aq=1&q=a+b#frag', 'q'), 'a b');
  t.equal(queryParam('https://x/?q=', 'q'), '');
  t.equal(queryParam('https://x/', 'q'), '');
});
