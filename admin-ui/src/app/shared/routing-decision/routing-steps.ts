import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { type RoutingStepDto } from '../../api/models/routing-step-dto';

/** What a step shows: its name in words. */
export const STEP_LABELS: Readonly<Record<RoutingStepDto['name'], string>> = {
  signals: 'Signals',
  strictness_gate: 'Strictness gate',
  fim_fast_path: 'Autocomplete fast path',
  rules: 'Rules',
  local_classifier: 'Local classifier',
  tier_model: 'Tier model',
  combine: 'Combine',
  llm_classifier: 'LLM classifier',
  overrides: 'Overrides',
  session_fill: 'Session fill',
  cost_mode: 'Cost mode',
  strictness: 'Strictness',
  selection: 'Model selection',
};

/** One line per key of a step's input or output; nested values as compact JSON. */
export function describeRecord(record: Readonly<Record<string, unknown>>): { key: string; value: string }[] {
  return Object.entries(record).map(([key, value]) => ({ key, value: describeValue(value) }));
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '—';
  return JSON.stringify(value);
}

let nextId = 0;

/** The steps of a routing decision (dry run or stored trace): input, output, confidence and time. */
@Component({
  selector: 'app-routing-steps',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DecimalPipe],
  template: `
    <section class="steps" [attr.aria-labelledby]="titleId">
      <h2 [id]="titleId">
        Steps <span class="muted">({{ totalMs() | number: '1.0-3' }} ms in total)</span>
      </h2>
      <table class="steps-table" aria-label="Routing steps">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Step</th>
            <th scope="col">Input</th>
            <th scope="col">Output</th>
            <th scope="col">Confidence</th>
            <th scope="col">Time</th>
          </tr>
        </thead>
        <tbody>
          @for (step of steps(); track $index; let i = $index) {
            <tr [class.skipped]="step.skipped">
              <td>{{ i + 1 }}</td>
              <th scope="row">
                {{ stepLabels[step.name] }}
                @if (step.skipped) {
                  <span class="muted">(skipped)</span>
                }
              </th>
              <td>
                <dl class="kv">
                  @for (entry of describe(step.input); track entry.key) {
                    <dt>{{ entry.key }}</dt>
                    <dd>{{ entry.value }}</dd>
                  }
                </dl>
              </td>
              <td>
                <dl class="kv">
                  @for (entry of describe(step.output); track entry.key) {
                    <dt>{{ entry.key }}</dt>
                    <dd>{{ entry.value }}</dd>
                  }
                </dl>
              </td>
              <td>{{ step.confidence === undefined ? '—' : (step.confidence | number: '1.2-2') }}</td>
              <td class="time">{{ step.durationUs / 1000 | number: '1.0-3' }} ms</td>
            </tr>
          }
        </tbody>
      </table>
    </section>
  `,
  styles: `
    .steps {
      margin-top: 24px;
    }
    h2 {
      font: var(--mat-sys-title-medium);
      margin: 0 0 12px;
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .steps-table {
      width: 100%;
      border-collapse: collapse;
      font: var(--mat-sys-body-medium);

      th,
      td {
        padding: 8px;
        text-align: left;
        vertical-align: top;
        border-bottom: 1px solid var(--mat-sys-outline-variant);
      }

      thead th {
        color: var(--mat-sys-on-surface-variant);
        font: var(--mat-sys-label-large);
      }

      tr.skipped {
        color: var(--mat-sys-on-surface-variant);
      }

      .time {
        white-space: nowrap;
      }
    }
    .kv {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 2px 8px;
      margin: 0;
      max-width: 420px;

      dt {
        color: var(--mat-sys-on-surface-variant);
      }

      dd {
        margin: 0;
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        font-size: 12px;
        overflow-wrap: anywhere;
      }
    }
  `,
})
export class RoutingSteps {
  readonly steps = input.required<readonly RoutingStepDto[]>();

  protected readonly titleId = `routing-steps-title-${String(nextId++)}`;
  protected readonly stepLabels = STEP_LABELS;
  protected readonly describe = describeRecord;
  protected readonly totalMs = computed(
    () => this.steps().reduce((sum, step) => sum + step.durationUs, 0) / 1000,
  );
}
