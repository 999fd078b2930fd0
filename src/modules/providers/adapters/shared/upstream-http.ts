import { type Dispatcher, errors, util } from 'undici';

import {
  type CancelSignal,
  DEFAULT_UPSTREAM_TIMEOUT_MS,
  type ProviderConnection,
  type UpstreamCallOptions,
  UpstreamError,
} from '../provider-adapter';
import { errorFromStatus, errorFromTransport } from '../upstream-errors';
import {
  type UpstreamEndpoint,
  UpstreamDispatchers,
  type UpstreamTargetResolver,
} from './upstream-dispatchers';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** A complete JSON answer (2xx only; anything else is thrown as an {@link UpstreamError}). */
export interface UpstreamJson {
  status: number;
  body: unknown;
  headers: Headers;
  /** The JSON text `body` was parsed from (a byte-order mark dropped). */
  text: string;
  /** The bytes `text` was decoded from. */
  bytes: Buffer;
}

/** An opened 2xx response whose body is read as it arrives. */
export interface UpstreamBody {
  status: number;
  headers: Headers;
  contentType: string;
  /** The upstream bytes; transport errors surface as {@link UpstreamError}s. */
  body: AsyncIterable<Uint8Array>;
  /** Reads the whole body as JSON (for servers that ignored `stream: true`). */
  json(): Promise<unknown>;
  /** Cancels the upstream request (idempotent). */
  abort(): void;
}

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  /** Path after the target's base path, query string included. */
  path: string;
  /** JSON text, or the bytes to send as they are (a client's body forwarded unchanged). */
  body?: string | Buffer;
  /** Added to (and overriding) the target's headers for this call. */
  headers?: Record<string, string>;
}

/**
 * The HTTP plumbing every HTTP-speaking adapter shares (OpenAI-compatible, Azure, Anthropic): one
 * keep-alive undici dispatcher per provider (proxy, skip-TLS), the provider timeout for the response
 * head and every body gap, abort propagation, and classification of failures into
 * {@link UpstreamError}s. Vendors differ only in their {@link UpstreamTargetResolver} (auth header,
 * base path) and the paths they call.
 */
export class UpstreamHttp {
  private readonly dispatchers: UpstreamDispatchers;

  constructor(resolveTarget?: UpstreamTargetResolver) {
    this.dispatchers = new UpstreamDispatchers(resolveTarget);
  }

  /** The provider's resolved endpoint (for probe logs). */
  endpointFor(conn: ProviderConnection): UpstreamEndpoint {
    return this.dispatchers.endpointFor(conn);
  }

