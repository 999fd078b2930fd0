import type { Tenant } from './tenant.schema';
import { DEFAULT_OPT_OUT_TOKEN, DEFAULT_TENANT_SLUG } from './tenant.types';

export type TenantSettings = Omit<Tenant, 'slug' | 'name' | 'isDefault' | 'createdAt' | 'updatedAt'>;

/** Settings of a new tenant when the request leaves them out. */
export function defaultTenantSettings(): TenantSettings {
  return {
    active: true,
    providerIds: [],
    modelAccess: { mode: 'all', list: [] },
    aliases: [],
    rateLimit: { requestsPerMinute: 0, tokensPerMinute: 0 },
    budgets: { dailyUsd: 0, weeklyUsd: 0, monthlyUsd: 0, enforcement: 'hard_block' },
    quotas: [],
    budgetGuard: {
      enabled: false,
      thresholdPct: 80,
      costMode: 'economy',
      blockedTiers: ['high', 'ultra', 'critical'],
    },
    routing: {
      enabled: true,
      strictness: 'off',
      optOutToken: DEFAULT_OPT_OUT_TOKEN,
      classifierChain: [],
      defaultModel: null,
      baselineModel: null,
      ruleSetId: null,
      costMode: null,
      overrides: {},
    },
    defaultSystemPrompt: null,
    fallbackChains: [],
    loadBalancing: { strategy: 'priority', weights: [] },
    promptLogging: false,
    keyLifetimeDays: 0,
  };
}

/** The tenant behind `/api/v1` and `/v1`. It has no key: admins issue keys like for any tenant. */
export function defaultTenantDocument(): Omit<Tenant, 'createdAt' | 'updatedAt'> {
  return { ...defaultTenantSettings(), slug: DEFAULT_TENANT_SLUG, name: 'Default', isDefault: true };
}
