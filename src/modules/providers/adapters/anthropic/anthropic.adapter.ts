import { rawJsonOf } from '../../../../common/json/raw-json-body';
import {
  type OpenAIRequestBody,
  type ProviderAdapter,
  type DiscoveredModel,
  type ListModelsOptions,
  type ModelListing,
  type ProviderConnection,
  type ProviderType,
  type UpstreamCallOptions,
  UpstreamError,
  type UpstreamJsonResponse,
  type UpstreamStream,
} from '../provider-adapter';
import { parseOpenAiModelList } from '../shared/model-list.parsers';
import { listByAttempts } from '../shared/model-listing';
import { translateRequest, unsupportedCall } from '../shared/native-support';
import { jsonEvents, parseSse, translatedStream } from '../shared/translated-stream';
import { requestHeaders, resolveBase, type UpstreamTarget } from '../shared/upstream-dispatchers';
import { UpstreamHttp } from '../shared/upstream-http';
import {
  ANTHROPIC_VERSION,
  type AnthropicMessagesRequest,
  type AnthropicMessagesResponse,
  type AnthropicStreamEvent,
} from '../wire/anthropic.types';
import type { OpenAIChatCompletionRequest } from '../wire/openai.types';
import { anthropicPassthrough } from './anthropic-passthrough';
import { anthropicResponseToOpenAI } from './translate/anthropic-response-to-openai';
import { AnthropicToOpenAIStreamTranslator } from './translate/anthropic-stream-to-openai';
import { openAIRequestToAnthropic } from './translate/openai-request-to-anthropic';

const MESSAGES_PATH = '/v1/messages';
/** Pages of the model list; the API allows up to 1000 per page. */
const MODELS_PAGE = 1000;
const MAX_MODEL_PAGES = 10;

/**
 * Anthropic's native Messages API (`POST /v1/messages`, `x-api-key`, `anthropic-version`). OpenAI
 * chat requests are translated with `translate/`, answers and SSE streams translated back into
 * OpenAI completions and chunks (usage incl. cache tokens). Errors keep their meaning for the
 * dispatcher: 429 `rate_limited` with Retry-After, 529 overloaded / 5xx `server`, "prompt is too
 * long" `context_overflow`. Anthropic has no embeddings and no legacy completions API.
 */
export class AnthropicAdapter implements ProviderAdapter {
  readonly types: readonly ProviderType[] = ['anthropic'];
  private readonly http = new UpstreamHttp(anthropicTarget);

  async chat(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamJsonResponse> {
    const response = await this.http.jsonObject(conn, this.post(this.encode(body, false)), opts);
    const message = response.body as unknown as AnthropicMessagesResponse;
    if (!Array.isArray(message.content) || !message.usage) {
      throw new UpstreamError('server', `Provider '${conn.slug}' answered with a body that is not a message`);
    }
    return {
      status: response.status,
      headers: response.headers,
      body: anthropicResponseToOpenAI(message) as unknown as Record<string, unknown>,
    };
  }

  async chatStream(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamStream> {
    const response = await this.http.stream(conn, this.post(this.encode(body, true)), opts);
    const translator = new AnthropicToOpenAIStreamTranslator({ includeUsage: true });
    return translatedStream<AnthropicStreamEvent>({
      providerSlug: conn.slug,
      events: jsonEvents<AnthropicStreamEvent>(parseSse(response.body)),
      translator,
      status: response.status,
      headers: response.headers,
      abort: response.abort,
      signal: opts?.signal,
    });
  }

  completions(): Promise<UpstreamJsonResponse> {
    return Promise.reject(unsupportedCall('Anthropic', 'the legacy completions API; use chat completions'));
  }

  completionsStream(): Promise<UpstreamStream> {
    return Promise.reject(unsupportedCall('Anthropic', 'the legacy completions API; use chat completions'));
  }

  embeddings(): Promise<UpstreamJsonResponse> {
    return Promise.reject(unsupportedCall('Anthropic', 'embeddings'));
  }

  /** `GET /v1/models`, page by page (one logged step per page). */
  async listModels(conn: ProviderConnection, opts?: ListModelsOptions): Promise<ModelListing> {
    const { basePath } = anthropicTarget(conn);
    const models: DiscoveredModel[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_MODEL_PAGES; page++) {
      const query = `?limit=${MODELS_PAGE}` + (after ? `&after_id=${encodeURIComponent(after)}` : '');
      let next: string | undefined;
      const parser = (body: unknown): DiscoveredModel[] | undefined => {
        const list = body as { has_more?: unknown; last_id?: unknown } | undefined;
        next = list?.has_more === true && typeof list.last_id === 'string' ? list.last_id : undefined;
        return parseOpenAiModelList(body);
      };
      const listed = await listByAttempts(
        this.http,
        conn,
        [{ action: 'List Anthropic models', path: `${basePath}/v1/models${query}`, parser }],
        opts,
      );
      models.push(...listed.models);
      if (next === undefined) break;
      after = next;
    }
    return { models, source: 'listed' };
  }

  release(providerId: string): Promise<void> {
    return this.http.release(providerId);
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private translate(body: OpenAIRequestBody, stream: boolean): AnthropicMessagesRequest {
    const request = translateRequest(() =>
      openAIRequestToAnthropic(body as unknown as OpenAIChatCompletionRequest, { model: body.model }),
    );
    if (stream) request.stream = true;
    else delete request.stream;
    return request;
  }

  /**
   * The request bytes: the client's own Messages body when it came through the Anthropic ingress
   * (only what the pipeline changed is rewritten), else the translation of the OpenAI body.
   */
  private encode(body: OpenAIRequestBody, stream: boolean): string | Buffer {
    const raw = rawJsonOf(body, 'anthropic');
    const original = raw && anthropicPassthrough(raw, body, () => this.translate(body, stream));
    return original ?? JSON.stringify(this.translate(body, stream));
  }

  private post(body: string | Buffer): { method: 'POST'; path: string; body: string | Buffer } {
    return { method: 'POST', path: MESSAGES_PATH, body };
  }
}

/**
 * Base URL = the API root (`https://api.anthropic.com`, or a proxy's mount point); a trailing `/v1`
 * is tolerated. `api_key` auth sends `x-api-key`, `bearer` an Authorization header.
 */
export function anthropicTarget(conn: ProviderConnection): UpstreamTarget {
  const { origin, basePath } = resolveBase(conn.baseUrl, conn.options.apiPath ?? '');
  const headers = requestHeaders(conn, 'x-api-key', {
    'anthropic-version': conn.options.apiVersion ?? ANTHROPIC_VERSION,
  });
  return { origin, basePath: basePath.replace(/\/v1$/, ''), headers };
}
