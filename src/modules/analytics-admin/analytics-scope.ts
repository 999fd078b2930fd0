import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';

import type { UsageScope } from '../analytics/usage-query.service';
import { alignRange, type TimeRange } from '../analytics/usage-range';
import { assertTenantAccess, type AuthenticatedUser, tenantFilterFor } from '../auth/rbac';
import { TenantsRepository } from '../tenants/tenants.repository';

const DEFAULT_RANGE_MS = 24 * 3_600_000;
/** Longer than the default rollup retention (2 years), so any retained range can be asked for. */
const MAX_RANGE_MS = 800 * 86_400_000;

/** A reader's tenant scope plus its cache key (the scope is always part of a cached answer's key). */
export interface ResolvedScope {
  scope: UsageScope;
  cacheKey: string;
}

/**
 * Turns `?tenant=` into the tenants a caller may read: global roles get the one they asked for or
 * all; tenant roles get their own tenants, and 403 for a foreign one.
 */
@Injectable()
export class AnalyticsScopeResolver {
  constructor(private readonly tenants: TenantsRepository) {}

  async resolve(user: AuthenticatedUser, tenant: string | undefined): Promise<ResolvedScope> {
    if (tenant !== undefined) {
      const record = await this.tenants.findByIdOrSlug(tenant);
      if (!record) {
        throw new NotFoundException({
          message: `Tenant ${tenant} not found`,
          details: { code: 'tenant_not_found' },
        });
      }
      const id = record._id.toString();
      assertTenantAccess(user, id);
      return { scope: { tenantIds: [id] }, cacheKey: id };
    }
    const ids = tenantFilterFor(user);
    if (!ids) return { scope: {}, cacheKey: '*' };
    return { scope: { tenantIds: ids }, cacheKey: [...ids].sort().join(',') };
  }
}

/** `from`/`to` of a query with defaults (last 24 h) and sanity limits (400 otherwise). */
export function resolveRange(query: { from?: Date; to?: Date }, now = new Date()): TimeRange {
  const to = query.to ?? now;
  const from = query.from ?? new Date(to.getTime() - DEFAULT_RANGE_MS);
  const problem =
    from >= to
      ? 'from must be before to'
      : to.getTime() - from.getTime() > MAX_RANGE_MS
        ? 'range longer than 800 days'
        : null;
  if (problem) {
    throw new BadRequestException({
      message: `Validation failed: ${problem}`,
      details: [{ field: 'from', messages: [problem] }],
    });
  }
  return { from, to };
}

/** A cache key part for a range: the hour-aligned range the rollups answer for. */
export function rangeKey(range: TimeRange): string {
  const aligned = alignRange(range, 'hour');
  return `${aligned.from.getTime()}-${aligned.to.getTime()}`;
}