  /** Sends one request and reads a JSON answer; non-2xx answers are thrown as UpstreamErrors. */
  json(
    conn: ProviderConnection,
    request: UpstreamRequest,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamJson> {
    return this.readJson(conn, request, opts, false);
  }

  /** Like {@link json}, but the answer must be a JSON object. */
  jsonObject(
    conn: ProviderConnection,
    request: UpstreamRequest,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamJson & { body: Record<string, unknown> }> {
    return this.readJson(conn, request, opts, true) as Promise<
      UpstreamJson & { body: Record<string, unknown> }
    >;
  }

  /**
   * {@link json} and {@link jsonObject} in one async function: on the request path every async
   * level between the dispatcher and the socket read costs a promise and a microtask per call.
   */
  private async readJson(
    conn: ProviderConnection,
    request: UpstreamRequest,
    opts: UpstreamCallOptions | undefined,
    objectOnly: boolean,
  ): Promise<UpstreamJson> {
    const { dispatcher, options } = this.prepare(conn, request, opts);
    const cancel = opts?.cancel ?? opts?.signal;
    let response: WholeResponse;
    try {
      response = await requestWhole(dispatcher, options, cancel);
    } catch (error) {
      throw errorFromTransport(error, conn.slug, cancel);
    }
    const text = withoutBom(response.body.toString('utf8'));
    const parsed = parseJsonText(text, response.statusCode, conn.slug);
    const rawHeaders = response.rawHeaders;
    if (response.statusCode >= 300)
      throw errorFromStatus(response.statusCode, parsed, util.parseHeaders(rawHeaders), conn.slug);
    if (objectOnly && (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new UpstreamError(
        'server',
        `Provider '${conn.slug}' answered with a body that is not a JSON object`,
      );
    }
    return new JsonAnswer(response.statusCode, parsed, rawHeaders, text, response.body);
  }

  /**
   * Opens a streamed answer. A non-2xx head is thrown as an UpstreamError (nothing reached the
   * client, so the dispatcher may retry); the body is pulled as the caller iterates.
   */
  async stream(
    conn: ProviderConnection,
    request: UpstreamRequest,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamBody> {
    const controller = new AbortController();
    const outer = opts?.cancel ?? opts?.signal;
    const onOuterAbort = (): void => controller.abort();
    if (outer) {
      if (outer.aborted) controller.abort();
      else outer.addEventListener('abort', onOuterAbort, { once: true });
    }
    const detach = (): void => outer?.removeEventListener('abort', onOuterAbort);
    let response: Dispatcher.ResponseData;
    try {
      // Not `...opts`: spreading would read (and so build) a caller's lazy `signal`.
      response = await this.send(conn, request, {
        timeoutMs: opts?.timeoutMs,
        headers: opts?.headers,
        signal: controller.signal,
      });
    } catch (error) {
      detach();
      throw errorFromTransport(error, conn.slug, controller.signal);
    }
    if (response.statusCode >= 300) {
      detach();
      const parsed = await readJson(response, conn.slug).catch(() => undefined);
      throw errorFromStatus(response.statusCode, parsed, response.headers, conn.slug);
    }
    const source = response.body;
    return {
      status: response.statusCode,
      headers: response.headers,
      contentType: String(response.headers['content-type'] ?? ''),
      body: guardStream(source, conn.slug, controller.signal, detach),
      json: async () => {
        detach();
        return readJson(response, conn.slug);
      },
      abort: () => {
        detach();
        controller.abort();
        source.destroy();
      },
    };
  }

  /** One raw request through the provider's dispatcher; transport failures become UpstreamErrors. */
  async send(
    conn: ProviderConnection,
    request: UpstreamRequest,
    opts?: UpstreamCallOptions,
  ): Promise<Dispatcher.ResponseData> {
    const { dispatcher, options } = this.prepare(conn, request, opts);
    try {
      return await dispatcher.request({ ...options, signal: opts?.signal });
    } catch (error) {
      throw errorFromTransport(error, conn.slug, opts?.signal);
    }
  }

  /** The provider's dispatcher and the undici options of one call (target, headers, timeouts). */
  private prepare(
    conn: ProviderConnection,
    request: UpstreamRequest,
    opts: UpstreamCallOptions | undefined,
  ): { dispatcher: Dispatcher; options: Dispatcher.DispatchOptions } {
    const endpoint = this.dispatchers.endpointFor(conn);
    const timeout = opts?.timeoutMs ?? conn.options.timeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
    return {
      dispatcher: endpoint.dispatcher,
      options: {
        origin: endpoint.origin,
        path: endpoint.basePath + request.path,
        method: request.method,
        headers:
          request.headers || opts?.headers
            ? { ...endpoint.headers, ...request.headers, ...opts?.headers }
            : endpoint.headers,
        body: request.body,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      },
    };
  }

  release(providerId: string): Promise<void> {
    return this.dispatchers.release(providerId);
  }

  close(): Promise<void> {
    return this.dispatchers.closeAll();
  }
}

/**
 * A 2xx JSON answer. Its headers are rarely read (the gateway passes the body on), so undici's
 * header list becomes an object on first read; a prototype getter, not an own one (an object
 * literal with a getter is built through V8's slow path).
 */
class JsonAnswer implements UpstreamJson {
  private parsedHeaders: Headers | undefined;

  constructor(
    readonly status: number,
    public body: unknown,
    private readonly rawHeaders: Buffer[],
    readonly text: string,
    readonly bytes: Buffer,
  ) {}

  get headers(): Headers {
    return (this.parsedHeaders ??= util.parseHeaders(this.rawHeaders));
  }
}

/** The body as JSON; a non-JSON error body is returned as text, a non-JSON 2xx body is a server error. */
export async function readJson(response: Dispatcher.ResponseData, slug: string): Promise<unknown> {
  return parseJsonText(withoutBom(await response.body.text()), response.statusCode, slug);
}

/** A UTF-8 byte order mark is dropped, as undici's `body.text()` does. */
function withoutBom(decoded: string): string {
  return decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
}

function parseJsonText(text: string, statusCode: number, slug: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (statusCode >= 300) return text;
    throw new UpstreamError('server', `Provider '${slug}' answered with invalid JSON`, statusCode);
  }
}

interface WholeResponse {
  statusCode: number;
  /** Header names and values as undici read them (name, value, name, value, …). */
  rawHeaders: Buffer[];
  body: Buffer;
}

/**
 * One request whose whole answer is read into memory, through undici's `dispatch` with the handler
 * interface undici's own `request()` gives it (`onConnect`, `onHeaders`, `onData`, `onComplete`,
 * `onError`): `request()` builds a Readable body, an AsyncResource, an abort-listener helper and a
 * promise chain per call, and a handler of the newer controller interface is wrapped per call in an
 * adapter that also turns the header and trailer lists into objects; together they cost more CPU
 * than the gateway's own stages on a small JSON answer. The header list is kept as read (see
 * {@link UpstreamHttp.json}). The provider timeouts, the abort signal and the errors are undici's,
 * as with `request()`.
 */
function requestWhole(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: CancelSignal | undefined,
): Promise<WholeResponse> {
  // What undici's `request()` rejects with on abort (errorFromTransport classifies it as `aborted`).
  const abortError = (): Error => {
    const reason = (signal as { reason?: unknown } | undefined)?.reason;
    return reason instanceof Error ? reason : new errors.RequestAbortedError();
  };
  return new Promise<WholeResponse>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    let abortRequest: ((reason?: Error) => void) | undefined;
    let abortReason: Error | undefined;
    const onAbort = (): void => {
      abortReason = abortError();
      abortRequest?.(abortReason);
    };
    signal?.addEventListener('abort', onAbort);
    const done = (): void => signal?.removeEventListener('abort', onAbort);
    let statusCode = 0;
    let rawHeaders: Buffer[] = [];
    const chunks: Buffer[] = [];
    const handler: Dispatcher.DispatchHandler = {
      onConnect(abort) {
        abortRequest = abort;
        if (abortReason) abort(abortReason);
      },
      onHeaders(status, headers) {
        statusCode = status;
        rawHeaders = headers;
        return true;
      },
      onData(chunk) {
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        done();
        const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
        resolve({ statusCode, rawHeaders, body });
      },
      onError(error) {
        done();
        reject(error);
      },
    };
    dispatcher.dispatch(options, handler);
  });
}

/** Re-throws transport errors of the stream as UpstreamErrors and always detaches the abort hook. */
async function* guardStream(
  source: AsyncIterable<Uint8Array>,
  slug: string,
  signal: AbortSignal,
  detach: () => void,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of source) yield chunk;
  } catch (error) {
    throw errorFromTransport(error, slug, signal);
  } finally {
    detach();
  }
}

/** `user:pass@` of a proxy URL replaced by `***@` (for probe logs). */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]+@/, '//***@');
}

/** A probe log suffix naming the proxy and TLS settings of a provider. */
export function transportNote(conn: ProviderConnection): string {
  return (
    (conn.options.httpProxy ? ` via proxy ${redactUrl(conn.options.httpProxy)}` : '') +
    (conn.options.skipTlsVerify ? ' (TLS verification off)' : '')
  );
}
