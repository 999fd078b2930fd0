import type {
  ClassifierEndpoint,
  CostMode,
  OverrideSettings,
  Strictness,
} from '../../common/routing-vocabulary';
import type { Tier } from '../../common/tiers';

/** Read-side types of the tenants module, as the gateway sees them (plain frozen objects). */

export const DEFAULT_TENANT_SLUG = 'default';
export const TENANT_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const DEFAULT_OPT_OUT_TOKEN = '--model-prism-accept-model';

export const MODEL_ACCESS_MODES = ['all', 'whitelist', 'blacklist'] as const;
export type ModelAccessMode = (typeof MODEL_ACCESS_MODES)[number];

export const LOAD_BALANCING_STRATEGIES = ['priority', 'weighted', 'least-busy', 'latency'] as const;
export type LoadBalancingStrategy = (typeof LOAD_BALANCING_STRATEGIES)[number];

export const LIMIT_ENFORCEMENTS = ['hard_block', 'soft_warning'] as const;
export type LimitEnforcement = (typeof LIMIT_ENFORCEMENTS)[number];

export const QUOTA_TYPES = ['tokens_daily', 'tokens_monthly', 'requests_daily', 'requests_monthly'] as const;
export type QuotaType = (typeof QUOTA_TYPES)[number];

export interface ModelAccess {
  mode: ModelAccessMode;
  /** Model ids or `providerSlug/modelId`; `*` wildcards allowed (e.g. `gpt-4o*`). */
  list: string[];
}

/** `alias` (what clients send) → `model` (a model id or `providerSlug/modelId`). */
export interface ModelAlias {
  alias: string;
  model: string;
}

/** 0 = unlimited. */
export interface RateLimit {
  requestsPerMinute: number;
  tokensPerMinute: number;
}

/** USD per calendar period (UTC); 0 = unlimited. */
export interface Budgets {
  dailyUsd: number;
  weeklyUsd: number;
  monthlyUsd: number;
  enforcement: LimitEnforcement;
}

export interface Quota {
  type: QuotaType;
  limit: number;
  enforcement: LimitEnforcement;
}

/** At `thresholdPct` of any budget, routing switches to `costMode` and refuses `blockedTiers`. */
export interface BudgetGuard {
  enabled: boolean;
  thresholdPct: number;
  costMode: CostMode;
  blockedTiers: Tier[];
}

export interface TenantRouting {
  /** Auto-routing for `auto`/`auto-prism` (and forced routing per `strictness`). */
  enabled: boolean;
  strictness: Strictness;
  /** Anywhere in the last user message: keep the requested model; stripped before forwarding. */
  optOutToken: string;
  /** First entry is the classifier, the rest its fallbacks, tried in order. */
  classifierChain: ClassifierEndpoint[];
  defaultModel: string | null;
  /** The model cost savings are compared against. */
  baselineModel: string | null;
  /** Rule set to use; null = the global default. */
  ruleSetId: string | null;
  costMode: CostMode | null;
  /** Partial: missing fields take the routing engine's defaults. */
  overrides: Partial<OverrideSettings>;
}

export interface FallbackTarget {
  providerId: string;
  /** Null = the same model id on that provider. */
  model: string | null;
}

/** When a request for a model matching `modelPattern` fails, try these targets in order. */
export interface FallbackChain {
  modelPattern: string;
  targets: FallbackTarget[];
  maxRetries: number;
}

/** How the gateway picks among the tenant's providers serving the same model. */
export interface LoadBalancing {
  strategy: LoadBalancingStrategy;
  /** For `weighted`; providers not listed get weight 1. */
  weights: { providerId: string; weight: number }[];
}

export interface TenantView {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly active: boolean;
  /** The tenant reached through `/api/v1` and `/v1`. */
  readonly isDefault: boolean;
  /** Providers this tenant may use; empty = none. */
  readonly providerIds: readonly string[];
  readonly modelAccess: Readonly<ModelAccess>;
  readonly aliases: readonly ModelAlias[];
  readonly rateLimit: Readonly<RateLimit>;
  readonly budgets: Readonly<Budgets>;
  readonly quotas: readonly Quota[];
  readonly budgetGuard: Readonly<BudgetGuard>;
  readonly routing: Readonly<TenantRouting>;
  readonly defaultSystemPrompt: string | null;
  readonly fallbackChains: readonly FallbackChain[];
  readonly loadBalancing: Readonly<LoadBalancing>;
  /** Store (encrypted) prompts and responses of this tenant's requests. */
  readonly promptLogging: boolean;
  /** Default lifetime of new keys in days; 0 = no expiry (still capped by the global maximum). */
  readonly keyLifetimeDays: number;
}

export interface ApiKeyView {
  readonly id: string;
  readonly tenantId: string;
  /** First characters of the key (`omp-1a2b3c4d`), for recognising it in lists. */
  readonly prefix: string;
  readonly label: string;
  readonly enabled: boolean;
  readonly expiresAt: Date | null;
  readonly lastUsedAt: Date | null;
  readonly createdAt: Date;
  /** The key's own limit, enforced besides the tenant's; null = none. */
  readonly rateLimit: Readonly<RateLimit> | null;
}

/** Codes the gateway returns as 401 `code` (DESIGN.md §3 step 1). */
export type KeyRejection = 'invalid_api_key' | 'key_disabled' | 'key_expired' | 'tenant_disabled';

export type KeyResolution =
  | { readonly ok: true; readonly tenant: TenantView; readonly key: ApiKeyView }
  | { readonly ok: false; readonly reason: KeyRejection };
