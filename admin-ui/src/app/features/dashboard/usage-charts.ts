import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { type EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective, provideEchartsCore } from 'ngx-echarts';

import { type BreakdownItemDto } from '../../api/models/breakdown-item-dto';
import { type DashboardTimeseriesResponseDto } from '../../api/models/dashboard-timeseries-response-dto';
import { ThemeStore } from '../../core/theme/theme.store';

/** `2026-12-06T08:00:00.000Z` → `12/6 08:00` (hourly) or `12/6` (daily), in local time. */
export function bucketLabel(iso: string, interval: 'hour' | 'day'): string {
  const d = new Date(iso);
  const day = `${d.getMonth() + 1}/${d.getDate()}`;
  return interval === 'day' ? day : `${day} ${String(d.getHours()).padStart(2, '0')}:00`;
}

function total(series: DashboardTimeseriesResponseDto | null): number[] {
  return series?.series[0]?.values ?? [];
}

/**
 * The dashboard's charts (Apache ECharts through ngx-echarts). ECharts itself is imported only
 * when this component renders, so it stays out of every other page's bundle.
 */
@Component({
  selector: 'app-usage-charts',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NgxEchartsDirective],
  providers: [provideEchartsCore({ echarts: () => import('./echarts-setup').then((m) => m.echarts) })],
  template: `
    <div class="charts">
      <figure>
        <figcaption>Cost and baseline (USD)</figcaption>
        <div
          class="chart"
          echarts
          [options]="costChart()"
          [theme]="theme()"
          role="img"
          aria-label="Line chart of the actual cost and the baseline cost over the range"
        ></div>
      </figure>
      <figure>
        <figcaption>Requests and errors</figcaption>
        <div
          class="chart"
          echarts
          [options]="trafficChart()"
          [theme]="theme()"
          role="img"
          aria-label="Bar chart of requests and errors over the range"
        ></div>
      </figure>
      <figure>
        <figcaption>Model mix (requests)</figcaption>
        <div
          class="chart clickable"
          echarts
          [options]="modelChart()"
          [theme]="theme()"
          (chartClick)="clicked('model', $event)"
          role="img"
          aria-label="Pie chart of requests per model"
        ></div>
      </figure>
      <figure>
        <figcaption>Tier mix (requests)</figcaption>
        <div
          class="chart clickable"
          echarts
          [options]="tierChart()"
          [theme]="theme()"
          (chartClick)="clicked('tier', $event)"
          role="img"
          aria-label="Bar chart of requests per tier"
        ></div>
      </figure>
    </div>
  `,
  styles: `
    .charts {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(min(100%, 420px), 1fr));
      gap: 16px;
    }
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
      height: 260px;
      width: 100%;
    }
    .chart.clickable {
      cursor: pointer;
    }
  `,
})
export class UsageCharts {
  readonly cost = input<DashboardTimeseriesResponseDto | null>(null);
  readonly baseline = input<DashboardTimeseriesResponseDto | null>(null);
  readonly requests = input<DashboardTimeseriesResponseDto | null>(null);
  readonly errors = input<DashboardTimeseriesResponseDto | null>(null);
  readonly models = input<readonly BreakdownItemDto[]>([]);
  readonly tiers = input<readonly BreakdownItemDto[]>([]);
  /** A model slice or tier bar was clicked (its label): the dashboard opens the log filtered to it. */
  readonly itemClick = output<{ dimension: 'model' | 'tier'; key: string }>();

  private readonly themeStore = inject(ThemeStore);
  /** ECharts' built-in dark theme in the console's dark mode; transparent so the card shows through. */
  protected readonly theme = computed(() => (this.themeStore.mode() === 'dark' ? 'dark' : ''));
  private readonly base = { backgroundColor: 'transparent', aria: { enabled: true }, animation: false };

  private readonly labels = computed(() => {
    const series = this.cost() ?? this.requests();
    return series ? series.buckets.map((b) => bucketLabel(b, series.interval)) : [];
  });

  protected clicked(dimension: 'model' | 'tier', event: { name?: unknown }): void {
    if (typeof event.name === 'string' && event.name) this.itemClick.emit({ dimension, key: event.name });
  }

  protected readonly costChart = computed<EChartsCoreOption>(() => ({
    ...this.base,
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 48, right: 16, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: this.labels() },
    yAxis: { type: 'value' },
    series: [
      { name: 'Actual', type: 'line', data: total(this.cost()), showSymbol: false, areaStyle: {} },
      {
        name: 'Baseline',
        type: 'line',
        data: total(this.baseline()),
        showSymbol: false,
        lineStyle: { type: 'dashed' },
      },
    ],
  }));

  protected readonly trafficChart = computed<EChartsCoreOption>(() => ({
    ...this.base,
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 48, right: 16, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: this.labels() },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: 'Requests', type: 'bar', data: total(this.requests()) },
      { name: 'Errors', type: 'bar', data: total(this.errors()) },
    ],
  }));

  protected readonly modelChart = computed<EChartsCoreOption>(() => ({
    ...this.base,
    tooltip: { trigger: 'item' },
    series: [
      {
        name: 'Requests',
        type: 'pie',
        radius: ['40%', '70%'],
        data: this.models().map((m) => ({ name: m.label, value: m.requests })),
      },
    ],
  }));

  protected readonly tierChart = computed<EChartsCoreOption>(() => ({
    ...this.base,
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 16, bottom: 32 },
    xAxis: { type: 'category', data: this.tiers().map((t) => t.label) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ name: 'Requests', type: 'bar', data: this.tiers().map((t) => t.requests) }],
  }));
}
