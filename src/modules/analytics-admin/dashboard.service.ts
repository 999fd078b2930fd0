import { Injectable } from '@nestjs/common';

import type { UsageMeasures } from '../analytics/usage-measures';
import { UsageQueryService } from '../analytics/usage-query.service';
import type { AuthenticatedUser } from '../auth/rbac';
import { AnalyticsCache } from './analytics-cache';
import { AnalyticsScopeResolver, rangeKey, resolveRange } from './analytics-scope';
import type {
  DashboardBreakdownQueryDto,
  DashboardBreakdownResponseDto,
  DashboardSummaryQueryDto,
  DashboardSummaryResponseDto,
  DashboardTimeseriesQueryDto,
  DashboardTimeseriesResponseDto,
  UsageMeasuresDto,
} from './dto/dashboard.dto';

/** The dashboard reads: scope → cache (keyed by scope) → rollup queries → response DTOs. */
@Injectable()
export class DashboardService {
  constructor(
    private readonly usage: UsageQueryService,
    private readonly scopes: AnalyticsScopeResolver,
    private readonly cache: AnalyticsCache,
  ) {}

  async summary(
    user: AuthenticatedUser,
    query: DashboardSummaryQueryDto,
  ): Promise<DashboardSummaryResponseDto> {
    const range = resolveRange(query);
    const { scope, cacheKey } = await this.scopes.resolve(user, query.tenant);
    return this.cache.get(`summary|${cacheKey}|${rangeKey(range)}`, async () => {
      const s = await this.usage.summary(scope, range);
      return {
        from: s.from.toISOString(),
        to: s.to.toISOString(),
        current: toMeasuresDto(s.current),
        previousFrom: s.previousFrom.toISOString(),
        previous: toMeasuresDto(s.previous),
      };
    });
  }

  async timeseries(
    user: AuthenticatedUser,
    query: DashboardTimeseriesQueryDto,
  ): Promise<DashboardTimeseriesResponseDto> {
    const range = resolveRange(query);
    const { scope, cacheKey } = await this.scopes.resolve(user, query.tenant);
    const options = {
      interval: query.interval ?? 'hour',
      groupBy: query.groupBy ?? 'none',
      metric: query.metric ?? 'costUsd',
      limit: query.limit ?? 10,
    } as const;
    const key = `series|${cacheKey}|${rangeKey(range)}|${options.interval}|${options.groupBy}|${options.metric}|${options.limit}`;
    return this.cache.get(key, async () => {
      const t = await this.usage.timeseries(scope, range, options);
      return {
        from: t.from.toISOString(),
        to: t.to.toISOString(),
        interval: t.interval,
        metric: t.metric,
        groupBy: t.groupBy,
        buckets: t.buckets.map((b) => b.toISOString()),
        series: t.series,
      };
    });
  }

  async breakdown(
    user: AuthenticatedUser,
    query: DashboardBreakdownQueryDto,
  ): Promise<DashboardBreakdownResponseDto> {
    const range = resolveRange(query);
    const { scope, cacheKey } = await this.scopes.resolve(user, query.tenant);
    const options = {
      dimension: query.dimension,
      sort: query.sort ?? 'costUsd',
      order: query.order ?? 'desc',
      limit: query.limit ?? 20,
    } as const;
    const key = `breakdown|${cacheKey}|${rangeKey(range)}|${options.dimension}|${options.sort}|${options.order}|${options.limit}`;
    return this.cache.get(key, async () => {
      const b = await this.usage.breakdown(scope, range, options);
      return {
        ...b,
        from: b.from.toISOString(),
        to: b.to.toISOString(),
        items: b.items.map((i) => ({ ...i, ...toMeasuresDto(i) })),
      };
    });
  }
}

/** Money rounded to the gateway's precision (1e-8 USD), rates to 4 decimals. */
export function toMeasuresDto(m: UsageMeasures): UsageMeasuresDto {
  return {
    ...m,
    errorRate: round(m.errorRate, 4),
    autoRoutedShare: round(m.autoRoutedShare, 4),
    costUsd: round(m.costUsd, 8),
    baselineCostUsd: round(m.baselineCostUsd, 8),
    savedUsd: round(m.savedUsd, 8),
  };
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
