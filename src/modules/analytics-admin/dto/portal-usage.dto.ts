import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

import { SERIES_METRICS, type SeriesMetric } from '../../analytics/usage-query.service';
import { ROLLUP_GRAINS, type RollupGrain } from '../../analytics/usage-rollup.schema';
import { DashboardSummaryResponseDto, DashboardTimeseriesResponseDto } from './dashboard.dto';
import { UsageRangeQueryDto } from './usage-range.dto';

/** What a tenant team may split its own usage by. */
export const PORTAL_GROUP_BY = ['none', 'model', 'user', 'key', 'category', 'tier'] as const;
export type PortalGroupBy = (typeof PORTAL_GROUP_BY)[number];

export class PortalUsageQueryDto extends UsageRangeQueryDto {
  @ApiPropertyOptional({ enum: ROLLUP_GRAINS, default: 'hour' })
  @IsOptional()
  @IsIn(ROLLUP_GRAINS)
  interval?: RollupGrain;

  @ApiPropertyOptional({ enum: SERIES_METRICS, default: 'costUsd' })
  @IsOptional()
  @IsIn(SERIES_METRICS)
  metric?: SeriesMetric;

  @ApiPropertyOptional({ enum: PORTAL_GROUP_BY, default: 'none' })
  @IsOptional()
  @IsIn(PORTAL_GROUP_BY)
  groupBy?: PortalGroupBy;
}

export class PortalUsageResponseDto {
  tenantId!: string;
  tenantSlug!: string;
  summary!: DashboardSummaryResponseDto;
  timeseries!: DashboardTimeseriesResponseDto;
}
