import { encodeJsonBody } from '../../../../common/json/raw-json-body';
import {
  type OpenAIRequestBody,
  type ProviderAdapter,
  type ListModelsOptions,
  type ModelListing,
  type ProviderConnection,
  type ProviderType,
  type UpstreamCallOptions,
  type UpstreamJsonResponse,
  type UpstreamStream,
} from '../provider-adapter';
import { parseOllamaTags, parseOpenAiModelList } from '../shared/model-list.parsers';
import { type ListingAttempt, listByAttempts } from '../shared/model-listing';
import { resolveBase } from '../shared/upstream-dispatchers';
import { UpstreamHttp } from '../shared/upstream-http';
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

  /**
   * Ollama's own `api/tags` first (names and families), then `GET models` under the stored API
   * path, `/v1`, `/api/v1` and the bare base URL: the path that answers is reported (and stored),
   * so a base URL with or without `/v1` works.
   */
  async listModels(conn: ProviderConnection, opts?: ListModelsOptions): Promise<ModelListing> {
    const { models, attempt } = await listByAttempts(this.http, conn, listingAttempts(conn), opts);
    return { models, apiPath: attempt.apiPath, source: 'listed' };
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

function listingAttempts(conn: ProviderConnection): ListingAttempt[] {
  const root = resolveBase(conn.baseUrl, '').basePath;
  const ollama: ListingAttempt[] =
    conn.type === 'ollama'
      ? [{ action: 'List Ollama models', path: `${root}/api/tags`, parser: parseOllamaTags }]
      : [];
  const paths = [...new Set([conn.options.apiPath, '/v1', '/api/v1', ''])].filter(
    (path): path is string => path !== undefined,
  );
  return [
    ...ollama,
    ...paths.map((apiPath) => ({
      action: `List models at ${apiPath === '' ? 'the base URL' : apiPath}`,
      path: `${resolveBase(conn.baseUrl, apiPath).basePath}/models`,
      parser: parseOpenAiModelList,
      apiPath,
    })),
  ];
}
