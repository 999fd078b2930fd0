import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { buildConnector } from 'undici';

import { addressIn, addressSet, normalizeAddress } from './client-ip';

/** Never reachable whatever the allow-list says: link-local (cloud metadata), unspecified, multicast. */
const ALWAYS_REFUSED = addressSet([
  'linklocal',
  '0.0.0.0/8',
  '::/128',
  '224.0.0.0/4',
  'ff00::/8',
  '255.255.255.255',
  // Metadata endpoints outside link-local: Alibaba, AWS IPv6 (IMDS), Azure wire server.
  '100.100.100.200',
  'fd00:ec2::254',
  '168.63.129.16',
]);
const LOOPBACK = addressSet(['loopback']);
/** Internal ranges: refused unless PROVIDER_URL_ALLOW lists them (vLLM/Ollama on the internal network). */
const PRIVATE = addressSet(['private', '198.18.0.0/15']);

export class OutboundRefusedError extends Error {
  readonly code = 'OUTBOUND_ADDRESS_REFUSED';
}

/**
 * The SSRF guard for provider and LDAP URLs (`PROVIDER_URL_ALLOW`). Checked twice: when a URL is
 * saved (a clear 400) and on every connection, on the address the name resolved to at that moment
 * (`guardedConnector`, a DNS lookup hook), so a name that later resolves elsewhere (DNS rebinding)
 * is still refused.
 */
export class OutboundGuard {
  private readonly allowedRanges;
  private readonly allowedHosts: ReadonlySet<string>;

  /**
   * @param allow CIDRs, addresses, named ranges (`loopback`, `private`) and host names.
   * @param allowLoopback loopback without listing it (development and tests: a local Ollama).
   */
  constructor(
    allow: readonly string[] = [],
    private readonly allowLoopback = false,
  ) {
    const ranges = allow.filter((entry) => isRangeEntry(entry));
    this.allowedRanges = addressSet(ranges);
    this.allowedHosts = new Set(allow.filter((entry) => !isRangeEntry(entry)).map((h) => h.toLowerCase()));
  }

  /** Why connecting to `address` (reached through `host`) is refused, or undefined when it is fine. */
  refusal(address: string, host: string = address): string | undefined {
    const ip = normalizeAddress(address);
    if (isIP(ip) === 0) return `"${address}" is not an IP address`;
    if (addressIn(ALWAYS_REFUSED, ip)) {
      return `${describe(host, ip)} is a link-local, metadata or unspecified address, which is never allowed`;
    }
    const loopback = addressIn(LOOPBACK, ip);
    if (!loopback && !addressIn(PRIVATE, ip)) return undefined;
    if (loopback && this.allowLoopback) return undefined;
    if (addressIn(this.allowedRanges, ip) || this.allowedHosts.has(host.toLowerCase())) return undefined;
    return (
      `${describe(host, ip)} is a ${loopback ? 'loopback' : 'private'} address; to allow it, add the host ` +
      `name, the address or its range (e.g. ${loopback ? 'loopback' : suggestRange(ip)}) to PROVIDER_URL_ALLOW`
    );
  }

  /** Resolves the URL's host now and checks every address (save-time check; the connect hook repeats it). */
  async checkUrl(url: string): Promise<string | undefined> {
    let host: string;
    try {
      host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    } catch {
      return undefined; // the caller's own URL validation reports malformed URLs
    }
    if (isIP(host)) return this.refusal(host);
    let addresses: LookupAddress[];
    try {
      addresses = await new Promise((resolve, reject) =>
        dnsLookup(host, { all: true }, (error, found) => (error ? reject(error) : resolve(found))),
      );
    } catch {
      return undefined; // unresolvable now: the connection will fail (and be checked) later
    }
    for (const { address } of addresses) {
      const reason = this.refusal(address, host);
      if (reason) return reason;
    }
    return undefined;
  }

  /** A `net.connect` lookup that refuses names resolving to a refused address. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      for (const { address } of addresses) {
        const reason = this.refusal(address, hostname);
        if (reason) return callback(new OutboundRefusedError(reason), '', 0);
      }
      if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

let current = new OutboundGuard([], true);

/** Installs the pod's guard (app boot, from PROVIDER_URL_ALLOW); connections check it when they open. */
export function setOutboundGuard(guard: OutboundGuard): void {
  current = guard;
}

export function outboundGuard(): OutboundGuard {
  return current;
}

/**
 * An undici connector that checks the address it is about to connect to: IP literals directly,
 * names through the lookup hook (so the check sees the address actually used).
 */
export function guardedConnector(options: buildConnector.BuildOptions): buildConnector.connector {
  const connect = buildConnector({
    ...options,
    lookup: (hostname, lookupOptions, callback) => current.lookup(hostname, lookupOptions, callback),
  });
  return (connectOptions, callback) => {
    const host = connectOptions.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) {
      const reason = current.refusal(host);
      if (reason) {
        callback(new OutboundRefusedError(reason), null);
        return;
      }
    }
    connect(connectOptions, callback);
  };
}

function isRangeEntry(entry: string): boolean {
  const [address = ''] = entry.split('/');
  return isIP(address) !== 0 || ['loopback', 'private', 'linklocal'].includes(entry);
}

function describe(host: string, ip: string): string {
  return host === ip ? `${ip}` : `${host} (${ip})`;
}

function suggestRange(ip: string): string {
  if (ip.startsWith('10.')) return '10.0.0.0/8';
  if (ip.startsWith('192.168.')) return '192.168.0.0/16';
  if (isIP(ip) === 4) return `${ip.split('.').slice(0, 2).join('.')}.0.0/16`;
  return `${ip}/128`;
}
