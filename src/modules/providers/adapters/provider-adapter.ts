/**
 * The one interface every upstream vendor implements (STYLE.md: one folder per vendor, registered
 * under {@link PROVIDER_ADAPTERS}). The gateway speaks OpenAI's wire format on both sides; a native
 * adapter (Azure, Anthropic, Bedrock) translates requests on the way out and yields OpenAI-shaped
 * results on the way back, so the pipeline, cost accounting and streaming code stay vendor-neutral.
 */

import type { ModelApiType, ModelCapabilities, ModelPricing } from '../provider.types';

/** Provider types the control plane knows; which adapter serves each is decided by the registry. */
export const PROVIDER_TYPES = [
  'openai',
  'vllm',
  'openrouter',
  'ollama',
  'custom',
  'azure',
  'anthropic',
  'bedrock',
] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** Connection settings of one provider (a structural subset of the catalog's `ResolvedProvider`). */
export interface ProviderConnectionOptions {
  /** Path prefix of the OpenAI routes when `baseUrl` has none (default `/v1`). */
  apiPath?: string;
  /** `http://user:pass@proxy:3128`; every call to this provider goes through it. */
  httpProxy?: string;
  /** Accept self-signed or otherwise invalid TLS certificates of this provider. */
  skipTlsVerify?: boolean;
  /** Time allowed for the response head, and for each gap between stream chunks. */
  timeoutMs?: number;
  /** Extra headers sent on every upstream call (e.g. OpenRouter's `HTTP-Referer`). */
  extraHeaders?: Readonly<Record<string, string>>;
  /** Vendor specific (Azure `api-version`, Bedrock region, Azure deployments). */
  apiVersion?: string;
  region?: string;
  deployments?: readonly string[];
}

/** Decrypted credentials; in memory only, never serialised to a client. */
export interface ProviderConnectionCredentials {
  apiKey?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
}

/** Everything an adapter needs to reach one provider. */
export interface ProviderConnection {
  readonly id: string;
  readonly slug: string;
  readonly type: ProviderType;
  /** Origin plus optional base path, e.g. `https://api.openai.com` or `http://vllm:8000/v1`. */
  readonly baseUrl: string;
  /** `none` sends no credentials even when a key is stored. */
  readonly authType?: string;
  readonly options: Readonly<ProviderConnectionOptions>;
  readonly credentials: Readonly<ProviderConnectionCredentials>;
}

/** Used when a provider has no `timeoutMs` of its own. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 120_000;
/** Keep-alive connections per provider and pod. */
export const DEFAULT_UPSTREAM_CONNECTIONS = 128;

/**
 * What the upstream path needs of an AbortSignal (an AbortSignal is one). The gateway hands down a
 * lighter object per request: creating an AbortSignal and adding and removing a listener on it cost
 * several microseconds of CPU per request on Node 20, for a signal that almost never fires.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Per-call settings the dispatcher passes down. */
export interface UpstreamCallOptions {
  /** Aborted when the client disconnects or the gateway gives up; the upstream request is cancelled. */
  signal?: AbortSignal;
  /**
   * The same cancellation as `signal`, lighter: used instead of it where no real AbortSignal is
   * needed (UpstreamHttp), so a caller can build its AbortSignal only when something reads `signal`.
   */
  cancel?: CancelSignal;
  /** Overrides the provider's `timeoutMs` for this call. */
  timeoutMs?: number;
  /** Extra headers for this call (W3C `traceparent`/`tracestate` when OpenTelemetry is on). */
  headers?: Record<string, string>;
}

/** An OpenAI-shaped JSON request body; fields the gateway does not touch pass through untouched. */
export type OpenAIRequestBody = Record<string, unknown> & { model: string };

/** Token usage as OpenAI reports it. */
export interface UpstreamUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens?: number;
}

/** A complete (non-streamed) JSON answer; `body` is already OpenAI-shaped. */
export interface UpstreamJsonResponse {
  status: number;
  body: Record<string, unknown>;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * The JSON text `body` was parsed from, when `body` is the upstream's answer as it came (an
   * OpenAI-compatible upstream): the gateway then sends this text on with its own members appended
   * instead of serialising `body` again. Never set on a translated answer.
   */
  text?: string;
  /** The bytes `text` was decoded from (a large answer is passed on as bytes). */
  bytes?: Buffer;
}

/**
 * A streamed answer as OpenAI server-sent-event bytes (`data: {...}\n\n` ... `data: [DONE]\n\n`).
 * The OpenAI-compatible adapter hands through the upstream bytes untouched; native adapters produce
 * the same format from their own events (see `sseFromChunks`). Iterating pulls from the upstream
 * socket, so a slow client slows the upstream down (back-pressure) instead of buffering.
 */
export interface UpstreamStream {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: AsyncIterable<Uint8Array>;
  /** Cancels the upstream request (idempotent). */
  abort(): void;
}

