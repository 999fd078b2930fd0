import {
  type OpenAIRequestBody,
  type ProviderAdapter,
  type ListModelsOptions,
  type ModelListing,
  type ProbeStep,
  type ProviderConnection,
  type ProviderType,
  type UpstreamCallOptions,
  UpstreamError,
  type UpstreamJsonResponse,
  type UpstreamStream,
} from '../provider-adapter';
import { parseAzureDeployments } from '../shared/model-list.parsers';
import { listByAttempts } from '../shared/model-listing';
import { translateRequest } from '../shared/native-support';
import { passThrough, withStreamUsage } from '../shared/openai-stream';
import { elapsedSince, readableErrorMessage } from '../shared/probe-steps';
import { jsonEvents, parseSse, translatedStream } from '../shared/translated-stream';
import { requestHeaders, resolveBase, type UpstreamTarget } from '../shared/upstream-dispatchers';
import { UpstreamHttp } from '../shared/upstream-http';
import { stripOpenAIExtensions } from '../wire/openai-extensions';
import type { OpenAIChatCompletionRequest } from '../wire/openai.types';
import { filterReasoningParameters, isReasoningModel } from './azure-parameters';
import {
  chatToResponsesRequest,
  responsesToChatCompletion,
  ResponsesToChatStreamTranslator,
} from './responses-translate';

/** GA data-plane version used when the provider sets none. */
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';
/** The deployment list exists only in this (older) data-plane version. */
const AZURE_LIST_API_VERSION = '2022-12-01';
/** The Responses API of Azure's v1 surface needs no api-version. */
const RESPONSES_PATH = '/openai/v1/responses';

/** What the adapter needs to know about a deployment beyond the request (from the model registry). */
export interface AzureDeploymentInfo {
  /** `responses`: call the Responses API instead of chat completions. */
  apiType?: string;
  /** The registry marks the deployment as a reasoning model. */
  reasoning?: boolean;
}

export type AzureDeploymentLookup = (
  providerId: string,
  deployment: string,
) => AzureDeploymentInfo | undefined;

/**
 * Azure OpenAI: `api-key` header (Bearer for Entra tokens), `?api-version=`, the model id is the
 * deployment name (`/openai/deployments/{deployment}/…`). Chat completions (streamed with
 * `include_usage`), legacy completions and embeddings are passed through in OpenAI's own format;
 * deployments registered with `apiType: responses` are called through the Responses API and
 * translated both ways (streams too). Reasoning deployments (o1/o3/o4/gpt-5) get their
 * unsupported sampling parameters removed and `max_tokens` renamed to `max_completion_tokens`.
 */
export class AzureOpenAIAdapter implements ProviderAdapter {
  readonly types: readonly ProviderType[] = ['azure'];
  private readonly http = new UpstreamHttp(azureTarget);

  constructor(private readonly lookup: AzureDeploymentLookup = () => undefined) {}

