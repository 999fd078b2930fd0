import { CurrencyPipe, DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';

import { type RuleSetDto } from '../../api/models/rule-set-dto';
import { controlError } from '../../core/http/form-errors';
import { EmptyState } from '../../core/ui/empty-state';
import { ErrorBanner } from '../../core/ui/error-banner';
import { RoutingReplayStore } from './routing-replay.store';

/** Server rule (RoutingReplayDto.limit). */
export const REPLAY_MAX = 1000;

/**
 * "What if": replays the newest auto-routed requests through the rule set being edited (unsaved)
 * and shows what would change, before and after.
 */
@Component({
  selector: 'app-routing-replay-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    CurrencyPipe,
    DatePipe,
    DecimalPipe,
    EmptyState,
    ErrorBanner,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    ReactiveFormsModule,
  ],
  providers: [RoutingReplayStore],
  template: `
    <form class="row" [formGroup]="form" (ngSubmit)="replay()" novalidate aria-label="Replay history">
      <mat-form-field>
        <mat-label>Newest requests to replay</mat-label>
        <input matInput type="number" formControlName="limit" min="1" [max]="max" />
        @if (form.controls.limit.invalid) {
          <mat-error>{{ controlError(form.controls.limit, 'Requests') }}</mat-error>
        }
      </mat-form-field>
      <button mat-stroked-button type="submit" [disabled]="store.replay$.busy()">
        <mat-icon svgIcon="history" />
        Replay with these rules
      </button>
    </form>
    <p class="muted">
      {{ tenant() ? 'Requests of this tenant' : "Every tenant's requests" }} are routed again with the form's
      rules (saved or not). Nothing is changed.
    </p>
    <app-error-banner [problem]="store.replay$.problem()" />
    @if (store.replay$.busy()) {
      <mat-progress-bar mode="indeterminate" aria-label="Replaying requests" />
    }
    @if (store.result(); as r) {
      @if (r.replayed === 0) {
        <app-empty-state
          icon="history"
          title="Nothing to replay"
          message="No auto-routed requests with a stored trace yet. Send requests with model auto first."
        />
      } @else {
        <dl class="facts" aria-label="Replay summary">
          <div>
            <dt>Replayed</dt>
            <dd>{{ r.replayed }}{{ r.skipped ? ' (' + r.skipped + ' skipped)' : '' }}</dd>
          </div>
          <div>
            <dt>Tier up / same / down</dt>
            <dd>{{ r.tierUp }} / {{ r.tierSame }} / {{ r.tierDown }}</dd>
          </div>
          <div>
            <dt>Model changed</dt>
            <dd>{{ r.modelChanged }}</dd>
          </div>
          <div>
            <dt>Category changed</dt>
            <dd>{{ r.categoryChanged }}</dd>
          </div>
          <div>
            <dt>Cost before → after</dt>
            <dd>
              {{ r.cost.originalUsd | currency: 'USD' : 'symbol' : '1.2-4' }} →
              {{ r.cost.proposedUsd | currency: 'USD' : 'symbol' : '1.2-4' }}
              @if (r.cost.changePct !== null) {
                ({{ r.cost.changePct > 0 ? '+' : '' }}{{ r.cost.changePct | number: '1.0-1' }} %)
              }
            </dd>
          </div>
        </dl>
        @if (r.changes.length === 0) {
          <p role="status">No request would be routed differently.</p>
        } @else {
          <div class="table-wrap">
            <table class="plain" aria-label="Before and after">
              <thead>
                <tr>
                  <th scope="col">Request</th>
                  <th scope="col">When</th>
                  <th scope="col">Tier before → after</th>
                  <th scope="col">Category before → after</th>
                  <th scope="col">Model before → after</th>
                </tr>
              </thead>
              <tbody>
                @for (c of r.changes; track c.requestId) {
                  <tr>
                    <td>
                      <code>{{ c.requestId }}</code>
                    </td>
                    <td>{{ c.timestamp | date: 'short' }}</td>
                    <td [class.changed]="c.fromTier !== c.toTier">{{ c.fromTier }} → {{ c.toTier }}</td>
                    <td [class.changed]="c.fromCategory !== c.toCategory">
                      {{ c.fromCategory ?? '—' }} → {{ c.toCategory ?? '—' }}
                    </td>
                    <td [class.changed]="c.fromModel !== c.toModel">
                      {{ c.fromModel ?? '—' }} → {{ c.toModel ?? '—' }}
                    </td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        }
        @for (note of r.notes; track $index) {
          <p class="muted">{{ note }}</p>
        }
      }
    }
  `,
  styles: `
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 12px;
      align-items: flex-start;
    }
    .row button {
      margin-top: 8px;
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .facts {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 24px;
      margin: 8px 0;
    }
    .facts dt {
      font: var(--mat-sys-label-medium);
      color: var(--mat-sys-on-surface-variant);
    }
    .facts dd {
      margin: 0;
      font: var(--mat-sys-title-small);
    }
    .table-wrap {
      overflow-x: auto;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: var(--mat-sys-corner-medium);
    }
    table.plain {
      width: 100%;
      border-collapse: collapse;
      font: var(--mat-sys-body-medium);
    }
    table.plain th,
    table.plain td {
      padding: 6px 10px;
      text-align: left;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .changed {
      font-weight: 600;
      color: var(--mat-sys-primary);
    }
  `,
})
export class RoutingReplayPanel {
  /** The rule set as the form holds it now. */
  readonly ruleSet = input.required<() => RuleSetDto>();
  /** Tenant id or slug whose requests are replayed; '' = every tenant's. */
  readonly tenant = input('');

  protected readonly store = inject(RoutingReplayStore);
  protected readonly controlError = controlError;
  protected readonly max = REPLAY_MAX;
  protected readonly form = inject(NonNullableFormBuilder).group({
    limit: [100, [Validators.required, Validators.min(1), Validators.max(REPLAY_MAX)]],
  });

  protected replay(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.store.replay$.busy()) return;
    const tenant = this.tenant();
    void this.store.replay({
      limit: this.form.controls.limit.value,
      ruleSet: this.ruleSet()(),
      ...(tenant ? { tenant } : {}),
    });
  }
}
