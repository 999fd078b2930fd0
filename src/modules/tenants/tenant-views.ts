import type { ApiKeyRecord } from './api-key.schema';
import { defaultTenantSettings } from './tenant-defaults';
import type { TenantRecord } from './tenant.schema';
import type { ApiKeyView, RateLimit, TenantView } from './tenant.types';

export function toTenantView(record: TenantRecord): TenantView {
  const defaults = defaultTenantSettings();
  return deepFreeze({
    id: record._id.toString(),
    slug: record.slug,
    name: record.name,
    active: record.active ?? true,
    isDefault: record.isDefault ?? false,
    providerIds: [...(record.providerIds ?? [])],
    modelAccess: { ...defaults.modelAccess, ...record.modelAccess },
    aliases: [...(record.aliases ?? [])],
    rateLimit: { ...defaults.rateLimit, ...record.rateLimit },
    budgets: { ...defaults.budgets, ...record.budgets },
    quotas: [...(record.quotas ?? [])],
    budgetGuard: { ...defaults.budgetGuard, ...record.budgetGuard },
    routing: { ...defaults.routing, ...record.routing },
    defaultSystemPrompt: record.defaultSystemPrompt ?? null,
    fallbackChains: [...(record.fallbackChains ?? [])],
    loadBalancing: { ...defaults.loadBalancing, ...record.loadBalancing },
    promptLogging: record.promptLogging ?? false,
    keyLifetimeDays: record.keyLifetimeDays ?? 0,
  });
}

export function toApiKeyView(record: ApiKeyRecord): ApiKeyView {
  return Object.freeze({
    id: record._id.toString(),
    tenantId: record.tenantId.toString(),
    prefix: record.prefix,
    label: record.label ?? '',
    enabled: record.enabled ?? true,
    expiresAt: record.expiresAt ?? null,
    lastUsedAt: record.lastUsedAt ?? null,
    createdAt: record.createdAt,
    rateLimit: keyRateLimit(record.rateLimit),
  });
}

/** A key limit with both fields 0 (or none) is no limit: the gateway then skips the key rules. */
function keyRateLimit(limit: ApiKeyRecord['rateLimit'] | undefined): Readonly<RateLimit> | null {
  if (!limit) return null;
  const requestsPerMinute = limit.requestsPerMinute ?? 0;
  const tokensPerMinute = limit.tokensPerMinute ?? 0;
  if (requestsPerMinute <= 0 && tokensPerMinute <= 0) return null;
  return Object.freeze({ requestsPerMinute, tokensPerMinute });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** The fields that name a tenant in every API view of it (admin and portal). */
export function tenantIdentity(
  view: TenantView,
): Pick<TenantView, 'id' | 'slug' | 'name' | 'active' | 'isDefault'> {
  return { id: view.id, slug: view.slug, name: view.name, active: view.active, isDefault: view.isDefault };
}
