import { computed, inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import {
  dashboardBreakdown,
  type DashboardBreakdown$Params,
} from '../../api/fn/analytics/dashboard-breakdown';
import { dashboardSummary } from '../../api/fn/analytics/dashboard-summary';
import { dashboardTimeseries } from '../../api/fn/analytics/dashboard-timeseries';
import { type BreakdownItemDto } from '../../api/models/breakdown-item-dto';
import { type DashboardSummaryResponseDto } from '../../api/models/dashboard-summary-response-dto';
import { type DashboardTimeseriesResponseDto } from '../../api/models/dashboard-timeseries-response-dto';
import { AsyncTask } from '../../core/state/async-task';

export type Dimension = DashboardBreakdown$Params['dimension'];

/** Range presets of the picker; `custom` uses the from/to dates. */
export const RANGE_PRESETS = [
  { key: '6h', label: 'Last 6 hours', hours: 6 },
  { key: '24h', label: 'Last 24 hours', hours: 24 },
  { key: '7d', label: 'Last 7 days', hours: 7 * 24 },
  { key: '30d', label: 'Last 30 days', hours: 30 * 24 },
  { key: '90d', label: 'Last 90 days', hours: 90 * 24 },
] as const;
export type RangeKey = (typeof RANGE_PRESETS)[number]['key'] | 'custom';

export interface DashboardRange {
  key: RangeKey;
  /** Custom range: dates (`YYYY-MM-DD`), `to` inclusive. */
  from?: string;
  to?: string;
}

const HOUR_MS = 3_600_000;

/** The range as the API wants it; a custom `to` date includes that whole day. */
export function rangeBounds(range: DashboardRange, now = new Date()): { from: string; to: string } {
  if (range.key === 'custom' && range.from && range.to) {
    const to = new Date(`${range.to}T00:00:00.000Z`);
    to.setUTCDate(to.getUTCDate() + 1);
    return { from: new Date(`${range.from}T00:00:00.000Z`).toISOString(), to: to.toISOString() };
  }
  const preset = RANGE_PRESETS.find((p) => p.key === range.key) ?? RANGE_PRESETS[1];
  return { from: new Date(now.getTime() - preset.hours * HOUR_MS).toISOString(), to: now.toISOString() };
}

/** Hourly buckets up to two days, daily beyond (keeps charts readable and reads on the rollups). */
export function intervalFor(bounds: { from: string; to: string }): 'hour' | 'day' {
  return Date.parse(bounds.to) - Date.parse(bounds.from) <= 48 * HOUR_MS ? 'hour' : 'day';
}

/** Relative change from the previous period; null when there was nothing before. */
export function change(current: number, previous: number): number | null {
  return previous === 0 ? null : (current - previous) / previous;
}

/** The breakdowns the dashboard shows (mix charts and top lists). */
export const DASHBOARD_DIMENSIONS: readonly Dimension[] = [
  'model',
  'category',
  'tier',
  'tenant',
  'user',
  'key',
  'errorType',
];

/** Usage figures for the dashboard: summary with the previous period, two series, breakdowns. */
@Injectable()
export class AnalyticsStore {
  private readonly api = inject(Api);

  readonly load$ = new AsyncTask();
  readonly range = signal<DashboardRange>({ key: '24h' });
  /** Tenant id or slug; '' = all tenants the role may see. */
  readonly tenant = signal('');
  readonly summary = signal<DashboardSummaryResponseDto | null>(null);
  readonly cost = signal<DashboardTimeseriesResponseDto | null>(null);
  readonly baseline = signal<DashboardTimeseriesResponseDto | null>(null);
  readonly requests = signal<DashboardTimeseriesResponseDto | null>(null);
  readonly errors = signal<DashboardTimeseriesResponseDto | null>(null);
  readonly breakdowns = signal<Partial<Record<Dimension, BreakdownItemDto[]>>>({});
  readonly empty = computed(() => this.summary()?.current.requests === 0);
  /** The range and tenant of the figures shown (links into the request log keep them). */
  readonly scope = signal<{ from: string; to: string; tenant: string } | null>(null);

  async load(): Promise<void> {
    const bounds = rangeBounds(this.range());
    const tenant = this.tenant();
    const scope = { ...bounds, ...(tenant ? { tenant } : {}) };
    const interval = intervalFor(bounds);
    const series = (metric: 'costUsd' | 'baselineCostUsd' | 'requests' | 'errors') =>
      this.api.invoke(dashboardTimeseries, { ...scope, interval, metric });
    const result = await this.load$.run(() =>
      Promise.all([
        this.api.invoke(dashboardSummary, scope),
        series('costUsd'),
        series('baselineCostUsd'),
        series('requests'),
        series('errors'),
        Promise.all(
          DASHBOARD_DIMENSIONS.map((dimension) =>
            this.api.invoke(dashboardBreakdown, {
              ...scope,
              dimension,
              // Failures cost nothing: rank error types by how often they happen.
              sort: dimension === 'errorType' ? 'requests' : 'costUsd',
              limit: 10,
            }),
          ),
        ),
      ]),
    );
    if (!result.ok) return;
    const [summary, cost, baseline, requests, errors, breakdowns] = result.value;
    this.summary.set(summary);
    this.cost.set(cost);
    this.baseline.set(baseline);
    this.requests.set(requests);
    this.errors.set(errors);
    this.breakdowns.set(Object.fromEntries(breakdowns.map((b) => [b.dimension, b.items])));
    this.scope.set({ ...bounds, tenant });
  }

  async setRange(range: DashboardRange): Promise<void> {
    this.range.set(range);
    await this.load();
  }

  async setTenant(tenant: string): Promise<void> {
    this.tenant.set(tenant);
    await this.load();
  }
}
