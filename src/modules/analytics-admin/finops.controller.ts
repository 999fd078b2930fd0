import { Readable } from 'node:stream';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';

import { RequestLogRepository } from '../analytics/request-log.repository';
import { type AuthenticatedUser, CurrentUser, Permission, RequirePermission } from '../auth/rbac';
import { AnalyticsScopeResolver, resolveRange } from './analytics-scope';
import { TenantUsageQueryDto } from './dto/usage-range.dto';
import { focusCsv } from './focus-csv';

@ApiTags('analytics')
@Controller('api/prism/admin/finops')
export class FinopsController {
  constructor(
    private readonly logs: RequestLogRepository,
    private readonly scopes: AnalyticsScopeResolver,
  ) {}

  /**
   * Cost rows of a range in the FinOps FOCUS 1.x column set, one per request (BilledCost,
   * EffectiveCost, ChargePeriodStart/End, ServiceName, ResourceId = model, SubAccountId = tenant,
   * Tags with category, tier, user and key). Streamed one hour of the log at a time, oldest
   * first: memory stays flat whatever the range.
   */
  @Get('focus.csv')
  @RequirePermission(Permission.AnalyticsRead)
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'FOCUS 1.x CSV', schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: 'No such tenant' })
  async focus(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: TenantUsageQueryDto,
  ): Promise<StreamableFile> {
    const range = resolveRange(query);
    const { scope } = await this.scopes.resolve(user, query.tenant);
    const rows = scope.tenantIds?.length === 0 ? emptyRows() : this.logs.streamRange(range, scope.tenantIds);
    const name = `focus-${range.from.toISOString().slice(0, 10)}-${range.to.toISOString().slice(0, 10)}.csv`;
    return new StreamableFile(Readable.from(focusCsv(rows)), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${name}"`,
    });
  }
}

async function* emptyRows(): AsyncGenerator<never> {}
