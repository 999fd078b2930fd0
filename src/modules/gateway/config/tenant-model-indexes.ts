import type { TenantView } from '../../tenants/tenant.types';
import type { GatewayConfigSource } from './gateway-config.source';
import { TenantModelIndex } from './tenant-model-index';

/** One TenantModelIndex per tenant, rebuilt lazily after any config change. */
export class TenantModelIndexes {
  private readonly byTenant = new Map<string, TenantModelIndex>();
  private version = -1;

  constructor(private readonly source: GatewayConfigSource) {}

  for(tenant: TenantView): TenantModelIndex {
    const version = this.source.version;
    if (version !== this.version) {
      this.byTenant.clear();
      this.version = version;
    }
    let index = this.byTenant.get(tenant.id);
    // A new tenant object means the tenant itself changed even if the version did not (tests).
    if (!index || index.tenant !== tenant) {
      index = new TenantModelIndex(tenant, this.source);
      this.byTenant.set(tenant.id, index);
    }
    return index;
  }
}
