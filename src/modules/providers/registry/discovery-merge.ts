import type { DiscoveredModel } from '../adapters/provider-adapter';
import type { ModelFields } from '../models.repository';
import type { ProviderModelRecord } from '../provider-model.schema';
import type {
  AzureApiType,
  ManualModelField,
  ModelCapabilities,
  ModelPricing,
  ProviderType,
} from '../provider.types';
import type { RegistryEntry } from './model-registry';

/** Providers that run on the customer's own hardware: tokens cost nothing per call. */
const SELF_HOSTED: readonly ProviderType[] = ['ollama', 'vllm'];

const FREE: ModelPricing = { inputPer1M: 0, outputPer1M: 0, cachedInputPer1M: null };
const NO_CAPABILITIES: ModelCapabilities = {
  vision: false,
  tools: false,
  fim: false,
  embeddings: false,
  reasoning: false,
};

/**
 * The fields discovery writes for one listed model. New models get everything (from the provider's
 * list, then the bundled registry, then defaults). Existing models are refreshed field by field,
 * except fields an admin edited (`manualFields`), and known values are never replaced by unknowns.
 * Visibility, categories and notes of an existing model belong to admins and are never touched.
 * `defaultApiType` (an Azure provider's setting) applies to new chat deployments only; an existing
 * model keeps the API type it has.
 */
export function discoveredModelFields(
  discovered: DiscoveredModel,
  existing: ProviderModelRecord | undefined,
  entry: RegistryEntry | undefined,
  providerType: ProviderType,
  now: Date,
  defaultApiType: AzureApiType = 'chat',
): Partial<ModelFields> {
  const capabilities: ModelCapabilities = { ...NO_CAPABILITIES, ...entry?.capabilities };
  for (const [flag, value] of Object.entries(discovered.capabilities ?? {})) {
    if (value) capabilities[flag as keyof ModelCapabilities] = true;
  }
  const pricing = discovered.pricing ?? (SELF_HOSTED.includes(providerType) ? FREE : entry?.pricing);
  const candidate: Partial<Record<ManualModelField, unknown>> = {
    name: discovered.name ?? entry?.name ?? discovered.modelId,
    tier: entry?.tier ?? null,
    contextWindow: discovered.contextWindow ?? entry?.contextWindow ?? null,
    maxOutputTokens: discovered.maxOutputTokens ?? entry?.maxOutputTokens ?? null,
    pricing: pricing ? { ...pricing } : null,
    capabilities,
    benchmarks: entry ? { ...entry.benchmarks } : null,
    priority: entry?.priority ?? null,
  };
  const apiType = discovered.apiType ?? (capabilities.embeddings ? 'embeddings' : defaultApiType);

  if (!existing) {
    return {
      name: candidate.name as string,
      tier: entry?.tier ?? null,
      categories: [],
      contextWindow: (candidate.contextWindow as number | null) ?? null,
      maxOutputTokens: (candidate.maxOutputTokens as number | null) ?? null,
      pricing: (candidate.pricing as ModelPricing | null) ?? { ...FREE },
      capabilities,
      benchmarks: entry
        ? { ...entry.benchmarks }
        : { intelligence: null, coding: null, math: null, speed: null },
      visible: true,
      priority: entry?.priority ?? 50,
      notes: '',
      apiType,
      manualFields: [],
      source: 'discovered',
      registryId: entry?.id ?? null,
      lastSeenAt: now,
    };
  }

  const pinned = new Set(existing.manualFields ?? []);
  const fields: Record<string, unknown> = { lastSeenAt: now, apiType: existing.apiType ?? apiType };
  for (const [field, value] of Object.entries(candidate)) {
    if (pinned.has(field as ManualModelField) || value === null || value === undefined) continue;
    fields[field] = value;
  }
  if (entry) fields.registryId = entry.id;
  return fields;
}

/** Metadata for a model an admin adds by hand (the registry fills what the request leaves out). */
export function manualModelDefaults(
  modelId: string,
  entry: RegistryEntry | undefined,
  providerType: ProviderType,
  defaultApiType: AzureApiType = 'chat',
): ModelFields {
  const fields = discoveredModelFields(
    { modelId },
    undefined,
    entry,
    providerType,
    new Date(),
    defaultApiType,
  ) as ModelFields;
  return { ...fields, source: 'manual', lastSeenAt: null };
}
