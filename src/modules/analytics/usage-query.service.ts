import { Injectable } from '@nestjs/common';

import { UsageAccumulator, type UsageMeasures } from './usage-measures';
import { alignRange, bucketStarts, previousRange, splitRange, type TimeRange } from './usage-range';
import { type RollupRow, UsageRollupRepository } from './usage-rollup.repository';
import { ROLLUP_DIMENSIONS, type RollupDimension, type RollupGrain } from './usage-rollup.schema';

/** Which tenants a reader may see: undefined = all (global roles), else only these. */
export interface UsageScope {
  tenantIds?: readonly string[];
}

/** What the dashboard groups by: the rollup dimensions, with `tenant` (the `all` rows per tenant) for `all`. */
export const USAGE_DIMENSIONS = [
  'tenant',
  ...ROLLUP_DIMENSIONS.filter((d): d is Exclude<RollupDimension, 'all'> => d !== 'all'),
] as const;
export type UsageDimension = (typeof USAGE_DIMENSIONS)[number];

/** Measures a series can plot and a breakdown can sort by. */
const SHARED_MEASURES = [
  'requests',
  'errors',
  'errorRate',
  'costUsd',
  'baselineCostUsd',
  'savedUsd',
] as const;

export const SERIES_METRICS = [
  ...SHARED_MEASURES,
  'inputTokens',
  'outputTokens',
  'tokens',
  'autoRoutedShare',
  'latencyP50',
  'latencyP95',
  'latencyP99',
  'overheadP50',
  'overheadP95',
  'ttftP50',
] as const;
export type SeriesMetric = (typeof SERIES_METRICS)[number];

export const BREAKDOWN_SORTS = [...SHARED_MEASURES, 'tokens', 'latencyP95'] as const;
export type BreakdownSort = (typeof BREAKDOWN_SORTS)[number];

export interface UsageSummary {
  from: Date;
  to: Date;
  current: UsageMeasures;
  previousFrom: Date;
  previous: UsageMeasures;
}

export interface UsageSeries {
  key: string;
  label: string;
  tenantId?: string;
  values: (number | null)[];
  total: number | null;
}

export interface UsageTimeseries {
  from: Date;
  to: Date;
  interval: RollupGrain;
  metric: SeriesMetric;
  groupBy: UsageDimension | 'none';
  buckets: Date[];
  series: UsageSeries[];
}

export interface BreakdownItem extends UsageMeasures {
  key: string;
  label: string;
  /** For `user` (a user name is per tenant) and `tenant`. */
  tenantId?: string;
  /** This item's share of the range's cost (0..1). */
  costShare: number;
}

export interface UsageBreakdown {
  from: Date;
  to: Date;
  dimension: UsageDimension;
  sort: BreakdownSort;
  order: 'asc' | 'desc';
  /** How many distinct keys the range has (items holds at most `limit`). */
  totalItems: number;
  items: BreakdownItem[];
}

/** Key of the series that folds the groups beyond the requested top N. */
export const OTHER_SERIES = '__other__';

/**
 * The dashboard's questions answered from the usage rollups (never from the request log): whole
 * days from daily rows, the hours around them from hourly rows, percentiles from the merged
 * latency histograms. Every query is limited to the caller's tenants.
 */
@Injectable()
export class UsageQueryService {
  constructor(private readonly rollups: UsageRollupRepository) {}

  async summary(scope: UsageScope, requested: TimeRange): Promise<UsageSummary> {
    const range = alignRange(requested, 'hour');
    const previous = previousRange(range);
    const [current, before] = await Promise.all([
      this.rows('all', range, scope),
      this.rows('all', previous, scope),
    ]);
    return {
      from: range.from,
      to: range.to,
      current: accumulate(current).measures(),
      previousFrom: previous.from,
      previous: accumulate(before).measures(),
    };
  }

