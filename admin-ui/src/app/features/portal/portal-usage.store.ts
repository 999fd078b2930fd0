import { computed, inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { portalUsageUsage, type PortalUsageUsage$Params } from '../../api/fn/portal/portal-usage-usage';
import { type PortalUsageResponseDto } from '../../api/models/portal-usage-response-dto';
import { AsyncTask } from '../../core/state/async-task';
import { intervalFor, rangeBounds, type RangeKey } from '../dashboard/analytics.store';

export type UsageSplit = NonNullable<PortalUsageUsage$Params['groupBy']>;
export type UsageMetric = 'costUsd' | 'requests' | 'tokens';

/** A tenant team's own usage (portal usage API): key figures and one series split as chosen. */
@Injectable()
export class PortalUsageStore {
  private readonly api = inject(Api);

  readonly load$ = new AsyncTask();
  readonly tenantId = signal<string | null>(null);
  readonly range = signal<Exclude<RangeKey, 'custom'>>('7d');
  readonly split = signal<UsageSplit>('model');
  readonly metric = signal<UsageMetric>('costUsd');
  readonly usage = signal<PortalUsageResponseDto | null>(null);
  readonly empty = computed(() => this.usage()?.summary.current.requests === 0);

  async load(): Promise<void> {
    const id = this.tenantId();
    if (!id) return;
    const bounds = rangeBounds({ key: this.range() });
    const result = await this.load$.run(() =>
      this.api.invoke(portalUsageUsage, {
        id,
        ...bounds,
        interval: intervalFor(bounds),
        metric: this.metric(),
        groupBy: this.split(),
      }),
    );
    if (result.ok) this.usage.set(result.value);
  }

  async set(change: {
    tenantId?: string;
    range?: Exclude<RangeKey, 'custom'>;
    split?: UsageSplit;
    metric?: UsageMetric;
  }): Promise<void> {
    if (change.tenantId) {
      this.tenantId.set(change.tenantId);
      this.usage.set(null);
    }
    if (change.range) this.range.set(change.range);
    if (change.split) this.split.set(change.split);
    if (change.metric) this.metric.set(change.metric);
    await this.load();
  }
}
