import proxyAddr from '@fastify/proxy-addr';

import { ClientIpResolver, parseTrustProxy } from './client-ip';

const request = (peer: string, forwarded?: string) => ({
  headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
  socket: { remoteAddress: peer },
});

describe('TRUST_PROXY parsing', () => {
  it('is off by default and for off/false/0', () => {
    for (const value of [undefined, '', 'off', 'false', '0']) {
      expect(parseTrustProxy(value)).toEqual({ mode: 'off' });
    }
  });

  it('takes a hop count or a list of CIDRs, addresses and named ranges', () => {
    expect(parseTrustProxy('2')).toEqual({ mode: 'hops', hops: 2 });
    expect(parseTrustProxy('10.0.0.0/8, ::1, loopback')).toEqual({
      mode: 'cidrs',
      ranges: ['10.0.0.0/8', '::1', 'loopback'],
    });
  });

  it('refuses `true` (every peer trusted) and malformed ranges', () => {
    expect(() => parseTrustProxy('true')).toThrow(/not an IP address/);
    expect(() => parseTrustProxy('10.0.0.0/40')).toThrow(/prefix/);
    expect(() => parseTrustProxy('99')).toThrow(/hop count/);
  });
});

describe('ClientIpResolver', () => {
  it('ignores X-Forwarded-For when off: a client cannot choose its address', () => {
    const resolver = new ClientIpResolver();
    expect(resolver.of(request('198.51.100.7', '1.2.3.4'))).toBe('198.51.100.7');
  });

  it('ignores X-Forwarded-For from a peer outside the trusted ranges', () => {
    const resolver = new ClientIpResolver(parseTrustProxy('10.0.0.0/8'));
    expect(resolver.of(request('198.51.100.7', '1.2.3.4'))).toBe('198.51.100.7');
    expect(resolver.of(request('10.0.0.5', '1.2.3.4'))).toBe('1.2.3.4');
    expect(resolver.of(request('::ffff:10.0.0.5', '1.2.3.4'))).toBe('1.2.3.4');
  });

  it('takes the first untrusted address from the right, not the client-written left-most one', () => {
    const resolver = new ClientIpResolver(parseTrustProxy('1'));
    // The client wrote "6.6.6.6"; the ingress appended the real peer 203.0.113.5.
    expect(resolver.of(request('10.0.0.5', '6.6.6.6, 203.0.113.5'))).toBe('203.0.113.5');
  });

  const cases: [string, string, string | undefined][] = [
    ['off', '127.0.0.1', '1.1.1.1'],
    ['1', '127.0.0.1', '1.1.1.1, 2.2.2.2'],
    ['2', '127.0.0.1', '1.1.1.1, 2.2.2.2, 3.3.3.3'],
    ['3', '127.0.0.1', '1.1.1.1, 2.2.2.2'],
    ['2', '127.0.0.1', undefined],
    ['loopback', '127.0.0.1', ' 1.1.1.1 ,, 2.2.2.2 '],
    ['loopback, private', '127.0.0.1', '8.8.8.8, 10.0.0.1, 192.168.1.1'],
    ['loopback, private', '127.0.0.1', '10.0.0.1, 192.168.1.1'],
    ['private', '127.0.0.1', '8.8.8.8'],
    ['10.0.0.0/8, fd00::/8', 'fd00::1', '2001:db8::1, 10.1.1.1'],
  ];
  it.each(cases)(
    'agrees with Fastify (proxy-addr) for TRUST_PROXY=%s, peer %s, XFF %s',
    (setting, peer, xff) => {
      const resolver = new ClientIpResolver(parseTrustProxy(setting));
      const all = proxyAddr.all(request(peer, xff) as never, resolver.trust);
      expect(resolver.of(request(peer, xff))).toBe(all[all.length - 1]);
    },
  );
});