  async timeseries(
    scope: UsageScope,
    requested: TimeRange,
    options: { interval: RollupGrain; groupBy: UsageDimension | 'none'; metric: SeriesMetric; limit: number },
  ): Promise<UsageTimeseries> {
    const range = alignRange(requested, options.interval);
    const buckets = bucketStarts(range, options.interval);
    const dimension = options.groupBy === 'none' ? 'all' : rollupDimensionOf(options.groupBy);
    const rows = await this.rollups.find({
      dimension,
      grain: options.interval,
      from: range.from,
      to: range.to,
      tenantIds: scope.tenantIds,
      perTenant: perTenant(options.groupBy),
    });
    const slot = new Map(buckets.map((b, i) => [b.getTime(), i]));
    // A cost or traffic series never needs the histograms: merge them only for a percentile metric.
    const histograms = isPercentile(options.metric);
    const points = (): UsageAccumulator[] => buckets.map(() => new UsageAccumulator({ histograms }));
    const groups = new Map<string, { label: string; tenantId?: string; points: UsageAccumulator[] }>();
    for (const row of rows) {
      const index = slot.get(row.period.getTime());
      if (index === undefined) continue;
      const id = options.groupBy === 'none' ? 'total' : groupKey(options.groupBy, row);
      let group = groups.get(id);
      if (!group) {
        group = { ...groupLabel(options.groupBy, row), points: points() };
        groups.set(id, group);
      } else if (row.label) {
        group.label = options.groupBy === 'user' ? row.key : row.label;
      }
      group.points[index]!.add(row);
    }
    if (options.groupBy === 'none' && groups.size === 0) {
      groups.set('total', { label: 'total', points: points() });
    }
    const ranked = [...groups.entries()]
      .map(([key, g]) => {
        const total = g.points.reduce((t, p) => t.merge(p), new UsageAccumulator({ histograms }));
        return { key, ...g, total, rank: rankValue(total, options.metric) };
      })
      .sort((a, b) => b.rank - a.rank);
    const shown = ranked.slice(0, options.limit);
    const rest = ranked.slice(options.limit);
    const series: UsageSeries[] = shown.map((g) => ({
      key: g.key,
      label: g.label,
      ...(g.tenantId !== undefined ? { tenantId: g.tenantId } : {}),
      values: g.points.map((p) => metricOf(p.measures(), options.metric)),
      total: metricOf(g.total.measures(), options.metric),
    }));
    if (rest.length > 0) {
      const other = buckets.map((_, i) => {
        const merged = new UsageAccumulator({ histograms });
        for (const g of rest) merged.merge(g.points[i]!);
        return merged;
      });
      series.push({
        key: OTHER_SERIES,
        label: `${rest.length} more`,
        values: other.map((p) => metricOf(p.measures(), options.metric)),
        total: metricOf(
          rest.reduce((t, g) => t.merge(g.total), new UsageAccumulator({ histograms })).measures(),
          options.metric,
        ),
      });
    }
    return {
      from: range.from,
      to: range.to,
      interval: options.interval,
      metric: options.metric,
      groupBy: options.groupBy,
      buckets,
      series,
    };
  }

  async breakdown(
    scope: UsageScope,
    requested: TimeRange,
    options: { dimension: UsageDimension; sort: BreakdownSort; order: 'asc' | 'desc'; limit: number },
  ): Promise<UsageBreakdown> {
    const range = alignRange(requested, 'hour');
    const rows = await this.rows(
      rollupDimensionOf(options.dimension),
      range,
      scope,
      perTenant(options.dimension),
    );
    // Counters first for every group; histograms (most of the work: a 30-day user breakdown has
    // ~15k rows) only for the groups shown, unless the sort itself is a percentile.
    const histograms = options.sort === 'latencyP95';
    const groups = new Map<
      string,
      { label: string; tenantId?: string; sum: UsageAccumulator; rows: RollupRow[] }
    >();
    for (const row of rows) {
      if (options.dimension === 'errorType' && row.key === '') continue;
      const id = groupKey(options.dimension, row);
      let group = groups.get(id);
      if (!group) {
        group = {
          ...groupLabel(options.dimension, row),
          sum: new UsageAccumulator({ histograms }),
          rows: [],
        };
        groups.set(id, group);
      }
      group.sum.add(row);
      if (!histograms) group.rows.push(row);
    }
    const all = [...groups.entries()].map(([key, g]) => ({
      item: {
        key: options.dimension === 'user' ? g.label : key,
        label: g.label,
        ...(g.tenantId !== undefined ? { tenantId: g.tenantId } : {}),
        ...g.sum.measures(),
      },
      group: g,
    }));
    const totalCost = all.reduce((sum, i) => sum + i.item.costUsd, 0);
    const direction = options.order === 'asc' ? 1 : -1;
    all.sort(
      (a, b) =>
        direction * (sortValue(a.item, options.sort) - sortValue(b.item, options.sort)) ||
        cmp(a.item.key, b.item.key),
    );
    const items = all.slice(0, options.limit).map(({ item, group }) => {
      if (!histograms) {
        const withHistograms = group.sum;
        for (const row of group.rows) withHistograms.addHistograms(row);
        Object.assign(item, withHistograms.measures());
      }
      return { ...item, costShare: totalCost > 0 ? item.costUsd / totalCost : 0 };
    });
    return {
      from: range.from,
      to: range.to,
      dimension: options.dimension,
      sort: options.sort,
      order: options.order,
      totalItems: all.length,
      items,
    };
  }

