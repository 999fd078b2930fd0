import { CurrencyPipe, DecimalPipe, PercentPipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  untracked,
} from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { type MatSelectChange, MatSelectModule } from '@angular/material/select';

import { RangeSelect } from '../../shared/usage/range-select';
import { UsageStatus } from '../../shared/usage/usage-status';
import { RANGE_PRESETS, type RangeKey } from '../dashboard/analytics.store';
import { UsageKpis } from '../dashboard/usage-kpis';
import { PortalUsageStore, type UsageMetric, type UsageSplit } from './portal-usage.store';
import { UsageSeriesChart } from './usage-series-chart';

const METRICS: { key: UsageMetric; label: string }[] = [
  { key: 'costUsd', label: 'Cost' },
  { key: 'requests', label: 'Requests' },
  { key: 'tokens', label: 'Tokens' },
];
const SPLITS: { key: UsageSplit; label: string }[] = [
  { key: 'none', label: 'Nothing' },
  { key: 'model', label: 'Model' },
  { key: 'user', label: 'User' },
  { key: 'key', label: 'API key' },
  { key: 'category', label: 'Category' },
  { key: 'tier', label: 'Tier' },
];

/** Usage and spend of one of the caller's tenants (the portal's Usage tab; the portal usage API). */
@Component({
  selector: 'app-portal-usage',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    CurrencyPipe,
    DecimalPipe,
    MatFormFieldModule,
    MatSelectModule,
    PercentPipe,
    RangeSelect,
    UsageKpis,
    UsageSeriesChart,
    UsageStatus,
  ],
  providers: [PortalUsageStore],
  templateUrl: './portal-usage.html',
  styleUrl: './portal-usage.scss',
})
export class PortalUsage {
  readonly tenantId = input.required<string>();

  protected readonly store = inject(PortalUsageStore);
  protected readonly presets = RANGE_PRESETS.filter((p) => p.key !== '6h');
  protected readonly metrics = METRICS;
  protected readonly splits = SPLITS;

  protected readonly metricLabel = computed(
    () => METRICS.find((m) => m.key === this.store.metric())?.label ?? '',
  );
  protected readonly caption = computed(() => {
    const split = SPLITS.find((s) => s.key === this.store.split());
    return this.store.split() === 'none'
      ? `${this.metricLabel()} over time`
      : `${this.metricLabel()} per ${split?.label.toLowerCase() ?? ''} over time`;
  });
  /** The split's groups with their totals and share, largest first (the chart as a table). */
  protected readonly rows = computed(() => {
    const series = this.store.usage()?.timeseries.series ?? [];
    const sum = series.reduce((total, s) => total + (s.total ?? 0), 0);
    return [...series]
      .sort((a, b) => (b.total ?? 0) - (a.total ?? 0))
      .map((s) => ({
        key: s.key,
        label: s.label,
        total: s.total ?? 0,
        share: sum ? (s.total ?? 0) / sum : 0,
      }));
  });

  constructor() {
    effect(() => {
      const tenantId = this.tenantId();
      untracked(() => void this.store.set({ tenantId }));
    });
  }

  protected onRange(key: string): void {
    void this.store.set({ range: key as Exclude<RangeKey, 'custom'> });
  }

  protected onMetric(event: MatSelectChange): void {
    void this.store.set({ metric: event.value as UsageMetric });
  }

  protected onSplit(event: MatSelectChange): void {
    void this.store.set({ split: event.value as UsageSplit });
  }
}
