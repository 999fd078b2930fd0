import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { SecretBox } from '../../src/common/crypto/secret-box';
import type { Tier } from '../../src/common/tiers';
import { ConfigChangeBus, ConfigScope } from '../../src/modules/config-sync/config-change.bus';
import { ModelsRepository } from '../../src/modules/providers/models.repository';
import type { ProviderOptions, ProviderType } from '../../src/modules/providers/provider.types';
import { ProvidersRepository } from '../../src/modules/providers/providers.repository';
import { displayPrefix, generateApiKey, hashApiKey } from '../../src/modules/tenants/api-key.util';
import { ApiKeysRepository } from '../../src/modules/tenants/api-keys.repository';
import { defaultTenantSettings } from '../../src/modules/tenants/tenant-defaults';
import type { Tenant } from '../../src/modules/tenants/tenant.schema';
import { TenantsRepository } from '../../src/modules/tenants/tenants.repository';

let counter = 0;
const unique = (base: string): string => `${base}-${++counter}-${Math.random().toString(36).slice(2, 6)}`;

export interface SeedModel {
  id: string;
  tier?: Tier;
  contextWindow?: number;
  maxOutputTokens?: number;
  inputPer1M?: number;
  outputPer1M?: number;
  /** USD per 1M prompt-cache reads; default none (priced as input). */
  cachedInputPer1M?: number;
  priority?: number;
  visible?: boolean;
  embeddings?: boolean;
}

export interface SeededProvider {
  id: string;
  slug: string;
}

/** Creates a provider pointing at `baseUrl` (the mock upstream) with its models. */
export async function seedProvider(
  app: NestFastifyApplication,
  baseUrl: string,
  models: SeedModel[],
  options: {
    type?: ProviderType;
    slug?: string;
    apiKey?: string;
    options?: ProviderOptions;
    enabled?: boolean;
  } = {},
): Promise<SeededProvider> {
  const box = app.get(SecretBox);
  const slug = options.slug ?? unique('mock');
  const provider = await app.get(ProvidersRepository).create({
    name: slug,
    slug,
    type: options.type ?? 'openai',
    baseUrl,
    auth: { type: 'api_key', apiKey: box.encrypt(options.apiKey ?? 'sk-upstream-test') },
    options: options.options ?? {},
    enabled: options.enabled ?? true,
  });
  const providerId = provider._id.toString();
  for (const model of models) {
    await app.get(ModelsRepository).upsert(providerId, model.id, {
      name: model.id,
      tier: model.tier ?? 'medium',
      contextWindow: model.contextWindow ?? 128_000,
      maxOutputTokens: model.maxOutputTokens ?? 16_384,
      pricing: {
        inputPer1M: model.inputPer1M ?? 1,
        outputPer1M: model.outputPer1M ?? 2,
        cachedInputPer1M: model.cachedInputPer1M ?? null,
      },
      capabilities: {
        vision: false,
        tools: true,
        fim: false,
        embeddings: model.embeddings ?? false,
        reasoning: false,
      },
      visible: model.visible ?? true,
      priority: model.priority ?? 50,
      apiType: model.embeddings ? 'embeddings' : 'chat',
    });
  }
  return { id: providerId, slug };
}

export interface SeededTenant {
  id: string;
  slug: string;
  /** The plaintext key (shown once in real life). */
  key: string;
  keyId: string;
}

/** Creates a tenant using the providers, and one key for it. */
export async function seedTenant(
  app: NestFastifyApplication,
  providerIds: string[],
  overrides: Partial<Omit<Tenant, 'createdAt' | 'updatedAt'>> = {},
): Promise<SeededTenant> {
  const slug = overrides.slug ?? unique('team');
  const tenant = await app.get(TenantsRepository).create({
    ...defaultTenantSettings(),
    slug,
    name: slug,
    isDefault: false,
    providerIds,
    ...overrides,
  });
  const tenantId = tenant._id.toString();
  const { key, keyId } = await seedKey(app, tenantId);
  return { id: tenantId, slug, key, keyId };
}

export async function seedKey(
  app: NestFastifyApplication,
  tenantId: string,
  options: { enabled?: boolean; expiresAt?: Date | null } = {},
): Promise<{ key: string; keyId: string }> {
  const key = generateApiKey();
  const record = await app.get(ApiKeysRepository).create(tenantId, {
    hash: hashApiKey(key),
    prefix: displayPrefix(key),
    label: 'test',
    enabled: options.enabled ?? true,
    expiresAt: options.expiresAt ?? null,
    createdBy: null,
  });
  return { key, keyId: record._id.toString() };
}

/** Tells this pod's caches that tenants, keys, providers and models changed (as admin writes do). */
export async function publishConfig(app: NestFastifyApplication): Promise<void> {
  await app
    .get(ConfigChangeBus)
    .publish(ConfigScope.Tenants, ConfigScope.ApiKeys, ConfigScope.Providers, ConfigScope.Models);
}

export async function updateTenant(
  app: NestFastifyApplication,
  tenantId: string,
  changes: Parameters<TenantsRepository['update']>[1],
): Promise<void> {
  await app.get(TenantsRepository).update(tenantId, changes);
  await publishConfig(app);
}
