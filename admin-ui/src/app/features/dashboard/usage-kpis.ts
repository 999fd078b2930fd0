import { CurrencyPipe, DecimalPipe, PercentPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';

import { type UsageMeasuresDto } from '../../api/models/usage-measures-dto';
import { change } from './analytics.store';
import { figureLogQuery, type LogQuery, type LogScope } from './log-links';

export interface Kpi {
  label: string;
  value: number | null;
  format: 'usd' | 'number' | 'percent' | 'ms';
  /** Relative change from the previous period. */
  change: number | null;
  /** Whether a rise is good (requests, savings) or bad (cost, errors, latency). */
  riseIsGood: boolean;
  hint?: string;
  /** The request log behind the figure, when there is one. */
  log?: 'requests' | 'errors';
}

export function kpis(current: UsageMeasuresDto, previous: UsageMeasuresDto): Kpi[] {
  const tokens = (m: UsageMeasuresDto) => m.inputTokens + m.outputTokens;
  const kpi = (
    label: string,
    pick: (m: UsageMeasuresDto) => number | null,
    format: Kpi['format'],
    riseIsGood: boolean,
    hint?: string,
    log?: Kpi['log'],
  ): Kpi => {
    const now = pick(current);
    const before = pick(previous);
    return {
      label,
      value: now,
      format,
      change: now === null || before === null ? null : change(now, before),
      riseIsGood,
      ...(hint ? { hint } : {}),
      ...(log ? { log } : {}),
    };
  };
  return [
    kpi('Cost', (m) => m.costUsd, 'usd', false),
    kpi('Baseline cost', (m) => m.baselineCostUsd, 'usd', false, 'what the baseline model would have cost'),
    kpi('Saved', (m) => m.savedUsd, 'usd', true),
    kpi('Requests', (m) => m.requests, 'number', true, undefined, 'requests'),
    kpi('Errors', (m) => m.errors, 'number', false, undefined, 'errors'),
    kpi('Error rate', (m) => m.errorRate, 'percent', false),
    kpi('Tokens', tokens, 'number', true),
    kpi('Auto-routed', (m) => m.autoRoutedShare, 'percent', true),
    kpi('Latency p50', (m) => m.latencyMs.p50, 'ms', false),
    kpi('Latency p95', (m) => m.latencyMs.p95, 'ms', false),
    kpi('Latency p99', (m) => m.latencyMs.p99, 'ms', false),
    kpi('TTFT p50', (m) => m.ttftMs.p50, 'ms', false, 'time to first token, streams only'),
    kpi('TTFT p95', (m) => m.ttftMs.p95, 'ms', false, 'time to first token, streams only'),
  ];
}

/** The key figures of a range, each with its change from the previous period of equal length. */
@Component({
  selector: 'app-usage-kpis',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CurrencyPipe, DecimalPipe, PercentPipe, RouterLink],
  template: `
    <div class="kpis" role="list" aria-label="Key figures compared with the previous period">
      @for (k of kpis(); track k.label) {
        <div class="kpi" role="listitem" [attr.title]="k.hint ?? null">
          <div class="kpi-label">{{ k.label }}</div>
          <div class="kpi-value">
            @if (figureLog(k); as query) {
              <a
                class="figure-link"
                routerLink="/requests"
                [queryParams]="query"
                [attr.aria-label]="k.label + ': ' + (k.value | number: '1.0-0') + ', open in the request log'"
                >{{ k.value | number: '1.0-0' }}</a
              >
            } @else if (k.value === null) {
              —
            } @else if (k.format === 'usd') {
              {{ k.value | currency: 'USD' : 'symbol' : '1.2-2' }}
            } @else if (k.format === 'percent') {
              {{ k.value | percent: '1.0-1' }}
            } @else if (k.format === 'ms') {
              {{ k.value | number: '1.0-0' }} ms
            } @else {
              {{ k.value | number: '1.0-0' }}
            }
          </div>
          <div class="kpi-change" [class.good]="good(k) === true" [class.bad]="good(k) === false">
            @if (k.change === null) {
              no earlier data
            } @else {
              {{ k.change > 0 ? '+' : '' }}{{ k.change | percent: '1.0-0' }} vs previous
            }
          </div>
        </div>
      }
    </div>
  `,
  styles: `
    .kpis {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
      gap: 12px;
      margin: 8px 0 16px;
    }
    .kpi {
      padding: 12px;
      border-radius: var(--mat-sys-corner-medium);
      background: var(--mat-sys-surface-container);
    }
    .kpi-label {
      font: var(--mat-sys-label-medium);
      color: var(--mat-sys-on-surface-variant);
    }
    .kpi-value {
      font: var(--mat-sys-title-large);
    }
    .figure-link {
      color: inherit;
      text-decoration: underline dotted;
      text-underline-offset: 4px;
    }
    .kpi-change {
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
      &.good {
        color: var(--mat-sys-primary);
      }
      &.bad {
        color: var(--mat-sys-error);
      }
    }
  `,
})
export class UsageKpis {
  readonly current = input.required<UsageMeasuresDto>();
  readonly previous = input.required<UsageMeasuresDto>();
  /** When set, the request and error figures link into the request log of this range. */
  readonly logScope = input<LogScope | null>(null);

  protected readonly kpis = computed(() => kpis(this.current(), this.previous()));

  protected good(k: Kpi): boolean | null {
    if (k.change === null || k.change === 0) return null;
    return k.change > 0 === k.riseIsGood;
  }

  protected figureLog(k: Kpi): LogQuery | null {
    const scope = this.logScope();
    return scope && k.log ? figureLogQuery(k.log, scope) : null;
  }
}
