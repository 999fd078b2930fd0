import dns from 'node:dns';
import net from 'node:net';

import { addressIn, addressSet } from '../../src/core/http/client-ip';

const LOOPBACK = addressSet(['loopback']);
const LOCAL_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost']);

/** Why the fence stopped a connection or a lookup: tests can count these. */
export const fenceRefusals: string[] = [];

function isLocal(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (LOCAL_NAMES.has(bare) || bare.endsWith('.localhost')) return true;
  return net.isIP(bare) !== 0 && addressIn(LOOPBACK, bare);
}

type ConnectArgs = unknown[];

function targetHost(args: ConnectArgs): string | undefined {
  // net.connect() hands socket.connect() a normalized [options, callback] array.
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first && typeof first === 'object') {
    const options = first as { host?: string; path?: string };
    if (options.path) return undefined; // a unix socket
    return options.host ?? 'localhost';
  }
  if (typeof first === 'string' && Number.isNaN(Number(first))) return undefined; // connect(path)
  return typeof args[1] === 'string' ? args[1] : 'localhost';
}

/**
 * Keeps everything this test process does on the machine: sockets may connect only to loopback and
 * DNS answers only local names. A fuzzer writes provider and LDAP URLs of its own choosing (public
 * addresses pass the SSRF guard by design); with the fence none of them is ever contacted.
 * Returns a function that lifts the fence.
 */
export function installNetworkFence(): () => void {
  const originalConnect = net.Socket.prototype.connect;
  const originalLookup = dns.lookup;
  const fencedConnect = function (this: net.Socket, ...args: ConnectArgs): net.Socket {
    const host = targetHost(args);
    if (host === undefined || isLocal(host)) {
      return (originalConnect as (...a: ConnectArgs) => net.Socket).apply(this, args);
    }
    fenceRefusals.push(`connect ${host}`);
    const error = Object.assign(new Error(`network fence: connecting to ${host} is not allowed in tests`), {
      code: 'ECONNREFUSED',
    });
    process.nextTick(() => this.destroy(error));
    return this;
  };
  const fencedLookup = function (hostname: string, ...rest: unknown[]): void {
    if (isLocal(hostname)) {
      (originalLookup as (...a: unknown[]) => void)(hostname, ...rest);
      return;
    }
    fenceRefusals.push(`lookup ${hostname}`);
    const callback = rest[rest.length - 1] as (error: NodeJS.ErrnoException) => void;
    const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
      code: 'ENOTFOUND',
      hostname,
    });
    process.nextTick(() => callback(error));
  };
  net.Socket.prototype.connect = fencedConnect;
  (dns as { lookup: unknown }).lookup = fencedLookup;
  return () => {
    net.Socket.prototype.connect = originalConnect;
    (dns as { lookup: unknown }).lookup = originalLookup;
  };
}
