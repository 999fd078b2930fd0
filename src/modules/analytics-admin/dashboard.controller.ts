import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { type AuthenticatedUser, CurrentUser, Permission, RequirePermission } from '../auth/rbac';
import { DashboardService } from './dashboard.service';
import {
  DashboardBreakdownQueryDto,
  DashboardBreakdownResponseDto,
  DashboardSummaryQueryDto,
  DashboardSummaryResponseDto,
  DashboardTimeseriesQueryDto,
  DashboardTimeseriesResponseDto,
} from './dto/dashboard.dto';

/**
 * Spend, savings, traffic and latency from the usage rollups. Tenant roles see only their
 * tenants (a foreign `tenant` is 403); answers are cached for a few seconds per scope.
 */
@ApiTags('analytics')
@Controller('api/prism/admin/dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  /** Totals of the range and of the period of equal length before it. */
  @Get('summary')
  @RequirePermission(Permission.AnalyticsRead)
  @ApiOkResponse({ type: DashboardSummaryResponseDto })
  @ApiNotFoundResponse({ description: 'No such tenant' })
  summary(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: DashboardSummaryQueryDto,
  ): Promise<DashboardSummaryResponseDto> {
    return this.dashboard.summary(user, query);
  }

  /** One metric per hour or day, optionally one series per dimension value (top N). */
  @Get('timeseries')
  @RequirePermission(Permission.AnalyticsRead)
  @ApiOkResponse({ type: DashboardTimeseriesResponseDto })
  @ApiNotFoundResponse({ description: 'No such tenant' })
  timeseries(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: DashboardTimeseriesQueryDto,
  ): Promise<DashboardTimeseriesResponseDto> {
    return this.dashboard.timeseries(user, query);
  }

  /** Top N values of one dimension with every measure, sortable. */
  @Get('breakdown')
  @RequirePermission(Permission.AnalyticsRead)
  @ApiOkResponse({ type: DashboardBreakdownResponseDto })
  @ApiNotFoundResponse({ description: 'No such tenant' })
  breakdown(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: DashboardBreakdownQueryDto,
  ): Promise<DashboardBreakdownResponseDto> {
    return this.dashboard.breakdown(user, query);
  }
}
