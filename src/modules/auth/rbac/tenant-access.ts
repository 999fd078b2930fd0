import { ForbiddenException } from '@nestjs/common';

import type { AuthenticatedUser } from './authenticated-user';
import { isTenantScoped } from './permissions';

/** Whether the user may see data of this tenant: global roles see all, tenant roles their own. */
export function canAccessTenant(user: AuthenticatedUser, tenantId: string): boolean {
  return !isTenantScoped(user.role) || user.tenantIds.includes(tenantId);
}

/** Throws 403 unless the user may access the tenant. Call it on every route that takes a tenant id. */
export function assertTenantAccess(user: AuthenticatedUser, tenantId: string): void {
  if (!canAccessTenant(user, tenantId)) {
    throw new ForbiddenException({
      message: `You have no access to tenant ${tenantId}`,
      details: { code: 'tenant_forbidden' },
    });
  }
}

/**
 * The tenant restriction for queries: `undefined` means "all tenants" (global roles), an array
 * (possibly empty) means "only these". Use it in list queries and cache keys alike, e.g.
 * `const ids = tenantFilterFor(user); const filter = ids ? { tenantId: { $in: ids } } : {};`
 */
export function tenantFilterFor(user: AuthenticatedUser): string[] | undefined {
  return isTenantScoped(user.role) ? [...user.tenantIds] : undefined;
}

/**
 * Narrows an optional `?tenantId=` query to what the user may see: a global role gets what it
 * asked for (undefined = all); a tenant role gets its own tenants, or 403 for a foreign tenant.
 */
export function scopeTenantQuery(
  user: AuthenticatedUser,
  requested: string | undefined,
): string[] | undefined {
  if (requested !== undefined) {
    assertTenantAccess(user, requested);
    return [requested];
  }
  return tenantFilterFor(user);
}
