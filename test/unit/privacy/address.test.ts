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

t.test('only the truncated network is kept', async (t) => {
  const v4 = normaliseAddress('203.0.113.9');
  t.equal(truncateAddress(v4, 24, 48), '203.0.113.0/24');
  t.equal(truncateAddress(v4, 16, 48), '203.0.0.0/16');
  t.equal(truncateAddress(v4, 8, 48), '203.0.0.0/8');
  t.equal(truncateAddress(normaliseAddress('255.255.255.255'), 24, 48), '255.255.255.0/24');
  const v6 = normaliseAddress('2001:db8:abcd:12:1:2:3:4');
  t.equal(truncateAddress(v6, 24, 48), '2001:db8:abcd::/48');
  t.equal(truncateAddress(v6, 24, 32), '2001:db8::/32');
  t.equal(truncateAddress(normaliseAddress('2001:4860:4860::8888'), 24, 48), '2001:4860:4860::/48');
  t.equal(truncateAddress(normaliseAddress('64:ff9b::203.0.113.9'), 24, 48), '64:ff9b::/48');
  t.equal(truncateAddress(normaliseAddress('host.example.com'), 24, 48), '');
});
