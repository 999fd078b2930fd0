import type { SecretBox } from '../../common/crypto/secret-box';
import type { ProviderModelRecord } from './provider-model.schema';
import { decryptCredentials, decryptExtraHeaders, publicOptions } from './provider-secrets';
import type { ProviderRecord } from './provider.schema';
import type { ModelView, ProviderView, ResolvedProvider } from './provider.types';

/** A provider without secrets (credential-like extra headers masked). */
export function toProviderView(record: ProviderRecord): ProviderView {
  return Object.freeze({
    id: record._id.toString(),
    name: record.name,
    slug: record.slug,
    type: record.type,
    baseUrl: record.baseUrl,
    authType: record.auth.type,
    enabled: record.enabled,
    options: Object.freeze(publicOptions(record.options ?? {})),
    status: record.status,
    statusMessage: record.statusMessage ?? null,
    lastCheckedAt: record.lastCheckedAt ?? null,
  });
}

/** The provider with decrypted credentials and real header values, for in-process adapters only. */
export function toResolvedProvider(box: SecretBox, record: ProviderRecord): ResolvedProvider {
  const view = toProviderView(record);
  const options = { ...(record.options ?? {}) };
  if (options.extraHeaders) options.extraHeaders = decryptExtraHeaders(box, options.extraHeaders);
  return Object.freeze({
    ...view,
    options: Object.freeze(options),
    credentials: Object.freeze(decryptCredentials(box, record.auth)),
  });
}

export function toModelView(record: ProviderModelRecord, providerSlug: string): ModelView {
  return Object.freeze({
    id: record._id.toString(),
    providerId: record.providerId.toString(),
    providerSlug,
    modelId: record.modelId,
    prefixedId: `${providerSlug}/${record.modelId}`,
    name: record.name,
    tier: record.tier ?? null,
    categories: Object.freeze([...(record.categories ?? [])]),
    contextWindow: record.contextWindow ?? null,
    maxOutputTokens: record.maxOutputTokens ?? null,
    pricing: Object.freeze({
      inputPer1M: record.pricing?.inputPer1M ?? 0,
      outputPer1M: record.pricing?.outputPer1M ?? 0,
      cachedInputPer1M: record.pricing?.cachedInputPer1M ?? null,
    }),
    capabilities: Object.freeze({
      vision: record.capabilities?.vision ?? false,
      tools: record.capabilities?.tools ?? false,
      fim: record.capabilities?.fim ?? false,
      embeddings: record.capabilities?.embeddings ?? false,
      reasoning: record.capabilities?.reasoning ?? false,
    }),
    benchmarks: Object.freeze({
      intelligence: record.benchmarks?.intelligence ?? null,
      coding: record.benchmarks?.coding ?? null,
      math: record.benchmarks?.math ?? null,
      speed: record.benchmarks?.speed ?? null,
    }),
    visible: record.visible ?? true,
    priority: record.priority ?? 50,
    notes: record.notes ?? '',
    apiType: record.apiType ?? 'chat',
    manualFields: Object.freeze([...(record.manualFields ?? [])]),
    source: record.source ?? 'discovered',
    registryId: record.registryId ?? null,
    lastSeenAt: record.lastSeenAt ?? null,
  });
}
