import type { Tier } from '../../common/tiers';

/** A chat model a tenant's enabled provider serves, as the portal lists it. */
export interface ServedModel {
  modelId: string;
  /** `providerSlug/modelId`. */
  prefixedId: string;
  name: string;
  providerSlug: string;
  tier: Tier | null;
  contextWindow: number | null;
  inputPer1M: number;
  outputPer1M: number;
}

/**
 * What the tenant admin and the portal need to know about providers. A port owned by tenants (which
 * sits below providers in the layering) and implemented by the providers module; the admin module
 * binds the two.
 */
export abstract class TenantProviderDirectory {
  /** Ids of every configured provider, read from the database (a just-created one counts). */
  abstract knownProviderIds(): Promise<ReadonlySet<string>>;
  /** Visible chat models of those of `providerIds` that are enabled, in that order. */
  abstract servedModels(providerIds: readonly string[]): ServedModel[];
}
