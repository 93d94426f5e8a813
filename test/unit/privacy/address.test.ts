import t from 'tap';
import { normaliseAddress, truncateAddress } from '../../../src/privacy/address.js';

t.test('addresses are normalised before use', async (t) => {
  t.same(normaliseAddress('203.0.113.9'), { ip: '203.0.113.9', family: 4 });
  t.same(normaliseAddress('203.0.113.9:51234'), { ip: '203.0.113.9', family: 4 });
  t.same(normaliseAddress('::ffff:203.0.113.9'), { ip: '203.0.113.9', family: 4 });
  t.same(normaliseAddress('[2001:DB8::1]:443'), { ip: '2001:db8::1', family: 6 });
  t.same(normaliseAddress('fe80::1%eth0'), { ip: 'fe80::1', family: 6 });
  t.same(normaliseAddress('in24.inetnebr.com'), { ip: null, family: 0 });
  t.same(normaliseAddress('-'), { ip: null, family: 0 });
});

// The prefix levels themselves are specified in boundary.test.ts.
t.test('truncation at the edges of the address space and of IPv6 notation', async (t) => {
  t.equal(truncateAddress(normaliseAddress('255.255.255.255'), 24, 48), '255.255.255.0/24');
  t.equal(truncateAddress(normaliseAddress('2001:4860:4860::8888'), 24, 48), '2001:4860:4860::/48');
  t.equal(truncateAddress(normaliseAddress('64:ff9b::203.0.113.9'), 24, 48), '64:ff9b::/48');
  t.equal(truncateAddress(normaliseAddress('host.example.com'), 24, 48), '');
});
