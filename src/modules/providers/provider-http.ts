import { Agent, type Dispatcher, ProxyAgent, request } from 'undici';

import { guardedConnector } from '../../core/http/outbound-guard';
import { DEFAULT_PROVIDER_TIMEOUT_MS, type ProviderOptions, type ResolvedProvider } from './provider.types';

/**
 * Outbound HTTP to providers with undici: every call has a timeout, and the provider's proxy and
 * skip-TLS options really apply (one cached dispatcher per option combination).
 */
const dispatchers = new Map<string, Dispatcher>();

export function dispatcherFor(options: Pick<ProviderOptions, 'httpProxy' | 'skipTlsVerify'>): Dispatcher {
  const skipTls = options.skipTlsVerify === true;
  const proxy = options.httpProxy?.trim() || undefined;
  const cacheKey = `${proxy ?? ''}|${skipTls}`;
  let dispatcher = dispatchers.get(cacheKey);
  if (!dispatcher) {
    const tls = { rejectUnauthorized: !skipTls };
    dispatcher = proxy
      ? new ProxyAgent({ uri: proxy, requestTls: tls, proxyTls: tls, connectTimeout: 10_000 })
      : new Agent({ connect: guardedConnector({ ...tls, timeout: 10_000 }), keepAliveTimeout: 30_000 });
    dispatchers.set(cacheKey, dispatcher);
  }
  return dispatcher;
}

export function timeoutOf(provider: Pick<ResolvedProvider, 'options'>): number {
  return provider.options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
}

/** The auth headers of a provider, per its type and auth type. */
export function authHeaders(provider: ResolvedProvider): Record<string, string> {
  const key = provider.credentials.apiKey;
  const headers: Record<string, string> = {};
  if (provider.type === 'anthropic') {
    headers['anthropic-version'] = provider.options.apiVersion ?? '2023-06-01';
  }
  if (!key || provider.authType === 'none' || provider.authType === 'aws_credentials') return headers;
  if (provider.authType === 'bearer') headers.authorization = `Bearer ${key}`;
  else if (provider.type === 'azure') headers['api-key'] = key;
  else if (provider.type === 'anthropic') headers['x-api-key'] = key;
  else headers.authorization = `Bearer ${key}`;
  return headers;
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  latencyMs: number;
}

export interface HttpCallOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
  dispatcher: Dispatcher;
  /** Responses larger than this are cut (probes only need the start of a body). */
  maxBodyBytes?: number;
}

/** One HTTP call; throws the undici/network error (see classifyNetworkError) on failure. */
export async function httpCall(url: string, options: HttpCallOptions): Promise<HttpResult> {
  const started = performance.now();
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await request(url, {
    method: options.method ?? 'GET',
    headers,
    body,
    dispatcher: options.dispatcher,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  const limit = options.maxBodyBytes ?? 5 * 1024 * 1024;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      response.body.destroy();
      break;
    }
    chunks.push(chunk);
  }
  return {
    status: response.statusCode,
    headers: response.headers,
    text: Buffer.concat(chunks).toString('utf8'),
    latencyMs: Math.round(performance.now() - started),
  };
}

export type NetworkFailure = 'dns' | 'refused' | 'timeout' | 'tls' | 'reset' | 'proxy' | 'network';

/** Names the cause of a failed call in words an admin can act on. */
export function classifyNetworkError(error: unknown): { cause: NetworkFailure; message: string } {
  const err = error as {
    code?: unknown;
    name?: string;
    message?: string;
    cause?: { code?: unknown; message?: string };
  };
  // DOMException (AbortSignal.timeout) has a numeric code; only Node's string codes mean anything here.
  const code =
    typeof err.code === 'string' ? err.code : typeof err.cause?.code === 'string' ? err.cause.code : '';
  const message = err.cause?.message ?? err.message ?? String(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return { cause: 'dns', message: `DNS lookup failed (${code})` };
  if (code === 'ECONNREFUSED') return { cause: 'refused', message: 'Connection refused' };
  if (
    (code.startsWith('UND_ERR_') && code.includes('TIMEOUT')) ||
    err.name === 'TimeoutError' ||
    code === 'ETIMEDOUT' ||
    code === 'UND_ERR_ABORTED'
  ) {
    return { cause: 'timeout', message: 'Timed out' };
  }
  if (
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|EPROTO/.test(code) ||
    /certificate|SSL|TLS/i.test(message)
  ) {
    return { cause: 'tls', message: `TLS error: ${message}` };
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return { cause: 'reset', message: 'Connection closed by the server' };
  }
  if (/proxy/i.test(message) || code === 'UND_ERR_PRX_TLS')
    return { cause: 'proxy', message: `Proxy error: ${message}` };
  return { cause: 'network', message: message || 'Network error' };
}

/** Joins a base URL and a path without doubling or dropping slashes. */
export function joinUrl(base: string, path: string): string {
  const trimmedBase = base.replace(/\/+$/, '');
  if (!path) return trimmedBase;
  return `${trimmedBase}/${path.replace(/^\/+/, '')}`;
}
