import { type Dispatcher, Pool, ProxyAgent } from 'undici';

import { guardedConnector } from '../../../../core/http/outbound-guard';
import {
  DEFAULT_UPSTREAM_CONNECTIONS,
  DEFAULT_UPSTREAM_TIMEOUT_MS,
  type ProviderConnection,
} from '../provider-adapter';

/** Where one provider's calls go and with which headers (vendor specific: auth header, base path). */
export interface UpstreamTarget {
  origin: string;
  /** Path prefix of the vendor's routes, without a trailing slash (e.g. `/v1`). */
  basePath: string;
  headers: Record<string, string>;
}

/** Resolved target of one provider: where to send, with which headers, through which dispatcher. */
export interface UpstreamEndpoint extends UpstreamTarget {
  dispatcher: Dispatcher;
}

/** Computes a provider's target; each vendor adapter passes its own (default: OpenAI-compatible). */
export type UpstreamTargetResolver = (conn: ProviderConnection) => UpstreamTarget;

interface Entry {
  conn: ProviderConnection;
  fingerprint: string;
  endpoint: UpstreamEndpoint;
}

const KEEP_ALIVE_MS = 30_000;

/**
 * One keep-alive dispatcher per provider: an undici `Pool` (TLS checks relaxed when the provider
 * says skip-TLS), or a `ProxyAgent` when the provider goes through an HTTP proxy. A provider whose
 * connection settings change gets a fresh dispatcher; the old one finishes its requests and closes.
 */
export class UpstreamDispatchers {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly resolveTarget: UpstreamTargetResolver = openAITarget) {}

  endpointFor(conn: ProviderConnection): UpstreamEndpoint {
    const entry = this.entries.get(conn.id);
    // Fast path: the config snapshot object is unchanged, so nothing about the connection is.
    if (entry?.conn === conn) return entry.endpoint;
    const fingerprint = connectionFingerprint(conn);
    if (entry && entry.fingerprint === fingerprint) {
      entry.conn = conn;
      return entry.endpoint;
    }
    if (entry) void entry.endpoint.dispatcher.close().catch(() => undefined);
    const endpoint = buildEndpoint(conn, this.resolveTarget(conn));
    this.entries.set(conn.id, { conn, fingerprint, endpoint });
    return endpoint;
  }

  async release(providerId: string): Promise<void> {
    const entry = this.entries.get(providerId);
    if (!entry) return;
    this.entries.delete(providerId);
    await entry.endpoint.dispatcher.close().catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.endpoint.dispatcher.destroy().catch(() => undefined)));
  }
}

export function connectionFingerprint(conn: ProviderConnection): string {
  return JSON.stringify([
    conn.baseUrl,
    conn.authType,
    conn.credentials.apiKey,
    conn.credentials.accessKeyId,
    conn.credentials.secretAccessKey,
    conn.credentials.sessionToken,
    conn.options.apiPath,
    conn.options.apiVersion,
    conn.options.region,
    conn.options.extraHeaders,
    conn.options.skipTlsVerify === true,
    conn.options.httpProxy,
    conn.options.timeoutMs,
  ]);
}

/** `https://host/base` + apiPath → origin and OpenAI route prefix (default `/v1`). */
export function resolveBase(baseUrl: string, apiPath?: string): { origin: string; basePath: string } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`Provider base URL '${baseUrl}' is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Provider base URL '${baseUrl}' must use http or https`);
  }
  const urlPath = url.pathname.replace(/\/+$/, '');
  const extra = apiPath === undefined ? (urlPath === '' ? '/v1' : '') : apiPath.replace(/\/+$/, '');
  const normalizedExtra = extra === '' || extra.startsWith('/') ? extra : `/${extra}`;
  return { origin: url.origin, basePath: urlPath + normalizedExtra };
}

/** OpenAI-compatible servers: `Authorization: Bearer <key>`, routes under `/v1` unless configured. */
export function openAITarget(conn: ProviderConnection): UpstreamTarget {
  const { origin, basePath } = resolveBase(conn.baseUrl, conn.options.apiPath);
  return { origin, basePath, headers: requestHeaders(conn) };
}

/**
 * JSON content type, the vendor's own headers, the provider's extra headers (which may override
 * them) and the key: `Authorization: Bearer` for `bearer` auth or a vendor without a key header,
 * else the vendor's `keyHeader` (`api-key`, `x-api-key`). `none` auth sends no key.
 */
export function requestHeaders(
  conn: ProviderConnection,
  keyHeader?: string,
  vendorHeaders: Record<string, string> = {},
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...vendorHeaders,
    ...conn.options.extraHeaders,
  };
  const key = conn.credentials.apiKey;
  if (!key || conn.authType === 'none') return headers;
  if (keyHeader && conn.authType !== 'bearer') headers[keyHeader] = key;
  else headers.authorization = `Bearer ${key}`;
  return headers;
}

function buildEndpoint(conn: ProviderConnection, target: UpstreamTarget): UpstreamEndpoint {
  const { origin, basePath, headers } = target;
  const tls = conn.options.skipTlsVerify ? { rejectUnauthorized: false } : {};
  const connections = DEFAULT_UPSTREAM_CONNECTIONS;
  const connectTimeout = Math.min(conn.options.timeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS, 10_000);
  let dispatcher: Dispatcher;
  if (conn.options.httpProxy) {
    dispatcher = new ProxyAgent({
      uri: conn.options.httpProxy,
      requestTls: tls,
      connections,
      keepAliveTimeout: KEEP_ALIVE_MS,
      connect: { timeout: connectTimeout },
    });
  } else {
    dispatcher = new Pool(origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: KEEP_ALIVE_MS,
      keepAliveMaxTimeout: 10 * KEEP_ALIVE_MS,
      // Checks the address actually connected to (SSRF guard, DNS rebinding included).
      connect: guardedConnector({ ...tls, timeout: connectTimeout }),
    });
  }
  return { origin, basePath, headers, dispatcher };
}