  async chat(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamJsonResponse> {
    const info = this.lookup(conn.id, body.model);
    if (info?.apiType === 'responses') {
      const request = this.responsesRequest(body, false);
      const response = await this.http.jsonObject(conn, post(RESPONSES_PATH, request), opts);
      const completion = responsesToChatCompletion(response.body, { model: body.model });
      return {
        status: response.status,
        headers: response.headers,
        body: completion as unknown as Record<string, unknown>,
      };
    }
    const request = this.chatRequest(body, info);
    delete request.stream;
    delete request.stream_options;
    return this.http.jsonObject(
      conn,
      post(deploymentPath(conn, body.model, 'chat/completions'), request),
      opts,
    );
  }

  async chatStream(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamStream> {
    const info = this.lookup(conn.id, body.model);
    if (info?.apiType === 'responses') {
      const request = this.responsesRequest(body, true);
      const response = await this.http.stream(conn, post(RESPONSES_PATH, request), opts);
      return translatedStream({
        providerSlug: conn.slug,
        events: jsonEvents<{ type: string }>(parseSse(response.body)),
        translator: new ResponsesToChatStreamTranslator({ model: body.model, includeUsage: true }),
        status: response.status,
        headers: response.headers,
        abort: response.abort,
        signal: opts?.signal,
      });
    }
    const request = withStreamUsage(this.chatRequest(body, info));
    const path = deploymentPath(conn, body.model, 'chat/completions');
    return passThrough(await this.http.stream(conn, post(path, request), opts));
  }

  completions(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamJsonResponse> {
    return this.http.jsonObject(conn, post(deploymentPath(conn, body.model, 'completions'), body), opts);
  }

  async completionsStream(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamStream> {
    const path = deploymentPath(conn, body.model, 'completions');
    return passThrough(await this.http.stream(conn, post(path, withStreamUsage(body)), opts));
  }

  embeddings(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamJsonResponse> {
    const { input_type: _inputType, ...request } = body;
    return this.http.jsonObject(conn, post(deploymentPath(conn, body.model, 'embeddings'), request), opts);
  }

  /**
   * The deployment list (`GET /openai/deployments`, needs a key allowed to list) plus the
   * deployments configured on the provider. A key without list rights still yields the configured
   * deployments when the first of them answers a 1-token chat.
   */
  async listModels(conn: ProviderConnection, opts?: ListModelsOptions): Promise<ModelListing> {
    const configured = conn.options.deployments ?? [];
    const { basePath } = azureTarget(conn);
    try {
      const { models } = await listByAttempts(
        this.http,
        conn,
        [
          {
            action: 'List Azure OpenAI deployments',
            path: `${basePath}/openai/deployments?api-version=${AZURE_LIST_API_VERSION}`,
            parser: parseAzureDeployments,
          },
        ],
        opts,
      );
      const known = new Set(models.map((model) => model.modelId));
      const extra = configured.filter((id) => !known.has(id)).map((id) => ({ modelId: id, name: id }));
      return { models: [...models, ...extra], source: 'listed' };
    } catch (error) {
      const first = configured[0];
      if (first === undefined || opts?.firstAttemptOnly) throw error;
      await this.pingDeployment(conn, first, opts);
      return { models: configured.map((id) => ({ modelId: id, name: id })), source: 'configured' };
    }
  }

  release(providerId: string): Promise<void> {
    return this.http.release(providerId);
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** A 1-token chat to one deployment, logged as a step; throws when it does not answer. */
  private async pingDeployment(
    conn: ProviderConnection,
    deployment: string,
    opts?: ListModelsOptions,
  ): Promise<void> {
    const { origin, basePath } = azureTarget(conn);
    const path = deploymentPath(conn, deployment, 'chat/completions');
    const step: ProbeStep = {
      action: `Send a 1-token chat to deployment ${deployment}`,
      method: 'POST',
      url: origin + basePath + path,
      ok: true,
      message: 'Deployment answered',
    };
    const started = performance.now();
    const request = { model: deployment, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 };
    try {
      const { status } = await this.chat(conn, request, opts);
      opts?.log?.({ ...step, status, latencyMs: elapsedSince(started) });
    } catch (error) {
      opts?.log?.(chatFailureStep(step, error, started));
      throw error;
    }
  }

  private chatRequest(body: OpenAIRequestBody, info: AzureDeploymentInfo | undefined): OpenAIRequestBody {
    const stripped = Array.isArray(body.messages)
      ? (stripOpenAIExtensions(
          body as unknown as OpenAIChatCompletionRequest,
        ) as unknown as OpenAIRequestBody)
      : { ...body };
    return filterReasoningParameters(stripped, info?.reasoning === true || isReasoningModel(body.model));
  }

  private responsesRequest(body: OpenAIRequestBody, stream: boolean): Record<string, unknown> {
    return translateRequest(() =>
      chatToResponsesRequest(body as unknown as OpenAIChatCompletionRequest, { model: body.model, stream }),
    );
  }
}

/** The chat test's failure as the console shows it: HTTP status and upstream message, or the transport error. */
function chatFailureStep(step: ProbeStep, error: unknown, started: number): ProbeStep {
  const status = error instanceof UpstreamError ? error.status : undefined;
  if (status === undefined) {
    const message = error instanceof Error ? error.message : String(error);
    return { ...step, ok: false, latencyMs: 0, cause: 'network', message };
  }
  const detail = readableErrorMessage((error as UpstreamError).upstreamBody, (error as Error).message);
  return {
    ...step,
    ok: false,
    status,
    latencyMs: elapsedSince(started),
    cause: status === 401 || status === 403 ? 'auth' : 'http',
    message: `HTTP ${status}: ${detail}`,
  };
}

function post(path: string, body: unknown): { method: 'POST'; path: string; body: string } {
  return { method: 'POST', path, body: JSON.stringify(body) };
}

function deploymentPath(conn: ProviderConnection, deployment: string, route: string): string {
  const version = encodeURIComponent(conn.options.apiVersion || DEFAULT_AZURE_API_VERSION);
  return `/openai/deployments/${encodeURIComponent(deployment)}/${route}?api-version=${version}`;
}

/**
 * Base URL = the resource endpoint (`https://<resource>.openai.azure.com`, or an APIM/proxy mount);
 * a trailing `/openai` is tolerated. `api_key` auth sends `api-key`, `bearer` an Entra ID token.
 */
export function azureTarget(conn: ProviderConnection): UpstreamTarget {
  const { origin, basePath } = resolveBase(conn.baseUrl, '');
  return { origin, basePath: basePath.replace(/\/openai$/, ''), headers: requestHeaders(conn, 'api-key') };
}
