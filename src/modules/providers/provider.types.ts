import type { Tier } from '../../common/tiers';

/**
 * Read-side types of the providers module: what the gateway, the routing engine and the adapters
 * see. Views are plain frozen objects served from the in-memory ProviderCatalog.
 */
export const PROVIDER_TYPES = [
  'openai',
  'azure',
  'anthropic',
  'bedrock',
  'ollama',
  'vllm',
  'openrouter',
  'custom',
] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** `api_key` uses the vendor's header (Azure `api-key`, Anthropic `x-api-key`, else Bearer). */
export const PROVIDER_AUTH_TYPES = ['api_key', 'bearer', 'aws_credentials', 'none'] as const;
export type ProviderAuthType = (typeof PROVIDER_AUTH_TYPES)[number];

export const PROVIDER_STATUSES = ['unchecked', 'connected', 'error'] as const;
export type ProviderStatus = (typeof PROVIDER_STATUSES)[number];

export interface ProviderOptions {
  /** Azure OpenAI `api-version`; Anthropic `anthropic-version`. */
  apiVersion?: string;
  /** Path segment before `/models`, `/chat/completions` (`/v1` by default for OpenAI-compatible). */
  apiPath?: string;
  /** Azure deployment names (Azure has no list API for a key without management rights). */
  deployments?: string[];
  /** AWS region for Bedrock. */
  region?: string;
  /** Azure: the API newly discovered or added deployments are called through (default chat). */
  apiType?: AzureApiType;
  /** Outbound HTTP(S) proxy URL for this provider only. */
  httpProxy?: string;
  /** Accept any TLS certificate (self-signed in-house endpoints). Applied to every call. */
  skipTlsVerify?: boolean;
  /** Per-request timeout; defaults to DEFAULT_PROVIDER_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Sent with every upstream request (values of credential-like headers are stored encrypted). */
  extraHeaders?: Record<string, string>;
}

export const DEFAULT_PROVIDER_TIMEOUT_MS = 120_000;

/** Decrypted credentials. Only ever handed to adapters in-process; never serialised to a client. */
export interface ProviderCredentials {
  apiKey?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
}

/** A provider as admins and the routing engine see it: no secrets, credential-like headers masked. */
export interface ProviderView {
  readonly id: string;
  readonly name: string;
  readonly slug: string;
  readonly type: ProviderType;
  readonly baseUrl: string;
  readonly authType: ProviderAuthType;
  readonly enabled: boolean;
  readonly options: Readonly<ProviderOptions>;
  readonly status: ProviderStatus;
  readonly statusMessage: string | null;
  readonly lastCheckedAt: Date | null;
}

/** Everything an adapter needs to call the provider: real headers and decrypted credentials. */
export interface ResolvedProvider extends ProviderView {
  readonly credentials: Readonly<ProviderCredentials>;
}

export interface ModelPricing {
  /** USD per 1M input tokens. */
  inputPer1M: number;
  /** USD per 1M output tokens. */
  outputPer1M: number;
  /** USD per 1M cached input tokens; null = same as input. */
  cachedInputPer1M: number | null;
}

export interface ModelCapabilities {
  vision: boolean;
  tools: boolean;
  fim: boolean;
  embeddings: boolean;
  reasoning: boolean;
}

/** 0–100 scores used by model selection; null = unknown. */
export interface ModelBenchmarks {
  intelligence: number | null;
  coding: number | null;
  math: number | null;
  speed: number | null;
}

/** Fields an admin edit pins, so re-discovery leaves them alone. */
export const MANUAL_MODEL_FIELDS = [
  'name',
  'tier',
  'categories',
  'contextWindow',
  'maxOutputTokens',
  'pricing',
  'capabilities',
  'visible',
  'priority',
  'benchmarks',
  'notes',
] as const;
export type ManualModelField = (typeof MANUAL_MODEL_FIELDS)[number];

/** Which upstream API a model is called through (Azure deployments can use either). */
export type ModelApiType = 'chat' | 'responses' | 'embeddings';

/** The API types an admin can choose for an Azure deployment. */
export const AZURE_API_TYPES = ['chat', 'responses'] as const;
export type AzureApiType = (typeof AZURE_API_TYPES)[number];

/** One model served by one provider (the registry row). */
export interface ModelView {
  readonly id: string;
  readonly providerId: string;
  readonly providerSlug: string;
  /** The upstream model id (Azure: the deployment name). */
  readonly modelId: string;
  /** `providerSlug/modelId`, accepted by the gateway as an explicit model. */
  readonly prefixedId: string;
  readonly name: string;
  readonly tier: Tier | null;
  readonly categories: readonly string[];
  readonly contextWindow: number | null;
  readonly maxOutputTokens: number | null;
  readonly pricing: Readonly<ModelPricing>;
  readonly capabilities: Readonly<ModelCapabilities>;
  readonly benchmarks: Readonly<ModelBenchmarks>;
  readonly visible: boolean;
  /** 1–100, higher first among equals. */
  readonly priority: number;
  readonly notes: string;
  readonly apiType: ModelApiType;
  readonly manualFields: readonly ManualModelField[];
  /** `discovered` came from the provider's list; `manual` was added by an admin. */
  readonly source: 'discovered' | 'manual';
  /** Id of the bundled registry entry that filled the metadata, if any. */
  readonly registryId: string | null;
  readonly lastSeenAt: Date | null;
}
