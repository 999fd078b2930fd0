import type { Readable } from 'node:stream';

import { DEFAULT_UPSTREAM_TIMEOUT_MS, type ProviderConnection } from '../provider-adapter';
import type { UpstreamEndpoint } from '../shared/upstream-dispatchers';

/** The parts of a Smithy `HttpRequest` the AWS SDK hands to its request handler. */
interface SdkHttpRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | (string | null)[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/** A Smithy `HttpResponse` (the SDK checks it structurally: numeric statusCode + headers object). */
interface SdkHttpResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Readable;
}

/**
 * AWS SDK request handler that sends through the provider's undici dispatcher, so Bedrock calls get
 * the same proxy, skip-TLS, keep-alive pool and timeouts (response head and every body gap) as the
 * HTTP adapters. Speaks HTTP/1.1; ConverseStream's event stream is read from the body as it comes.
 */
export class UndiciRequestHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };

  constructor(
    private readonly conn: ProviderConnection,
    private readonly endpoint: () => UpstreamEndpoint,
  ) {}

  async handle(
    request: SdkHttpRequest,
    // The SDK passes the AbortSignal given to `client.send` (a native one in this codebase).
    options: { abortSignal?: unknown } = {},
  ): Promise<{ response: SdkHttpResponse }> {
    const endpoint = this.endpoint();
    const port = request.port ? `:${request.port}` : '';
    const origin = `${request.protocol}//${request.hostname}${port}`;
    if (new URL(origin).origin !== endpoint.origin) {
      throw new Error(`Bedrock request to ${origin} does not match the provider endpoint ${endpoint.origin}`);
    }
    const timeout = this.conn.options.timeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      // undici sets these itself from the body; a stale transfer-encoding is rejected.
      if (name.toLowerCase() === 'transfer-encoding') continue;
      headers[name] = value;
    }
    for (const [name, value] of Object.entries(this.conn.options.extraHeaders ?? {}))
      headers[name.toLowerCase()] ??= value;
    const response = await endpoint.dispatcher.request({
      origin: endpoint.origin,
      path: request.path + queryString(request.query),
      method: request.method,
      headers,
      body: request.body as string | Uint8Array | Readable | undefined,
      signal: options.abortSignal,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    const responseHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return {
      response: { statusCode: response.statusCode, headers: responseHeaders, body: response.body },
    };
  }

  updateHttpClientConfig(): void {
    // Configuration comes from the provider record; nothing to update at runtime.
  }

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {
    // The dispatcher belongs to the adapter's pool and is closed there.
  }
}

function queryString(query: SdkHttpRequest['query']): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      parts.push(
        item === null ? encodeURIComponent(key) : `${encodeURIComponent(key)}=${encodeURIComponent(item)}`,
      );
    }
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}
