import { BedrockClient, ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import {
  BedrockRuntimeClient,
  type BedrockRuntimeClientConfig,
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  type ConverseStreamCommandInput,
  type ConverseStreamOutput,
  InvokeModelCommand,
} from '@aws-sdk/client-bedrock-runtime';

import {
  type OpenAIRequestBody,
  type ProviderAdapter,
  DEFAULT_UPSTREAM_TIMEOUT_MS,
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
import { parseBedrockFoundationModels } from '../shared/model-list.parsers';
import { translateRequest, unsupportedCall } from '../shared/native-support';
import { elapsedSince, listingError, modelCount, stepFromFailure, withTimeout } from '../shared/probe-steps';
import { translatedStream } from '../shared/translated-stream';
import { UpstreamDispatchers, type UpstreamTarget } from '../shared/upstream-dispatchers';
import { errorFromStatus, errorFromTransport } from '../upstream-errors';
import type {
  CohereEmbeddingResponse,
  ConverseResponse,
  ConverseStreamEvent,
  ConverseStreamExceptionName,
  TitanEmbeddingResponse,
} from '../wire/bedrock.types';
import type { OpenAIChatCompletionRequest, OpenAIEmbeddingRequest } from '../wire/openai.types';
import { bedrockErrorToOpenAI } from './translate/bedrock-errors';
import { cohereEmbeddingsToOpenAI, openAIEmbeddingsToCohere } from './translate/cohere-embeddings';
import { converseResponseToOpenAI } from './translate/converse-response-to-openai';
import { ConverseToOpenAIStreamTranslator } from './translate/converse-stream-to-openai';
import { openAIRequestToConverse } from './translate/openai-request-to-converse';
import { openAIEmbeddingsToTitan, titanEmbeddingsToOpenAI } from './translate/titan-embeddings';
import { UndiciRequestHandler } from './undici-request-handler';

export const DEFAULT_BEDROCK_REGION = 'us-east-1';
/** Titan embeds one text per call: this many calls run at once. */
const TITAN_CONCURRENCY = 8;
const STREAM_EXCEPTIONS: readonly ConverseStreamExceptionName[] = [
  'internalServerException',
  'modelStreamErrorException',
  'validationException',
  'throttlingException',
  'serviceUnavailableException',
];

interface Clients {
  fingerprint: string;
  runtime: BedrockRuntimeClient;
  control: BedrockClient;
}

/** What the AWS SDK throws for a service error (modelled exception). */
interface SdkServiceError {
  name: string;
  message: string;
  $fault: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string> };
  originalStatusCode?: number;
  originalMessage?: string;
}

/**
 * AWS Bedrock through the official SDK: Converse / ConverseStream for chat (tools, images, usage
 * incl. cache tokens), InvokeModel for Titan and Cohere embeddings, ListFoundationModels plus
 * the foundation-model list for discovery. SigV4 with the provider's access keys, or the default
 * credential chain (environment, profile, IAM role) when none are stored. The provider's base URL,
 * when set, is the endpoint (VPC endpoints, tests). Requests go through the provider's undici
 * dispatcher (proxy, skip-TLS, timeouts); the SDK does not retry, the gateway's dispatcher does.
 */
export class BedrockAdapter implements ProviderAdapter {
  readonly types: readonly ProviderType[] = ['bedrock'];
  private readonly runtimeDispatchers = new UpstreamDispatchers((conn) => bedrockTarget(conn, 'runtime'));
  private readonly controlDispatchers = new UpstreamDispatchers((conn) => bedrockTarget(conn, 'control'));
  private readonly clients = new Map<string, Clients>();

  async chat(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamJsonResponse> {
    const input = this.translate(body);
    const { runtime } = this.clientsFor(conn);
    try {
      const output = await runtime.send(new ConverseCommand(input as ConverseCommandInput), {
        abortSignal: opts?.signal,
      });
      const completion = converseResponseToOpenAI(output as ConverseResponse, { model: body.model });
      return { status: 200, headers: {}, body: completion as unknown as Record<string, unknown> };
    } catch (error) {
      throw bedrockFailure(error, conn.slug, opts?.signal);
    }
  }

  async chatStream(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamStream> {
    const input = this.translate(body);
    const { runtime } = this.clientsFor(conn);
    const controller = new AbortController();
    const outer = opts?.signal;
    const onAbort = (): void => controller.abort();
    if (outer?.aborted) controller.abort();
    else outer?.addEventListener('abort', onAbort, { once: true });
    const abort = (): void => {
      outer?.removeEventListener('abort', onAbort);
      controller.abort();
    };
    let stream: AsyncIterable<ConverseStreamOutput>;
    try {
      const output = await runtime.send(new ConverseStreamCommand(input as ConverseStreamCommandInput), {
        abortSignal: controller.signal,
      });
      if (!output.stream) throw new UpstreamError('server', `Provider '${conn.slug}' sent no event stream`);
      stream = output.stream;
    } catch (error) {
      const failure = bedrockFailure(error, conn.slug, outer);
      abort();
      throw failure;
    }
    return translatedStream<ConverseStreamEvent>({
      providerSlug: conn.slug,
      events: streamEvents(stream, conn.slug, controller.signal),
      translator: new ConverseToOpenAIStreamTranslator({ model: body.model, includeUsage: true }),
      status: 200,
      headers: {},
      abort,
      signal: outer,
    });
  }

  completions(): Promise<UpstreamJsonResponse> {
    return Promise.reject(unsupportedCall('Bedrock', 'the legacy completions API; use chat completions'));
  }

  completionsStream(): Promise<UpstreamStream> {
    return Promise.reject(unsupportedCall('Bedrock', 'the legacy completions API; use chat completions'));
  }

  async embeddings(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamJsonResponse> {
    const request = body as unknown as OpenAIEmbeddingRequest;
    const modelId = body.model;
    const encodingFormat = request.encoding_format;
    if (/titan-embed/.test(modelId)) {
      const bodies = translateRequest(() => openAIEmbeddingsToTitan(request, { modelId }));
      const responses = await mapLimited(bodies, TITAN_CONCURRENCY, async (item) => {
        const { json } = await this.invoke(conn, modelId, item, opts);
        return json as TitanEmbeddingResponse;
      });
      const result = titanEmbeddingsToOpenAI(responses, { model: modelId, encodingFormat });
      return { status: 200, headers: {}, body: result as unknown as Record<string, unknown> };
    }
    if (/cohere\.embed/.test(modelId)) {
      const bodies = translateRequest(() => openAIEmbeddingsToCohere(request, { modelId }));
      let inputTokens = 0;
      const responses: CohereEmbeddingResponse[] = [];
      for (const item of bodies) {
        const { json, headers } = await this.invoke(conn, modelId, item, opts);
        const counted = Number(headers['x-amzn-bedrock-input-token-count']);
        // Without Bedrock's count header, estimate (≈ 4 characters per token) rather than bill 0.
        inputTokens +=
          Number.isFinite(counted) && counted > 0
            ? counted
            : Math.ceil(item.texts.reduce((sum, text) => sum + text.length, 0) / 4);
        responses.push(json as CohereEmbeddingResponse);
      }
      const result = translateRequest(() =>
        cohereEmbeddingsToOpenAI(responses, { model: modelId, encodingFormat, inputTokens }),
      );
      return { status: 200, headers: {}, body: result as unknown as Record<string, unknown> };
    }
    throw unsupportedCall('Bedrock', `embeddings with '${modelId}' (Titan and Cohere embedding models only)`);
  }

  /**
   * ListFoundationModels, signed and sent by the AWS SDK (on-demand text and embedding models).
   * Without keys on the provider or in the environment it stops at once: the check does not wait
   * on instance metadata. Inference profiles are left to the admin (added by hand).
   */
  async listModels(conn: ProviderConnection, opts?: ListModelsOptions): Promise<ModelListing> {
    if (!hasAwsCredentials(conn)) {
      const step: ProbeStep = {
        action: 'Find AWS credentials',
        ok: false,
        cause: 'config',
        message: 'No access key configured and none in the environment',
      };
      opts?.log?.(step);
      throw listingError(conn.slug, step);
    }
    const { origin } = bedrockTarget(conn, 'control');
    const step: ProbeStep = {
      action: `List Bedrock foundation models (${regionOf(conn)})`,
      method: 'GET',
      url: `${origin}${conn.baseUrl ? basePathOf(conn.baseUrl) : ''}/foundation-models`,
      ok: false,
      message: '',
    };
    const timeoutMs = opts?.timeoutMs ?? conn.options.timeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
    const started = performance.now();
    const { control } = this.clientsFor(conn);
    let foundation;
    try {
      foundation = await control.send(new ListFoundationModelsCommand({}), {
        abortSignal: withTimeout(opts?.signal, timeoutMs),
      });
    } catch (error) {
      const failed = stepFromFailure(
        step,
        bedrockFailure(error, conn.slug, opts?.signal),
        elapsedSince(started),
        timeoutMs,
      );
      opts?.log?.(failed);
      throw listingError(conn.slug, failed);
    }
    const models = parseBedrockFoundationModels(foundation) ?? [];
    opts?.log?.({
      ...step,
      ok: true,
      status: 200,
      latencyMs: elapsedSince(started),
      message: `${modelCount(models.length)} listed`,
    });
    return { models, source: 'listed' };
  }

  async release(providerId: string): Promise<void> {
    const clients = this.clients.get(providerId);
    this.clients.delete(providerId);
    clients?.runtime.destroy();
    clients?.control.destroy();
    await Promise.all([
      this.runtimeDispatchers.release(providerId),
      this.controlDispatchers.release(providerId),
    ]);
  }

  async close(): Promise<void> {
    for (const clients of this.clients.values()) {
      clients.runtime.destroy();
      clients.control.destroy();
    }
    this.clients.clear();
    await Promise.all([this.runtimeDispatchers.closeAll(), this.controlDispatchers.closeAll()]);
  }

  private translate(body: OpenAIRequestBody): ReturnType<typeof openAIRequestToConverse> {
    return translateRequest(() =>
      openAIRequestToConverse(body as unknown as OpenAIChatCompletionRequest, { modelId: body.model }),
    );
  }

  private async invoke(
    conn: ProviderConnection,
    modelId: string,
    payload: unknown,
    opts?: UpstreamCallOptions,
  ): Promise<{ json: unknown; headers: Record<string, string> }> {
    const { runtime } = this.clientsFor(conn);
    const command = new InvokeModelCommand({
      modelId,
      contentType: 'application/json',
      accept: 'application/json',
      body: new TextEncoder().encode(JSON.stringify(payload)),
    });
    let headers: Record<string, string> = {};
    // The input token count of Cohere embeddings is only in a response header.
    command.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const raw = result.response as { headers?: Record<string, string> } | undefined;
        headers = raw?.headers ?? {};
        return result;
      },
      { step: 'deserialize', name: 'prismCaptureHeaders' },
    );
    let output;
    try {
      output = await runtime.send(command, { abortSignal: opts?.signal });
    } catch (error) {
      throw bedrockFailure(error, conn.slug, opts?.signal);
    }
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(output.body).toString('utf8'));
    } catch {
      throw new UpstreamError('server', `Provider '${conn.slug}' answered with invalid JSON`);
    }
    return { json, headers };
  }

  private clientsFor(conn: ProviderConnection): Clients {
    const fingerprint = JSON.stringify([
      conn.baseUrl,
      conn.options.region,
      conn.credentials.accessKeyId,
      conn.credentials.secretAccessKey,
      conn.credentials.sessionToken,
      conn.options.httpProxy,
      conn.options.skipTlsVerify === true,
      conn.options.timeoutMs,
      conn.options.extraHeaders,
    ]);
    const existing = this.clients.get(conn.id);
    if (existing?.fingerprint === fingerprint) return existing;
    if (existing) {
      existing.runtime.destroy();
      existing.control.destroy();
    }
    const config = (plane: 'runtime' | 'control'): BedrockRuntimeClientConfig => {
      const dispatchers = plane === 'runtime' ? this.runtimeDispatchers : this.controlDispatchers;
      const { accessKeyId, secretAccessKey, sessionToken } = conn.credentials;
      return {
        region: regionOf(conn),
        endpoint: conn.baseUrl ? bedrockTarget(conn, plane).origin + basePathOf(conn.baseUrl) : undefined,
        credentials:
          accessKeyId && secretAccessKey
            ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }
            : undefined,
        maxAttempts: 1,
        requestHandler: new UndiciRequestHandler(conn, () => dispatchers.endpointFor(conn)),
      };
    };
    const clients: Clients = {
      fingerprint,
      runtime: new BedrockRuntimeClient(config('runtime')),
      control: new BedrockClient(config('control')),
    };
    this.clients.set(conn.id, clients);
    return clients;
  }
}

