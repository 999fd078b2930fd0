import type { ModelView, ProviderView, ResolvedProvider } from '../../providers/provider.types';
import { keyRejection } from '../../tenants/api-key.util';
import { defaultTenantSettings } from '../../tenants/tenant-defaults';
import type { ApiKeyView, KeyResolution, TenantView } from '../../tenants/tenant.types';
import type { GatewayConfigSource } from '../config/gateway-config.source';
import { TenantModelIndex } from '../config/tenant-model-index';
import { OPENAI_INGRESS } from '../ingress/openai.ingress';
import { GatewayContext, type GatewayEndpoint } from '../pipeline/gateway-context';
import { estimateRequestTokens } from '../tokens/token-estimator';

/** Test data for gateway unit specs (plain objects shaped like the control plane's views). */
export function tenantView(overrides: Partial<TenantView> = {}): TenantView {
  const defaults = defaultTenantSettings();
  return {
    id: 't1',
    slug: 'team',
    name: 'Team',
    active: true,
    isDefault: false,
    providerIds: ['p1'],
    modelAccess: defaults.modelAccess,
    aliases: [],
    rateLimit: defaults.rateLimit,
    budgets: defaults.budgets,
    quotas: [],
    budgetGuard: defaults.budgetGuard,
    routing: defaults.routing,
    defaultSystemPrompt: null,
    fallbackChains: [],
    loadBalancing: defaults.loadBalancing,
    promptLogging: false,
    keyLifetimeDays: 0,
    ...overrides,
  };
}

export function keyView(overrides: Partial<ApiKeyView> = {}): ApiKeyView {
  return {
    id: 'k1',
    tenantId: 't1',
    prefix: 'omp-12345678',
    label: '',
    enabled: true,
    expiresAt: null,
    lastUsedAt: null,
    createdAt: new Date(0),
    rateLimit: null,
    ...overrides,
  };
}

export function modelView(modelId: string, overrides: Partial<ModelView> = {}): ModelView {
  const providerId = overrides.providerId ?? 'p1';
  const providerSlug = overrides.providerSlug ?? providerId;
  return {
    id: `${providerId}:${modelId}`,
    providerId,
    providerSlug,
    modelId,
    prefixedId: `${providerSlug}/${modelId}`,
    name: modelId,
    tier: 'medium',
    categories: [],
    contextWindow: 128_000,
    maxOutputTokens: 16_000,
    pricing: { inputPer1M: 1, outputPer1M: 2, cachedInputPer1M: null },
    capabilities: { vision: false, tools: true, fim: false, embeddings: false, reasoning: false },
    benchmarks: { intelligence: null, coding: null, math: null, speed: null },
    visible: true,
    priority: 50,
    notes: '',
    apiType: 'chat',
    manualFields: [],
    source: 'manual',
    registryId: null,
    lastSeenAt: null,
    ...overrides,
  };
}

export function providerView(id: string, overrides: Partial<ResolvedProvider> = {}): ResolvedProvider {
  return {
    id,
    name: id,
    slug: id,
    type: 'openai',
    baseUrl: 'http://upstream.test',
    authType: 'api_key',
    enabled: true,
    options: {},
    status: 'connected',
    statusMessage: null,
    lastCheckedAt: null,
    credentials: { apiKey: 'sk' },
    ...overrides,
  };
}

/** An in-memory GatewayConfigSource over the given providers and models. */
export class FakeConfigSource implements GatewayConfigSource {
  version = 1;
  touched: string[] = [];
  constructor(
    readonly providers: ResolvedProvider[],
    readonly models: ModelView[],
    readonly keys = new Map<string, { tenant: TenantView; key: ApiKeyView }>(),
  ) {}

  /** Judges stored keys with the directory's own check; `deferred` hashes resolve only asynchronously. */
  readonly deferred = new Set<string>();
  knownKey(hash: string, nowMs: number): KeyResolution | undefined {
    return this.deferred.has(hash) ? undefined : this.judge(hash, nowMs);
  }
  resolveKeyHash(hash: string, now: Date): Promise<KeyResolution> {
    return Promise.resolve(this.judge(hash, now.getTime()) ?? { ok: false, reason: 'invalid_api_key' });
  }
  private judge(hash: string, nowMs: number): KeyResolution | undefined {
    const found = this.keys.get(hash);
    if (!found) return undefined;
    const reason = keyRejection(found.tenant, found.key, nowMs);
    return reason ? { ok: false, reason } : { ok: true, ...found };
  }
  tenant(): TenantView | undefined {
    return undefined;
  }
  defaultTenant(): TenantView | undefined {
    return undefined;
  }
  provider(idOrSlug: string): ProviderView | undefined {
    return this.providers.find((p) => p.id === idOrSlug || p.slug === idOrSlug);
  }
  resolvedProvider(id: string): ResolvedProvider | undefined {
    return this.providers.find((p) => p.id === id);
  }
  modelsOf(providerId: string): readonly ModelView[] {
    return this.models.filter((m) => m.providerId === providerId);
  }
  modelsById(modelId: string): readonly ModelView[] {
    return this.models.filter((m) => m.modelId === modelId);
  }
  touchKey(keyId: string): void {
    this.touched.push(keyId);
  }
}

/** A context for a chat request by the given tenant, with its model index. */
export function chatContext(
  body: Record<string, unknown>,
  options: { tenant?: TenantView; source?: FakeConfigSource; endpoint?: GatewayEndpoint } = {},
): GatewayContext {
  const ctx = new GatewayContext(
    {
      requestId: 'r1',
      endpoint: options.endpoint ?? 'chat',
      clientIp: '127.0.0.1',
      body,
      ingress: OPENAI_INGRESS,
    },
    estimateRequestTokens,
  );
  if (options.tenant) {
    ctx.tenant = options.tenant;
    ctx.key = keyView({ tenantId: options.tenant.id });
    if (options.source) ctx.models = new TenantModelIndex(options.tenant, options.source);
  }
  return ctx;
}
