import type { Dispatcher } from 'undici';

import {
  DEFAULT_UPSTREAM_TIMEOUT_MS,
  type OpenAIRequestBody,
  type ProviderAdapter,
  type ProviderCheckResult,
  type ProviderConnection,
  type ProviderType,
  type UpstreamCallOptions,
  UpstreamError,
  type UpstreamJsonResponse,
  type UpstreamModel,
  type UpstreamStream,
} from '../provider-adapter';
import { errorFromStatus, errorFromTransport } from '../upstream-errors';
import { resolveBase, UpstreamDispatchers } from './upstream-dispatchers';

/**
 * Adapter for every upstream that speaks OpenAI's HTTP API: OpenAI itself, vLLM, OpenRouter,
 * Ollama's `/v1` API and custom gateways. Bodies go out as the client sent them (after the
 * pipeline's edits); streamed answers come back as the upstream's own SSE bytes, untouched.
 */
export class OpenAICompatibleAdapter implements ProviderAdapter {
  readonly types: readonly ProviderType[] = ['openai', 'vllm', 'openrouter', 'ollama', 'custom'];
  private readonly dispatchers = new UpstreamDispatchers();

  chat(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamJsonResponse> {
    return this.postJson(conn, '/chat/completions', body, opts);
  }

  chatStream(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamStream> {
    return this.postStream(conn, '/chat/completions', withStreamUsage(body), opts);
  }

  completions(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamJsonResponse> {
    return this.postJson(conn, '/completions', body, opts);
  }

  completionsStream(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamStream> {
    return this.postStream(conn, '/completions', withStreamUsage(body), opts);
  }

  embeddings(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamJsonResponse> {
    return this.postJson(conn, '/embeddings', body, opts);
  }

  async listModels(conn: ProviderConnection, opts?: UpstreamCallOptions): Promise<UpstreamModel[]> {
    const response = await this.send(conn, 'GET', '/models', undefined, opts);
    const body = await readJson(response, conn.slug);
    if (response.statusCode >= 300)
      throw errorFromStatus(response.statusCode, body, response.headers, conn.slug);
    const data = (body as { data?: unknown }).data;
    if (!Array.isArray(data)) {
      throw new UpstreamError('server', `Provider '${conn.slug}' returned a model list without 'data'`);
    }
    const models: UpstreamModel[] = [];
    for (const item of data as Record<string, unknown>[]) {
      if (!item || typeof item.id !== 'string') continue;
      models.push({
        id: item.id,
        ownedBy: typeof item.owned_by === 'string' ? item.owned_by : undefined,
        contextWindow: firstNumber(item.context_length, item.context_window, item.max_model_len),
        maxOutputTokens: firstNumber(
          (item.top_provider as Record<string, unknown> | undefined)?.max_completion_tokens,
          item.max_output_tokens,
        ),
      });
    }
    return models;
  }

  async check(conn: ProviderConnection, opts?: UpstreamCallOptions): Promise<ProviderCheckResult> {
    const started = performance.now();
    const log: string[] = [];
    try {
      const { origin, basePath } = resolveBase(conn.baseUrl, conn.options.apiPath);
      log.push(
        `GET ${origin}${basePath}/models` +
          (conn.options.httpProxy ? ` via proxy ${redactUrl(conn.options.httpProxy)}` : '') +
          (conn.options.skipTlsVerify ? ' (TLS verification off)' : ''),
      );
      const models = await this.listModels(conn, opts);
      const latencyMs = Math.round(performance.now() - started);
      log.push(`OK in ${latencyMs} ms, ${models.length} model(s) listed`);
      return { ok: true, latencyMs, log, models: models.length };
    } catch (error) {
      const latencyMs = Math.round(performance.now() - started);
      const message = error instanceof Error ? error.message : String(error);
      log.push(`Failed after ${latencyMs} ms: ${message}`);
      return { ok: false, latencyMs, log, error: message };
    }
  }

  release(providerId: string): Promise<void> {
    return this.dispatchers.release(providerId);
  }

  close(): Promise<void> {
    return this.dispatchers.closeAll();
  }

  private async postJson(
    conn: ProviderConnection,
    path: string,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamJsonResponse> {
    const response = await this.send(conn, 'POST', path, JSON.stringify(body), opts);
    let parsed: unknown;
    try {
      parsed = await readJson(response, conn.slug);
    } catch (error) {
      throw errorFromTransport(error, conn.slug, opts?.signal);
    }
    if (response.statusCode >= 300)
      throw errorFromStatus(response.statusCode, parsed, response.headers, conn.slug);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new UpstreamError(
        'server',
        `Provider '${conn.slug}' answered with a body that is not a JSON object`,
      );
    }
    return {
      status: response.statusCode,
      body: parsed as Record<string, unknown>,
      headers: response.headers,
    };
  }

  private async postStream(
    conn: ProviderConnection,
    path: string,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamStream> {
    const controller = new AbortController();
    const outer = opts?.signal;
    const onOuterAbort = (): void => controller.abort();
    if (outer) {
      if (outer.aborted) controller.abort();
      else outer.addEventListener('abort', onOuterAbort, { once: true });
    }
    const detach = (): void => outer?.removeEventListener('abort', onOuterAbort);
    let response: Dispatcher.ResponseData;
    try {
      response = await this.send(conn, 'POST', path, JSON.stringify(body), {
        ...opts,
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
    const contentType = String(response.headers['content-type'] ?? '');
    if (contentType.includes('application/json')) {
      // Some servers ignore `stream: true`; re-frame their single JSON answer as one SSE event.
      detach();
      const parsed = await readJson(response, conn.slug);
      return {
        status: response.statusCode,
        headers: response.headers,
        body: jsonAsSse(parsed),
        abort: () => undefined,
      };
    }
    const source = response.body;
    return {
      status: response.statusCode,
      headers: response.headers,
      body: guardStream(source, conn.slug, controller.signal, detach),
      abort: () => {
        detach();
        controller.abort();
        source.destroy();
      },
    };
  }

  private async send(
    conn: ProviderConnection,
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
    opts?: UpstreamCallOptions,
  ): Promise<Dispatcher.ResponseData> {
    const endpoint = this.dispatchers.endpointFor(conn);
    const timeout = opts?.timeoutMs ?? conn.options.timeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
    try {
      return await endpoint.dispatcher.request({
        origin: endpoint.origin,
        path: endpoint.basePath + path,
        method,
        headers: endpoint.headers,
        body,
        signal: opts?.signal,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
    } catch (error) {
      throw errorFromTransport(error, conn.slug, opts?.signal);
    }
  }
}

/** Asks for the usage chunk at the end of the stream (kept if the client already asked). */
export function withStreamUsage(body: OpenAIRequestBody): OpenAIRequestBody {
  const existing = body.stream_options;
  const options = existing && typeof existing === 'object' ? (existing as Record<string, unknown>) : {};
  return { ...body, stream: true, stream_options: { ...options, include_usage: true } };
}

async function readJson(response: Dispatcher.ResponseData, slug: string): Promise<unknown> {
  const text = await response.body.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (response.statusCode >= 300) return text;
    throw new UpstreamError('server', `Provider '${slug}' answered with invalid JSON`, response.statusCode);
  }
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

async function* jsonAsSse(parsed: unknown): AsyncGenerator<Uint8Array> {
  yield Buffer.from(`data: ${JSON.stringify(completionAsChunk(parsed))}\n\ndata: [DONE]\n\n`);
}

/** A whole chat completion as one `chat.completion.chunk` (message → delta, usage kept). */
export function completionAsChunk(parsed: unknown): unknown {
  if (!parsed || typeof parsed !== 'object') return parsed;
  const body = parsed as Record<string, unknown>;
  if (body.object !== 'chat.completion' || !Array.isArray(body.choices)) return parsed;
  const choices = (body.choices as Record<string, unknown>[]).map((choice) => {
    const message = (choice.message ?? {}) as Record<string, unknown>;
    const delta: Record<string, unknown> = { ...message };
    if (Array.isArray(message.tool_calls)) {
      delta.tool_calls = (message.tool_calls as Record<string, unknown>[]).map((call, index) => ({
        index,
        ...call,
      }));
    }
    return { index: choice.index ?? 0, delta, finish_reason: choice.finish_reason ?? null };
  });
  return { ...body, object: 'chat.completion.chunk', choices };
}

function firstNumber(...values: unknown[]): number | undefined {
  for (const value of values)
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  return undefined;
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]+@/, '//***@');
}
