import type { ConnectionOptions } from 'node:tls';
import { type Client, createClient, type SearchEntryObject, type SearchOptions } from 'ldapjs';

import { outboundGuard } from '../../../core/http/outbound-guard';
import type { ResolvedLdapSettings } from './ldap-settings.service';

/** TLS for ldaps:// and StartTLS: extra CA bundle, optional skip-verify (really skips it). */
export function tlsOptionsFor(settings: ResolvedLdapSettings): ConnectionOptions {
  return {
    ...(settings.tlsCaCert.trim() ? { ca: [settings.tlsCaCert] } : {}),
    rejectUnauthorized: !settings.tlsSkipVerify,
  };
}

/** ldapjs errors are objects with name/message/code but not always Error instances. */
export function asError(error: { message: string; name: string }): Error {
  if (error instanceof Error) return error;
  const wrapped = new Error(error.message || error.name);
  wrapped.name = error.name;
  return wrapped;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export async function connect(settings: ResolvedLdapSettings): Promise<Client> {
  // SSRF guard (PROVIDER_URL_ALLOW): the name is resolved and checked right before connecting.
  const refusal = await outboundGuard().checkUrl(settings.url);
  if (refusal) throw new Error(`LDAP URL refused: ${refusal}`);
  return new Promise((resolve, reject) => {
    let client: Client;
    try {
      client = createClient({
        url: settings.url,
        tlsOptions: tlsOptionsFor(settings),
        connectTimeout: settings.timeoutMs,
        timeout: settings.timeoutMs,
        reconnect: false,
      });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    client.once('connect', () => resolve(client));
    client.once('connectError', (error: Error) => reject(error));
    client.once('connectTimeout', () => reject(new Error('connection timed out')));
    client.once('setupError', (error: Error) => reject(error));
    // Without a listener an 'error' event would crash the process.
    client.on('error', (error: Error) => reject(error));
  });
}

export function bind(client: Client, dn: string, password: string): Promise<void> {
  return new Promise((resolve, reject) =>
    client.bind(dn, password, (error) => (error ? reject(asError(error)) : resolve())),
  );
}

export function startTls(client: Client, settings: ResolvedLdapSettings): Promise<void> {
  return new Promise((resolve, reject) =>
    client.starttls(tlsOptionsFor(settings), [], (error: Error | null) =>
      error ? reject(error) : resolve(),
    ),
  );
}

export function search(client: Client, base: string, options: SearchOptions): Promise<SearchEntryObject[]> {
  return new Promise((resolve, reject) => {
    client.search(base, { sizeLimit: 200, ...options }, (error, response) => {
      if (error) {
        reject(asError(error));
        return;
      }
      const entries: SearchEntryObject[] = [];
      response.on('searchEntry', (entry) => entries.push(entry.object));
      response.on('error', (e: Error) => reject(e));
      response.on('end', () => resolve(entries));
    });
  });
}

/** Releases the connection without waiting for the server. */
export function disconnect(client: Client): void {
  client.destroy();
}
