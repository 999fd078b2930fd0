import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';

import { type ProbeStepDto } from '../../api/models/probe-step-dto';

/** The step-by-step log of a connection check or discovery (request, status, latency, cause). */
@Component({
  selector: 'app-check-log',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatIconModule],
  template: `
    <ol class="log" [attr.aria-label]="label()">
      @for (step of steps(); track $index) {
        <li [class.failed]="!step.ok">
          <mat-icon
            [svgIcon]="step.ok ? 'check_circle' : 'error'"
            [attr.aria-label]="step.ok ? 'OK' : 'Failed'"
          />
          <div class="body">
            <div class="head">
              <strong>{{ step.action }}</strong>
              @if (step.method || step.url) {
                <code>{{ step.method }} {{ step.url }}</code>
              }
              @if (step.status != null) {
                <span class="chip">HTTP {{ step.status }}</span>
              }
              @if (step.latencyMs != null) {
                <span class="muted">{{ step.latencyMs }} ms</span>
              }
            </div>
            <div class="message">
              {{ step.message }}
              @if (step.cause) {
                <span class="muted">({{ step.cause }})</span>
              }
            </div>
          </div>
        </li>
      }
    </ol>
  `,
  styles: `
    .log {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: 8px;
      font: var(--mat-sys-body-medium);
    }
    li {
      display: flex;
      gap: 8px;
      align-items: flex-start;
    }
    mat-icon {
      flex: none;
      color: var(--mat-sys-primary);
    }
    li.failed mat-icon {
      color: var(--mat-sys-error);
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: baseline;
    }
    code {
      word-break: break-all;
    }
    .chip {
      font: var(--mat-sys-label-small);
      padding: 1px 6px;
      border-radius: 8px;
      background: var(--mat-sys-surface-container-high);
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class CheckLog {
  readonly steps = input.required<readonly ProbeStepDto[]>();
  readonly label = input('Check log');
}
