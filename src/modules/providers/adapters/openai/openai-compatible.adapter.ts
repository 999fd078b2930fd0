import { encodeJsonBody } from '../../../../common/json/raw-json-body';
import {
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
import { checkByListing } from '../shared/adapter-check';
import { resolveBase } from '../shared/upstream-dispatchers';
import { transportNote, UpstreamHttp } from '../shared/upstream-http';
import { stripOpenAIExtensions } from '../wire/openai-extensions';
import type { OpenAIChatCompletionRequest } from '../wire/openai.types';

/**
 * Adapter for every upstream that speaks OpenAI's HTTP API: OpenAI itself, vLLM, OpenRouter,
 * Ollama's `/v1` API and custom gateways. Bodies go out as the client sent them (after the
 * pipeline's edits); streamed answers come back as the upstream's own SSE bytes, untouched.
 */
export class OpenAICompatibleAdapter implements ProviderAdapter {
  readonly types: readonly ProviderType[] = ['openai', 'vllm', 'openrouter', 'ollama', 'custom'];
  private readonly http = new UpstreamHttp();

  chat(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamJsonResponse> {
    return this.postJson(conn, '/chat/completions', forUpstream(conn, body), opts);
  }

  chatStream(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamStream> {
    return this.postStream(conn, '/chat/completions', withStreamUsage(forUpstream(conn, body)), opts);
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
    const { body } = await this.http.json(conn, { method: 'GET', path: '/models' }, opts);
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

  check(conn: ProviderConnection, opts?: UpstreamCallOptions): Promise<ProviderCheckResult> {
    return checkByListing(
      () => {
        const { origin, basePath } = resolveBase(conn.baseUrl, conn.options.apiPath);
        return `GET ${origin}${basePath}/models${transportNote(conn)}`;
      },
      () => this.listModels(conn, opts),
    );
  }

  release(providerId: string): Promise<void> {
    return this.http.release(providerId);
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async postJson(
    conn: ProviderConnection,
    path: string,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamJsonResponse> {
    return this.http.jsonObject(conn, { method: 'POST', path, body: encodeJsonBody(body) }, opts);
  }

  private async postStream(
    conn: ProviderConnection,
    path: string,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamStream> {
    const response = await this.http.stream(conn, { method: 'POST', path, body: encodeJsonBody(body) }, opts);
    if (response.contentType.includes('application/json')) {
      // Some servers ignore `stream: true`; re-frame their single JSON answer as one SSE event.
      const parsed = await response.json();
      return {
        status: response.status,
        headers: response.headers,
        body: jsonAsSse(parsed),
        abort: () => undefined,
      };
    }
    return { status: response.status, headers: response.headers, body: response.body, abort: response.abort };
  }
}

/** Asks for the usage chunk at the end of the stream (kept if the client already asked). */
/**
 * OpenAI's own API rejects unknown fields, and requests translated from Anthropic clients (Claude
 * Code) carry `cache_control`, `thinking` and `top_k`. OpenRouter, vLLM and Ollama understand or
 * ignore them (OpenRouter uses `cache_control` for prompt caching), so only `openai` is cleaned.
 */
export function forUpstream(conn: ProviderConnection, body: OpenAIRequestBody): OpenAIRequestBody {
  if (conn.type !== 'openai' || !Array.isArray(body.messages)) return body;
  return stripOpenAIExtensions(
    body as unknown as OpenAIChatCompletionRequest,
  ) as unknown as OpenAIRequestBody;
}

export function withStreamUsage(body: OpenAIRequestBody): OpenAIRequestBody {
  const existing = body.stream_options;
  // Already as needed: the same object, so the client's bytes can go out unchanged.
  if (body.stream === true && (existing as { include_usage?: unknown } | undefined)?.include_usage === true)
    return body;
  const options = existing && typeof existing === 'object' ? (existing as Record<string, unknown>) : {};
  return { ...body, stream: true, stream_options: { ...options, include_usage: true } };
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
