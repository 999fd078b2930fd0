import type { IncomingHttpHeaders } from 'node:http';
import { BlockList, isIP } from 'node:net';

/**
 * Which peers may tell us the client's address through `X-Forwarded-For` (`TRUST_PROXY`):
 * - `off` (default): nobody; the client IP is the socket's peer address;
 * - a hop count `n`: the `n` nearest proxies (the socket peer, then right-to-left in the header);
 * - a list of CIDRs / addresses / named ranges (`loopback`, `private`, `linklocal`): peers inside it.
 */
export type TrustProxy =
  | { readonly mode: 'off' }
  | { readonly mode: 'hops'; readonly hops: number }
  | { readonly mode: 'cidrs'; readonly ranges: readonly string[] };

export const TRUST_PROXY_OFF: TrustProxy = { mode: 'off' };

/** Named ranges usable in TRUST_PROXY and PROVIDER_URL_ALLOW. */
export const NAMED_RANGES: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
};

/** Parses TRUST_PROXY; throws an Error whose message says what is accepted. */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '' || value === 'off' || value === 'false' || value === '0') return TRUST_PROXY_OFF;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 32) throw new Error('TRUST_PROXY hop count must be between 0 and 32');
    return { mode: 'hops', hops };
  }
  const ranges = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Validates every entry now, so a typo stops the boot instead of silently trusting nobody.
  addressSet(ranges);
  return { mode: 'cidrs', ranges };
}

/**
 * Builds a BlockList from CIDRs, single addresses and named ranges. Throws on anything else
 * (`true` is refused on purpose: trusting every peer lets any client pick its own address).
 */
export function addressSet(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const named = NAMED_RANGES[entry];
    if (named) {
      for (const range of named) addRange(list, range);
      continue;
    }
    addRange(list, entry);
  }
  return list;
}

function addRange(list: BlockList, entry: string): void {
  const [address = '', prefixText] = entry.split('/');
  const family = isIP(address);
  if (family === 0) {
    throw new Error(
      `"${entry}" is not an IP address, CIDR or one of ${Object.keys(NAMED_RANGES).join(', ')}`,
    );
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (prefixText === undefined) {
    list.addAddress(address, type);
    return;
  }
  const prefix = Number(prefixText);
  if (!/^\d+$/.test(prefixText) || prefix > (family === 4 ? 32 : 128)) {
    throw new Error(`"${entry}" has an invalid prefix length`);
  }
  list.addSubnet(address, prefix, type);
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is matched as `10.0.0.1`. */
export function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** True when `address` is inside `list` (IPv4-mapped IPv6 addresses count as IPv4). */
export function addressIn(list: BlockList, address: string): boolean {
  const plain = normalizeAddress(address);
  const family = isIP(plain);
  if (family === 0) return false;
  return list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
}

/** `(address, hop) => trusted?`: the shape Fastify's `trustProxy` option takes (proxy-addr's). */
export type TrustFunction = (address: string, hop: number) => boolean;

export function trustFunction(setting: TrustProxy): TrustFunction {
  switch (setting.mode) {
    case 'off':
      return () => false;
    case 'hops': {
      const hops = setting.hops;
      return (_address, hop) => hop < hops;
    }
    case 'cidrs': {
      const list = addressSet(setting.ranges);
      return (address) => addressIn(list, address);
    }
  }
}

/**
 * The one client-IP function: the lean gateway path and the audit log call it, and Fastify's
 * `trustProxy` gets the same trust function, so `request.ip` (Nest throttler, logs) agrees.
 * Walks from the socket peer leftwards through `X-Forwarded-For` while the current hop is
 * trusted; the first untrusted address is the client (proxy-addr's algorithm).
 */
export class ClientIpResolver {
  readonly trust: TrustFunction;
  private readonly off: boolean;

  constructor(readonly setting: TrustProxy = TRUST_PROXY_OFF) {
    this.trust = trustFunction(setting);
    this.off = setting.mode === 'off';
  }

  of(req: { headers: IncomingHttpHeaders; socket: { remoteAddress?: string } }): string {
    const peer = req.socket.remoteAddress ?? '';
    if (this.off) return peer;
    return this.resolve(peer, req.headers['x-forwarded-for']);
  }

  resolve(peer: string, forwarded: string | string[] | undefined): string {
    // Node joins repeated X-Forwarded-For headers into one string; anything else is ignored.
    if (this.off || typeof forwarded !== 'string' || !this.trust(peer, 0)) return peer;
    const hops = forwarded.split(',');
    let client = peer;
    for (let i = hops.length - 1, hop = 0; i >= 0; i--) {
      const address = (hops[i] ?? '').trim();
      if (!address) continue;
      client = address;
      hop++;
      if (!this.trust(address, hop)) break;
    }
    return client;
  }
}
