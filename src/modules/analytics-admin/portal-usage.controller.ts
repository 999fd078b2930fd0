import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import {
  assertTenantAccess,
  type AuthenticatedUser,
  CurrentUser,
  Permission,
  RequirePermission,
} from '../auth/rbac';
import { TenantsRepository } from '../tenants/tenants.repository';
import { DashboardService } from './dashboard.service';
import { PortalUsageQueryDto, PortalUsageResponseDto } from './dto/portal-usage.dto';

/**
 * The portal's usage view: the dashboard's summary and series for one tenant, for its own team
 * (tenant-admin, tenant-viewer) and global roles with `portal.read`. Lives in analytics-admin so
 * the tenants module never depends on analytics.
 */
@ApiTags('portal')
@Controller('api/prism/portal/tenants')
export class PortalUsageController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly tenants: TenantsRepository,
  ) {}

  @Get(':id/usage')
  @RequirePermission(Permission.PortalRead)
  @ApiOkResponse({ type: PortalUsageResponseDto })
  @ApiNotFoundResponse({ description: 'No such tenant' })
  async usage(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Query() query: PortalUsageQueryDto,
  ): Promise<PortalUsageResponseDto> {
    const tenant = await this.tenants.findByIdOrSlug(id);
    if (!tenant) {
      throw new NotFoundException({
        message: `Tenant ${id} not found`,
        details: { code: 'tenant_not_found' },
      });
    }
    const tenantId = tenant._id.toString();
    assertTenantAccess(user, tenantId);
    const range = { from: query.from, to: query.to, tenant: tenantId };
    const [summary, timeseries] = await Promise.all([
      this.dashboard.summary(user, range),
      this.dashboard.timeseries(user, {
        ...range,
        interval: query.interval,
        metric: query.metric,
        groupBy: query.groupBy,
      }),
    ]);
    return { tenantId, tenantSlug: tenant.slug, summary, timeseries };
  }
}
