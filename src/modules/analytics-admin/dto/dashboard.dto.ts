import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

import {
  BREAKDOWN_SORTS,
  type BreakdownSort,
  SERIES_METRICS,
  type SeriesMetric,
  USAGE_DIMENSIONS,
  type UsageDimension,
} from '../../analytics/usage-query.service';
import { ROLLUP_GRAINS, type RollupGrain } from '../../analytics/usage-rollup.schema';
import { TenantUsageQueryDto } from './usage-range.dto';

export class DashboardSummaryQueryDto extends TenantUsageQueryDto {}

const GROUP_BY = ['none', ...USAGE_DIMENSIONS] as const;

export class DashboardTimeseriesQueryDto extends TenantUsageQueryDto {
  /** Bucket size; `day` widens the range to whole UTC days. */
  @ApiPropertyOptional({ enum: ROLLUP_GRAINS, default: 'hour' })
  @IsOptional()
  @IsIn(ROLLUP_GRAINS)
  interval?: RollupGrain;

  @ApiPropertyOptional({ enum: GROUP_BY, default: 'none' })
  @IsOptional()
  @IsIn(GROUP_BY)
  groupBy?: UsageDimension | 'none';

  @ApiPropertyOptional({ enum: SERIES_METRICS, default: 'costUsd' })
  @IsOptional()
  @IsIn(SERIES_METRICS)
  metric?: SeriesMetric;

  /** Series shown (top N by the metric's total); the rest are folded into `__other__`. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;
}

export class DashboardBreakdownQueryDto extends TenantUsageQueryDto {
  @ApiProperty({ enum: USAGE_DIMENSIONS })
  @IsIn(USAGE_DIMENSIONS)
  dimension!: UsageDimension;

  @ApiPropertyOptional({ enum: BREAKDOWN_SORTS, default: 'costUsd' })
  @IsOptional()
  @IsIn(BREAKDOWN_SORTS)
  sort?: BreakdownSort;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class LatencyStatsDto {
  @ApiProperty({ type: Number, nullable: true })
  avg!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  p50!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  p95!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  p99!: number | null;
}

/** Measures of a set of requests. Percentiles come from merged histograms (±10 %). */
export class UsageMeasuresDto {
  requests!: number;
  errors!: number;
  /** errors / requests (0..1). */
  errorRate!: number;
  streamed!: number;
  autoRouted!: number;
  /** autoRouted / requests (0..1). */
  autoRoutedShare!: number;
  /** Requests served by another target than the first one tried. */
  fallbacks!: number;
  inputTokens!: number;
  outputTokens!: number;
  cachedInputTokens!: number;
  costUsd!: number;
  baselineCostUsd!: number;
  /** baselineCostUsd − costUsd; negative when routing cost more. */
  savedUsd!: number;
  /** Total latency (arrival to last byte), ms. */
  latencyMs!: LatencyStatsDto;
  /** Time spent in the gateway itself, ms. */
  overheadMs!: LatencyStatsDto;
  @ApiProperty({ type: Number, nullable: true })
  upstreamMsAvg!: number | null;
  /** Streams only: time to first token, ms. */
  ttftMs!: LatencyStatsDto;
}

export class DashboardSummaryResponseDto {
  /** Effective range (widened to whole hours). */
  from!: string;
  to!: string;
  current!: UsageMeasuresDto;
  /** Start of the previous period of equal length (it ends at `from`). */
  previousFrom!: string;
  previous!: UsageMeasuresDto;
}

export class TimeseriesSeriesDto {
  /** Dimension key (model id, tenant id, …), `total` without grouping, `__other__` for the rest. */
  key!: string;
  label!: string;
  tenantId?: string;
  @ApiProperty({ type: [Number], description: 'One value per bucket (null: no data for a percentile)' })
  values!: (number | null)[];
  @ApiProperty({ type: Number, nullable: true })
  total!: number | null;
}

export class DashboardTimeseriesResponseDto {
  from!: string;
  to!: string;
  @ApiProperty({ enum: ROLLUP_GRAINS })
  interval!: RollupGrain;
  @ApiProperty({ enum: SERIES_METRICS })
  metric!: SeriesMetric;
  @ApiProperty({ enum: GROUP_BY })
  groupBy!: UsageDimension | 'none';
  /** Bucket starts (ISO 8601). */
  buckets!: string[];
  series!: TimeseriesSeriesDto[];
}

export class BreakdownItemDto extends UsageMeasuresDto {
  key!: string;
  label!: string;
  /** Set for the `tenant` and `user` dimensions. */
  tenantId?: string;
  /** Share of the range's cost (0..1). */
  costShare!: number;
}

export class DashboardBreakdownResponseDto {
  from!: string;
  to!: string;
  @ApiProperty({ enum: USAGE_DIMENSIONS })
  dimension!: UsageDimension;
  @ApiProperty({ enum: BREAKDOWN_SORTS })
  sort!: BreakdownSort;
  @ApiProperty({ enum: ['asc', 'desc'] })
  order!: 'asc' | 'desc';
  /** Distinct keys in the range (items holds at most `limit`). */
  totalItems!: number;
  items!: BreakdownItemDto[];
}
