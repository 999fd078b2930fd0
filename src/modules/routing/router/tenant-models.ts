import type { ModelView } from '../../providers/provider.types';
import type { TenantView } from '../../tenants/tenant.types';

/** The models one tenant may use, as routing needs them (the gateway's TenantModelIndex satisfies it). */
export interface TenantModels {
  /** Allowed, visible models of the tenant's enabled providers, in catalog priority order. */
  readonly allowed: readonly ModelView[];
}

/** Gives the tenant's model set; cached per config version by the implementation. */
export interface TenantModelSource {
  for(tenant: TenantView): TenantModels;
}

/**
 * Injection token of the {@link TenantModelSource} the admin tools (dry run, suites, replay) use.
 * Bound by the gateway's model index module, so routing never imports the gateway and the admin
 * tools see exactly the allow-list rules the gateway applies.
 */
export const TENANT_MODEL_SOURCE = Symbol('TENANT_MODEL_SOURCE');
