import { Injectable } from '@nestjs/common';

import type { AuthenticatedUser } from '../auth/rbac';
import { tenantFilterFor } from '../auth/rbac';
import { ApiKeysRepository } from './api-keys.repository';
import { toKeyResponse } from './api-keys.service';
import { anthropicBaseUrl, tenantEndpoint } from './client-config';
import type { PortalModelResponseDto, PortalTenantResponseDto } from './dto/portal.dto';
import { compileModelAccess } from './model-access';
import { TenantProviderDirectory } from './tenant-provider-directory';
import { tenantIdentity, toTenantView } from './tenant-views';
import type { TenantRecord } from './tenant.schema';
import { TenantsRepository } from './tenants.repository';
import { TenantsService } from './tenants.service';

/** Self-service view of a tenant for its own team (tenant-admin, tenant-viewer). */
@Injectable()
export class PortalService {
  constructor(
    private readonly tenants: TenantsService,
    private readonly tenantsRepository: TenantsRepository,
    private readonly keys: ApiKeysRepository,
    private readonly providers: TenantProviderDirectory,
  ) {}

  async list(user: AuthenticatedUser, origin: string): Promise<PortalTenantResponseDto[]> {
    const ids = tenantFilterFor(user);
    const { items } = await this.tenantsRepository.list({ ids }, 0, 1000);
    return Promise.all(items.map((t) => this.describe(t, origin)));
  }

  async get(user: AuthenticatedUser, idOrSlug: string, origin: string): Promise<PortalTenantResponseDto> {
    return this.describe(await this.tenants.requireTenant(user, idOrSlug), origin);
  }

  /**
   * Visible chat models of the tenant's enabled providers (what the gateway serves it), each marked
   * allowed or not by the same access rule the gateway applies.
   */
  async models(user: AuthenticatedUser, idOrSlug: string): Promise<PortalModelResponseDto[]> {
    const tenant = toTenantView(await this.tenants.requireTenant(user, idOrSlug));
    const isAllowed = compileModelAccess(tenant.modelAccess);
    return this.providers
      .servedModels(tenant.providerIds)
      .map((m) => ({ ...m, allowed: isAllowed(m.modelId, m.prefixedId) }));
  }

  private async describe(record: TenantRecord, origin: string): Promise<PortalTenantResponseDto> {
    const view = toTenantView(record);
    const keys = (await this.keys.findByTenant(view.id)).map((k) => toKeyResponse(k));
    const lastUsed = keys.reduce<Date | null>(
      (latest, k) => (k.lastUsedAt && (!latest || k.lastUsedAt > latest) ? k.lastUsedAt : latest),
      null,
    );
    return {
      ...tenantIdentity(view),
      endpoint: tenantEndpoint(origin, view),
      anthropicBaseUrl: anthropicBaseUrl(origin, view),
      modelAccess: { mode: view.modelAccess.mode, list: [...view.modelAccess.list] },
      keys,
      usage: {
        activeKeys: keys.filter((k) => k.enabled && !k.expired).length,
        totalKeys: keys.length,
        lastUsedAt: lastUsed,
      },
    };
  }
}