/** Keys on the provider or in the environment. */
function hasAwsCredentials(conn: ProviderConnection): boolean {
  const { accessKeyId, secretAccessKey } = conn.credentials;
  if (accessKeyId && secretAccessKey) return true;
  return Boolean(process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY);
}

function regionOf(conn: ProviderConnection): string {
  return conn.options.region || DEFAULT_BEDROCK_REGION;
}

function basePathOf(baseUrl: string): string {
  return new URL(baseUrl).pathname.replace(/\/+$/, '');
}

/**
 * Runtime (`bedrock-runtime.<region>`) or control plane (`bedrock.<region>`) origin. A base URL
 * overrides both; one naming `bedrock-runtime` is mapped to `bedrock` for the control plane.
 */
export function bedrockTarget(conn: ProviderConnection, plane: 'runtime' | 'control'): UpstreamTarget {
  const region = regionOf(conn);
  let origin: string;
  if (conn.baseUrl) {
    const url = new URL(conn.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`Provider base URL '${conn.baseUrl}' must use http or https`);
    }
    if (plane === 'control') url.hostname = url.hostname.replace(/(^|\.)bedrock-runtime\./, '$1bedrock.');
    origin = url.origin;
  } else {
    origin = `https://${plane === 'runtime' ? 'bedrock-runtime' : 'bedrock'}.${region}.amazonaws.com`;
  }
  return { origin, basePath: '', headers: {} };
}

