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
import { passThrough, withStreamUsage } from '../shared/openai-stream';
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

  /** Not async: the promise of {@link UpstreamHttp.jsonObject} is returned as it is (no extra level per call). */
  private postJson(
    conn: ProviderConnection,
    path: string,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamJsonResponse> {
    // The answer as UpstreamHttp read it (status, body, text, bytes, headers read on demand).
    let encoded: string | Buffer;
    try {
      encoded = encodeJsonBody(body);
    } catch (error) {
      // What the async function did: the encoder's error as the rejection, whatever it is.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return Promise.reject(error);
    }
    return this.http.jsonObject(conn, { method: 'POST', path, body: encoded }, opts);
  }

  private async postStream(
    conn: ProviderConnection,
    path: string,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamStream> {
    return passThrough(
      await this.http.stream(conn, { method: 'POST', path, body: encodeJsonBody(body) }, opts),
    );
  }
}

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
