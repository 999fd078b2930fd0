import { CurrencyPipe, DecimalPipe, PercentPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, type OnInit } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { type MatSelectChange, MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';

import { type BreakdownItemDto } from '../../api/models/breakdown-item-dto';
import { AuthStore } from '../../core/auth/auth.store';
import { TenantOptionsStore } from '../../core/tenants/tenant-options.store';
import { RangeSelect } from '../../shared/usage/range-select';
import { UsageStatus } from '../../shared/usage/usage-status';
import { AnalyticsStore, type Dimension, RANGE_PRESETS, type RangeKey } from './analytics.store';
import { breakdownLogQuery, type LogQuery } from './log-links';
import { UsageCharts } from './usage-charts';
import { UsageKpis } from './usage-kpis';

/** Spend, savings and traffic over a chosen range, compared with the period before it. */
@Component({
  selector: 'app-usage-overview',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    CurrencyPipe,
    DecimalPipe,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    PercentPipe,
    RangeSelect,
    ReactiveFormsModule,
    RouterLink,
    UsageCharts,
    UsageKpis,
    UsageStatus,
  ],
  providers: [AnalyticsStore],
  templateUrl: './usage-overview.html',
  styleUrl: './usage-overview.scss',
})
export class UsageOverview implements OnInit {
  protected readonly store = inject(AnalyticsStore);
  protected readonly auth = inject(AuthStore);
  protected readonly tenants = inject(TenantOptionsStore);

  protected readonly presets = RANGE_PRESETS;
  protected readonly custom = inject(NonNullableFormBuilder).group({ from: [''], to: [''] });
  private readonly router = inject(Router);
  /** Figures link into the request log only for roles that may read it. */
  protected readonly linksToLog = computed(
    () => this.auth.can('requests.read') && !this.auth.isTenantScoped(),
  );
  protected readonly top = computed(() => {
    const b = this.store.breakdowns();
    const lists: { title: string; dimension: Dimension; items: BreakdownItemDto[] }[] = [
      { title: 'Top tenants', dimension: 'tenant', items: b.tenant ?? [] },
      { title: 'Top models', dimension: 'model', items: b.model ?? [] },
      { title: 'Top users', dimension: 'user', items: b.user ?? [] },
      { title: 'Top keys', dimension: 'key', items: b.key ?? [] },
      { title: 'Top categories', dimension: 'category', items: b.category ?? [] },
      { title: 'Errors by type', dimension: 'errorType', items: b.errorType ?? [] },
    ];
    return lists.filter((list) => list.items.length > 0);
  });

  ngOnInit(): void {
    void this.tenants.load();
    void this.store.load();
  }

  protected onRange(value: string): void {
    const key = value as RangeKey;
    if (key !== 'custom') void this.store.setRange({ key });
    else this.store.range.set({ key });
  }

  protected applyCustom(): void {
    const { from, to } = this.custom.getRawValue();
    if (from && to && from <= to) void this.store.setRange({ key: 'custom', from, to });
  }

  protected onTenant(event: MatSelectChange): void {
    void this.store.setTenant(typeof event.value === 'string' ? event.value : '');
  }

  /** The request log filtered to one breakdown row; null = no link. */
  protected itemLog(dimension: Dimension, item: BreakdownItemDto): LogQuery | null {
    const scope = this.store.scope();
    return scope && this.linksToLog() ? breakdownLogQuery(dimension, item, scope) : null;
  }

  /** A click on a chart's slice or bar opens the log filtered to it (the tables offer the same by keyboard). */
  protected openChartItem(event: { dimension: Dimension; key: string }): void {
    const item = this.store
      .breakdowns()
      [event.dimension]?.find((i) => i.label === event.key || i.key === event.key);
    const query = item ? this.itemLog(event.dimension, item) : null;
    if (query) void this.router.navigate(['/requests'], { queryParams: query });
  }
}
