import type { RoutingContext } from '../router.interface';
import type { OverrideSettings, TenantRoutingSettings } from './routing.types';

export const DEFAULT_OVERRIDE_SETTINGS: OverrideSettings = {
  vision: true,
  toolCalls: true,
  toolCallMinTier: 'medium',
  lowConfidence: true,
  lowConfidenceThreshold: 0.25,
  lowConfidenceFloor: 'medium',
  domainGate: true,
  domainGateDomains: ['legal', 'medical', 'finance'],
  domainGateMinTier: 'medium',
  conversationTurns: false,
  conversationTurnThreshold: 4,
  frustration: true,
  outputLength: true,
  longContext: true,
  sessionFill: true,
  sessionFillThreshold: 0.75,
};

/** Tenant routing settings used for every field the tenant has not set. */
export const DEFAULT_ROUTING_SETTINGS: TenantRoutingSettings = {
  strictness: 'off',
  overrides: DEFAULT_OVERRIDE_SETTINGS,
  classifierChain: [],
  classifierTimeoutMs: 4000,
  smartKeepMinTier: 'low',
  tierCapToUserModel: true,
  outputReserveTokens: 1024,
};

const resolvedCache = new WeakMap<object, TenantRoutingSettings>();

/** Fills missing fields with the defaults; cached per settings object. */
export function resolveSettings(settings: RoutingContext['settings']): TenantRoutingSettings {
  if (!settings) return DEFAULT_ROUTING_SETTINGS;
  const cached = resolvedCache.get(settings);
  if (cached) return cached;
  const resolved: TenantRoutingSettings = {
    ...DEFAULT_ROUTING_SETTINGS,
    ...stripUndefined(settings),
    overrides: { ...DEFAULT_OVERRIDE_SETTINGS, ...stripUndefined(settings.overrides ?? {}) },
  };
  resolvedCache.set(settings, resolved);
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
