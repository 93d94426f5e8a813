import t from 'tap';
import { firstLeak, isAllowedNetwork, textLeaks, type LeakPolicy } from '../../../src/privacy/leak-detectors.js';
import { compileAllowList } from '../../../src/privacy/query.js';

const policy: LeakPolicy = { ipv4Prefix: 24, ipv6Prefix: 48, allowKey: compileAllowList(['utm_*']) };

t.test('truncated networks at the configured prefix are allowed, nothing else', async (t) => {
  t.ok(isAllowedNetwork('83.149.9.0/24', policy));
  t.ok(isAllowedNetwork('2001:4860:4860::/48', policy));
  t.notOk(isAllowedNetwork('83.149.9.216/24', policy), 'host bits set');
  t.notOk(isAllowedNetwork('83.149.0.0/16', policy), 'another prefix than configured');
  t.notOk(isAllowedNetwork('2001:4860:4860::8888/48', policy));
  t.ok(isAllowedNetwork('83.0.0.0/8', { ...policy, ipv4Prefix: 8 }));
  t.ok(isAllowedNetwork('2001:4860::/32', { ...policy, ipv6Prefix: 32 }));
});

t.test('what counts as a leak in a text value', async (t) => {
  t.same(textLeaks('83.149.9.0/24', policy, false), []);
  t.same(textLeaks('/lookup/83.149.9.216', policy, false), ['ipv4_literal']);
  t.same(textLeaks('[2001:db8::1]', policy, false), ['ipv6_literal']);
  t.same(textLeaks('::ffff:10.1.2.3', policy, false), ['ipv4_literal', 'ipv6_literal']);
  t.same(textLeaks('fe80::1%eth0', policy, false), ['ipv6_literal']);
  t.same(textLeaks('a@b.example', policy, false), ['email']);
  t.same(textLeaks('mail%40host.example', policy, false), ['email']);
  t.same(textLeaks('utm_source=news&utm_medium=mail', policy, true), []);
  t.same(textLeaks('utm_source=news&session=abc', policy, true), ['query_key']);
  t.same(textLeaks('/page?id=7', policy, false), ['query_key']);
  t.same(textLeaks('/u/{email}/{address}?{query}', policy, false), [], 'placeholders are not leaks');
  t.same(textLeaks('10:05:03 999.1.1.1 Chrome 120.0.6099.109', policy, false), [], 'times, invalid octets and versions');
  t.same(textLeaks('/lookup/0xc0a80101', policy, false), ['ipv4_literal'], 'hexadecimal');
  t.same(textLeaks('/lookup/0xc0.0xa8.1.1', policy, false), ['ipv4_literal'], 'hexadecimal parts');
  t.same(textLeaks('/colour/0xffffff', policy, false), [], 'too short to be an address');
  t.same(textLeaks('/v1.2001:db8::1', policy, false), ['ipv6_literal'], 'an address right after a dot');
  t.same(textLeaks('/x/2001:db8::1/y', policy, false), ['ipv6_literal'], 'an address between slashes');
  t.same(textLeaks(`/${'a'.repeat(70_000)} [10/Oct/2000:13:55:36 -0700]`, policy, false), [], 'a long hex run and a time: no address');
});

t.test('the output check\'s test of one value agrees with the audit\'s', async (t) => {
  const values = ['83.149.9.0/24', '/lookup/83.149.9.216', '[2001:db8::1]', 'fe80::1%eth0', 'a@b.example', 'mail%40host.example',
    '/page?id=7', '/u/{email}/{address}?{query}', '10:05:03 999.1.1.1 Chrome 120.0.6099.109', '/v1.2/docs', 'Firefox', ''];
  for (const value of values) t.equal(firstLeak(value, policy, false), textLeaks(value, policy, false)[0] ?? null, value);
  t.equal(firstLeak('utm_source=a&session=b', policy, true), 'query_key');
  t.equal(firstLeak('10.0.0.1', policy, false, true), null, 'a version column is not checked for IPv4 literals');
});