/** A model as the provider lists it, before the registry fills in metadata. */
export interface DiscoveredModel {
  modelId: string;
  name?: string;
  /** Model name to match against the registry when it differs from the id (Azure deployments). */
  baseModel?: string;
  ownedBy?: string;
  contextWindow?: number;
  maxOutputTokens?: number;
  pricing?: ModelPricing;
  capabilities?: Partial<ModelCapabilities>;
  apiType?: ModelApiType;
}

/** Why a connection could not be made, in terms an admin can act on. */
export type NetworkFailure = 'dns' | 'refused' | 'timeout' | 'tls' | 'reset' | 'proxy' | 'network';

/** Why one step of a model listing failed: a network cause, an HTTP answer, or missing settings. */
export type ProbeCause = NetworkFailure | 'auth' | 'not_found' | 'http' | 'bad_response' | 'config';

/** One line of a connection check or discovery: what was tried and what happened. */
export interface ProbeStep {
  action: string;
  method?: string;
  url?: string;
  ok: boolean;
  status?: number;
  latencyMs?: number;
  cause?: ProbeCause;
  message: string;
}

/** Receives every step of a model listing as it happens (the admin console shows them). */
export type ProbeLog = (step: ProbeStep) => void;

export interface ListModelsOptions extends UpstreamCallOptions {
  /** Called once per request the listing sends, successful or not. */
  log?: ProbeLog;
  /** Only the first way of listing (first API path, no fallbacks): used to test another URL. */
  firstAttemptOnly?: boolean;
}

export interface ModelListing {
  models: DiscoveredModel[];
  /** The API path that answered (`/v1`, `/api/v1`, `''`), when the adapter tried several. */
  apiPath?: string;
  /** `configured`: the list could not be read; the provider's configured models answered a test call. */
  source?: 'listed' | 'configured';
}

export interface ProviderAdapter {
  /** Provider types this adapter serves. */
  readonly types: readonly ProviderType[];
  chat(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamJsonResponse>;
  /** Streams a chat completion; the adapter asks the upstream for a final usage chunk. */
  chatStream(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamStream>;
  completions(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamJsonResponse>;
  completionsStream(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamStream>;
  embeddings(
    conn: ProviderConnection,
    body: OpenAIRequestBody,
    opts?: UpstreamCallOptions,
  ): Promise<UpstreamJsonResponse>;
  /**
   * The provider's models (admin check and discovery, not the gateway's hot path). Each request is
   * reported to `opts.log`; a listing that fails throws an {@link UpstreamError}.
   */
  listModels(conn: ProviderConnection, opts?: ListModelsOptions): Promise<ModelListing>;
  /** Releases pooled connections of one provider (config changed or provider removed). */
  release?(providerId: string): Promise<void>;
  /** Closes every pooled connection (shutdown). */
  close?(): Promise<void>;
}

/** Injection token of the adapter list; `ProviderAdapterRegistry` picks one by provider type. */
export const PROVIDER_ADAPTERS = Symbol('PROVIDER_ADAPTERS');

/** Why an upstream call failed, as far as retry and fallback decisions care. */
export type UpstreamFailureKind =
  /** Could not connect, reset, DNS, TLS: nothing reached the model. */
  | 'connect'
  /** No response head (or no stream progress) within the provider timeout. */
  | 'timeout'
  /** The upstream answered 429. */
  | 'rate_limited'
  /** The upstream answered 5xx. */
  | 'server'
  /** The prompt does not fit the model's window (upstream said so). */
  | 'context_overflow'
  /** 401/403 from the upstream: the provider's credentials are wrong, not the client's. */
  | 'auth'
  /** 404 from the upstream: model or route unknown there. */
  | 'not_found'
  /** Any other 4xx: the request itself is bad; retrying elsewhere would not help. */
  | 'bad_request'
  /** The caller aborted (client disconnected). */
  | 'aborted';

/** An upstream call that failed; carries what the dispatcher needs to decide what to do next. */
export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamFailureKind,
    message: string,
    readonly status?: number,
    /** Seconds the upstream asked us to wait (Retry-After), when it said so. */
    readonly retryAfterSeconds?: number,
    /** Upstream's own error body when it sent JSON (kept for the client on a 4xx). */
    readonly upstreamBody?: unknown,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }

  /** Worth trying again (same or another provider) after a pause. */
  get retryable(): boolean {
    return (
      this.kind === 'connect' ||
      this.kind === 'timeout' ||
      this.kind === 'rate_limited' ||
      this.kind === 'server'
    );
  }
}

/** Maps provider types to their adapter; throws a clear error for a type no adapter serves yet. */
export class ProviderAdapterRegistry {
  private readonly byType = new Map<ProviderType, ProviderAdapter>();

  constructor(adapters: readonly ProviderAdapter[]) {
    for (const adapter of adapters) for (const type of adapter.types) this.byType.set(type, adapter);
  }

  has(type: ProviderType): boolean {
    return this.byType.has(type);
  }

  get(type: ProviderType): ProviderAdapter {
    const adapter = this.byType.get(type);
    if (!adapter) throw new UpstreamError('not_found', `No adapter is available for provider type '${type}'`);
    return adapter;
  }

  all(): ProviderAdapter[] {
    return [...new Set(this.byType.values())];
  }
}