  /**
   * Rows of one dimension covering an hour-aligned range: daily rows for whole days (merged per
   * 8-day span where a span digest is current: these readers ignore the period), hourly for the rest.
   */
  private async rows(
    dimension: RollupDimension,
    range: TimeRange,
    scope: UsageScope,
    perTenant = false,
  ): Promise<RollupRow[]> {
    const { days, hours } = splitRange(range);
    const query = { dimension, tenantIds: scope.tenantIds, perTenant };
    const parts = await Promise.all([
      ...(days ? [this.rollups.findMerged({ ...query, ...days })] : []),
      ...hours.map((h) => this.rollups.find({ ...query, grain: 'hour', ...h })),
    ]);
    return parts.flat();
  }
}

function accumulate(rows: readonly RollupRow[]): UsageAccumulator {
  const sum = new UsageAccumulator();
  for (const row of rows) sum.add(row);
  return sum;
}

/** Groupings that need each tenant's own rows (a global reader otherwise reads the all-tenant buckets). */
function perTenant(dimension: UsageDimension | 'none'): boolean {
  return dimension === 'tenant' || dimension === 'user';
}

function rollupDimensionOf(dimension: UsageDimension): RollupDimension {
  return dimension === 'tenant' ? 'all' : dimension;
}

function groupKey(dimension: UsageDimension, row: RollupRow): string {
  if (dimension === 'tenant') return row.tenantId;
  // The same user name in two tenants is two people.
  if (dimension === 'user') return `${row.tenantId}\u0000${row.key}`;
  return row.key;
}

function groupLabel(
  dimension: UsageDimension | 'none',
  row: RollupRow,
): { label: string; tenantId?: string } {
  if (dimension === 'none') return { label: 'total' };
  if (dimension === 'tenant') return { label: row.label ?? (row.tenantId || 'none'), tenantId: row.tenantId };
  if (dimension === 'user') return { label: row.key, tenantId: row.tenantId };
  return { label: row.label ?? (row.key || 'none') };
}

export function metricOf(m: UsageMeasures, metric: SeriesMetric): number | null {
  switch (metric) {
    case 'requests':
    case 'errors':
    case 'errorRate':
    case 'costUsd':
    case 'baselineCostUsd':
    case 'savedUsd':
    case 'inputTokens':
    case 'outputTokens':
    case 'autoRoutedShare':
      return m[metric];
    case 'tokens':
      return m.inputTokens + m.outputTokens;
    case 'latencyP50':
      return m.latencyMs.p50;
    case 'latencyP95':
      return m.latencyMs.p95;
    case 'latencyP99':
      return m.latencyMs.p99;
    case 'overheadP50':
      return m.overheadMs.p50;
    case 'overheadP95':
      return m.overheadMs.p95;
    case 'ttftP50':
      return m.ttftMs.p50;
  }
}

function isPercentile(metric: SeriesMetric): boolean {
  return /P\d+$/.test(metric);
}

/** Series are ranked by their metric's total; percentiles and rates rank by traffic instead. */
function rankValue(total: UsageAccumulator, metric: SeriesMetric): number {
  if (metric.endsWith('Share') || metric.endsWith('Rate') || isPercentile(metric)) return total.requests;
  return metricOf(total.measures(), metric) ?? 0;
}

function sortValue(m: UsageMeasures, sort: BreakdownSort): number {
  if (sort === 'tokens') return m.inputTokens + m.outputTokens;
  if (sort === 'latencyP95') return m.latencyMs.p95 ?? -1;
  return m[sort];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
