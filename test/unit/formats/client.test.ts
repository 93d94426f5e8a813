import t from 'tap';
import { readAddressList, TrustedProxies } from '../../../src/formats/client.js';
import { stripPort } from '../../../src/net/address.js';

t.test('the client is the right-most address that is not a trusted proxy', async (t) => {
  const proxies = new TrustedProxies(['10.0.0.0/8', '2001:db8:ffff::/48', '192.0.2.7']);
  t.equal(proxies.resolve('10.1.1.1', '203.0.113.9, 198.51.100.4, 192.0.2.7'), '198.51.100.4');
  t.equal(proxies.resolve('2001:db8:ffff::1', '2001:db8:1::9'), '2001:db8:1::9');
  t.equal(proxies.resolve('10.1.1.1', '10.2.2.2, 10.3.3.3'), '10.2.2.2', 'all trusted: the left-most');
  t.equal(proxies.resolve('10.1.1.1', ''), '10.1.1.1');
  t.equal(proxies.resolve('198.51.100.1', '203.0.113.9'), '198.51.100.1', 'an untrusted peer is not a proxy');
  t.equal(proxies.resolve('10.1.1.1', 'unknown, [2001:db8::1]:443'), '2001:db8::1');
});

t.test('bad entries are refused with the entry named', async (t) => {
  t.throws(() => new TrustedProxies(['10.0.0.0/33']), { message: 'trusted_proxies: "10.0.0.0/33" has an invalid prefix length' });
  t.throws(() => new TrustedProxies(['proxy.local']), { message: 'trusted_proxies: "proxy.local" is not an IP address or CIDR range' });
});

t.test('ports are dropped, bare IPv6 addresses kept', async (t) => {
  t.equal(stripPort('192.0.2.1:8080'), '192.0.2.1');
  t.equal(stripPort('[2001:db8::1]:443'), '2001:db8::1');
  t.equal(stripPort('2001:db8::1'), '2001:db8::1');
});

t.test('a client field listing addresses: peer last, X-Forwarded-For before it', async (t) => {
  t.same(readAddressList('"198.51.100.20, unknown, 203.0.113.7" [2001:db8::1]:443'),
    { peer: '2001:db8::1', forwardedFor: '198.51.100.20, unknown, 203.0.113.7' });
  t.same(readAddressList('proxy-a.example, lb_1'), { peer: 'lb_1', forwardedFor: 'proxy-a.example' }, 'host names, as in a single client field');
  t.same(readAddressList('"-" 192.0.2.1'), { peer: '192.0.2.1', forwardedFor: '' });
  t.equal(readAddressList('192.0.2.1, unknown'), null, 'a hidden peer is no peer');
  t.equal(readAddressList('192.0.2.1, a/b'), null);
  t.equal(readAddressList('""'), null);
});
