import t from 'tap';
import { dropPort, networkAddress, parseAddress, stripPort } from '../../../src/net/address.js';
import { isNetworkAt, parseCidr, parseRange } from '../../../src/net/cidr.js';

t.test('an address in every form a log writes reads as one normalised address', async (t) => {
  const v4 = { ip: '92.63.172.59', family: 4 };
  t.same(parseAddress('92.63.172.59'), v4, 'dotted');
  t.same(parseAddress('92.63.172.59:5678'), v4, 'with a port');
  t.same(parseAddress('[92.63.172.59]:5678'), v4, 'in brackets with a port');
  t.same(parseAddress('::ffff:92.63.172.59'), v4, 'IPv4-mapped, dotted tail');
  t.same(parseAddress('::FFFF:5c3f:ac3b'), v4, 'IPv4-mapped, hex groups');
  t.same(parseAddress('[::ffff:92.63.172.59]:443'), v4, 'mapped, in brackets with a port');
  t.same(parseAddress('1547676731'), v4, 'one decimal number');
  t.same(parseAddress('0x5C3FAC3B'), v4, 'one hexadecimal number');
  t.same(parseAddress('0x5c.0x3f.0xac.0x3b'), v4, 'hexadecimal parts');
  const v6 = { ip: '2001:db8:85a3::8a2e:370:7334', family: 6 };
  t.same(parseAddress('2001:DB8:85A3::8A2E:370:7334'), v6, 'compressed, upper case');
  t.same(parseAddress('[2001:db8:85a3::8a2e:370:7334]:443'), v6, 'in brackets with a port');
  t.same(parseAddress('[2001:db8:85a3::8a2e:370:7334]'), v6, 'in brackets');
  t.same(parseAddress('2001:0db8:85a3:0000:0000:8a2e:0370:7334'), { ip: '2001:0db8:85a3:0000:0000:8a2e:0370:7334', family: 6 }, 'expanded');
  t.same(parseAddress('fe80::1%eth0'), { ip: 'fe80::1', family: 6 }, 'with a zone');
});

t.test('host names, placeholders and small numbers are not addresses', async (t) => {
  for (const text of ['in24.inetnebr.com', '-', 'unknown', '', '12345', '92.63.172.259', '0x1.2.3.4.5', 'a:b:c', '1.2.3.4.5']) {
    t.equal(parseAddress(text), null, JSON.stringify(text));
  }
});

t.test('ports are dropped, bare IPv6 addresses kept', async (t) => {
  t.equal(stripPort('192.0.2.1:8080'), '192.0.2.1');
  t.equal(stripPort('[2001:db8::1]:443'), '2001:db8::1');
  t.equal(stripPort('2001:db8::1'), '2001:db8::1');
  t.equal(stripPort('www.example.com:443'), 'www.example.com');
  t.equal(dropPort('2001:db8::1:50599'), '2001:db8::1', 'a load balancer field always ends in its port');
  t.equal(dropPort('[2001:db8::1]:50599'), '2001:db8::1');
});

t.test('networks at the edges of the address space and of IPv6 notation', async (t) => {
  const net = (text: string, v4: number, v6: number) => networkAddress(parseAddress(text)!, v4, v6).ip;
  t.equal(net('255.255.255.255', 24, 48), '255.255.255.0');
  t.equal(net('203.0.113.77', 16, 48), '203.0.0.0');
  t.equal(net('2001:4860:4860::8888', 24, 48), '2001:4860:4860::');
  t.equal(net('64:ff9b::203.0.113.9', 24, 48), '64:ff9b::');
  t.equal(net('2001:db8:abcd:12:1:2:3:4', 24, 32), '2001:db8::');
});

t.test('CIDR ranges, first-last ranges and single addresses as numbers', async (t) => {
  t.same(parseCidr('10.0.0.0/8'), { address: '10.0.0.0', family: 4, prefix: 8 });
  t.equal(parseCidr('10.0.0.0/33'), null);
  t.equal(parseCidr('10.0.0.0/'), null);
  t.same(parseRange('10.1.2.3/8'), { family: 4, first: 167772160n, last: 184549375n }, 'host bits are cleared');
  t.same(parseRange('192.0.2.10 - 192.0.2.20'), { family: 4, first: 3221225994n, last: 3221226004n });
  t.same(parseRange('2001:db8::/126'), { family: 6, first: 0x20010db8n << 96n, last: (0x20010db8n << 96n) + 3n });
  t.equal(parseRange('192.0.2.1-2001:db8::1'), null, 'a range stays in one family');
});

t.test('a stored network is exactly a network at the configured prefix', async (t) => {
  t.ok(isNetworkAt('83.149.9.0/24', 24, 48));
  t.ok(isNetworkAt('2001:4860:4860::/48', 24, 48));
  t.notOk(isNetworkAt('83.149.9.216/24', 24, 48), 'host bits set');
  t.notOk(isNetworkAt('83.149.0.0/16', 24, 48), 'another prefix than configured');
  t.notOk(isNetworkAt('2001:4860:4860::8888/48', 24, 48));
  t.notOk(isNetworkAt(' 83.149.9.0/24', 24, 48), 'nothing around it');
  t.ok(isNetworkAt('2001:4860::/32', 24, 32));
});
