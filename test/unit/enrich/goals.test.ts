import t from 'tap';
import { GoalMatcher } from '../../../src/enrich/goals.js';
import { compilePathPattern, StatusSet } from '../../../src/privacy/request-match.js';

t.test('path patterns: exact, prefix with **, * within one segment, ? one character', async (t) => {
  const exact = compilePathPattern('/signup');
  t.same(['/signup', '/signup/', '/signup/x', '/Signup'].map(exact), [true, false, false, false]);
  const prefix = compilePathPattern('/docs/**');
  t.same(['/docs/', '/docs/a/b', '/docs', '/documents'].map(prefix), [true, true, false, false]);
  const segment = compilePathPattern('/order/*/done');
  t.same(['/order/{id}/done', '/order/42/done', '/order/a/b/done', '/order//done'].map(segment), [true, true, false, true]);
  const glob = compilePathPattern('/shop/**/checkout-?.html');
  t.same(['/shop/x/y/checkout-2.html', '/shop/checkout-2.html', '/shop/a/checkout-22.html'].map(glob), [true, false, false]);
  t.same(['/a.b', '/axb'].map(compilePathPattern('/a.b')), [true, false], 'dots are literal');
  t.throws(() => compilePathPattern('signup'), /must start with \//);
});

t.test('status sets: classes and single statuses', async (t) => {
  const set = new StatusSet(['2xx', 304, '3XX']);
  t.same([200, 299, 304, 302, 404, 500].map((s) => set.has(s)), [true, true, true, true, false, false]);
  t.throws(() => new StatusSet(['2x']), /status class such as 2xx/);
});

t.test('goals: method and status conditions, names reported once, site goals before pipeline-wide ones', async (t) => {
  const goals = new GoalMatcher([
    { name: 'signup', path: '/signup', method: 'post', status: ['2xx', '3xx'] },
    { name: 'signup', path: '/api/users', method: 'POST', status: [201] },
    { name: 'docs', path: '/docs/**' },
    { name: 'shop-order', path: '/order/*/done', site: 'shop.example.com' },
  ]);
  t.same(goals.match('www.example.com', 'POST', '/signup', 302), ['signup']);
  t.same(goals.match('www.example.com', 'POST', '/signup', 422), [], 'a refused form is no sign-up');
  t.same(goals.match('www.example.com', 'GET', '/signup', 200), [], 'viewing the form is no sign-up');
  t.same(goals.match('www.example.com', 'POST', '/api/users', 201), ['signup'], 'the other way to the same goal');
  t.same(goals.match('www.example.com', 'GET', '/docs/faq', 404), ['docs'], 'no status condition: any status');
  t.same(goals.match('www.example.com', 'GET', '/order/{id}/done', 200), [], 'another site\'s goal');
  t.same(goals.match('shop.example.com', 'GET', '/order/{id}/done', 200), ['shop-order'], 'matched on the scrubbed path');
  t.equal(new GoalMatcher().match('s', 'GET', '/', 200).length, 0);
});