/** ConverseStream events; exceptions the SDK throws mid-stream become the translator's exception events. */
async function* streamEvents(
  stream: AsyncIterable<ConverseStreamOutput>,
  slug: string,
  signal: AbortSignal,
): AsyncGenerator<ConverseStreamEvent> {
  try {
    for await (const event of stream) yield event as ConverseStreamEvent;
  } catch (error) {
    const service = serviceError(error);
    const key = service && service.name.charAt(0).toLowerCase() + service.name.slice(1);
    if (service && key && (STREAM_EXCEPTIONS as readonly string[]).includes(key)) {
      yield {
        [key]: {
          message: service.message,
          ...(service.originalStatusCode !== undefined
            ? { originalStatusCode: service.originalStatusCode }
            : {}),
          ...(service.originalMessage !== undefined ? { originalMessage: service.originalMessage } : {}),
        },
      } as unknown as ConverseStreamEvent;
      return;
    }
    throw bedrockFailure(error, slug, signal);
  }
}

function serviceError(error: unknown): SdkServiceError | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const candidate = error as Partial<SdkServiceError>;
  return candidate.$fault && typeof candidate.name === 'string' ? (candidate as SdkServiceError) : undefined;
}

/** An SDK exception → UpstreamError (status from the exception class); transport errors as such. */
export function bedrockFailure(error: unknown, slug: string, signal?: AbortSignal): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const service = serviceError(error);
  if (!service || signal?.aborted) return errorFromTransport(error, slug, signal);
  const mapped = bedrockErrorToOpenAI({
    name: service.name,
    message: service.message ?? '',
    status: service.$metadata?.httpStatusCode,
  });
  return errorFromStatus(mapped.status, mapped.body, service.$response?.headers ?? {}, slug);
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
