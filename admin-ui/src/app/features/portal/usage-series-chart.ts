import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { type EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective, provideEchartsCore } from 'ngx-echarts';

import { type DashboardTimeseriesResponseDto } from '../../api/models/dashboard-timeseries-response-dto';
import { ThemeStore } from '../../core/theme/theme.store';
import { bucketLabel } from '../dashboard/usage-charts';

/** One usage series over time, stacked per group (ECharts, loaded with the page only). */
@Component({
  selector: 'app-usage-series-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NgxEchartsDirective],
  providers: [
    provideEchartsCore({ echarts: () => import('../dashboard/echarts-setup').then((m) => m.echarts) }),
  ],
  template: `
    <figure>
      <figcaption>{{ caption() }}</figcaption>
      <div
        class="chart"
        echarts
        [options]="options()"
        [theme]="theme()"
        role="img"
        [attr.aria-label]="'Stacked bar chart: ' + caption()"
      ></div>
    </figure>
  `,
  styles: `
    figure {
      margin: 0;
      padding: 12px;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: var(--mat-sys-corner-medium);
      min-width: 0;
    }
    figcaption {
      font: var(--mat-sys-title-small);
      margin-bottom: 4px;
    }
    .chart {
      height: 280px;
      width: 100%;
    }
  `,
})
export class UsageSeriesChart {
  readonly series = input.required<DashboardTimeseriesResponseDto>();
  readonly caption = input.required<string>();

  private readonly themeStore = inject(ThemeStore);
  protected readonly theme = computed(() => (this.themeStore.mode() === 'dark' ? 'dark' : ''));

  protected readonly options = computed<EChartsCoreOption>(() => {
    const s = this.series();
    return {
      backgroundColor: 'transparent',
      aria: { enabled: true },
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0, type: 'scroll' },
      grid: { left: 56, right: 16, top: 16, bottom: 56 },
      xAxis: { type: 'category', data: s.buckets.map((b) => bucketLabel(b, s.interval)) },
      yAxis: { type: 'value' },
      series: s.series.map((line) => ({ name: line.label, type: 'bar', stack: 'total', data: line.values })),
    };
  });
}
