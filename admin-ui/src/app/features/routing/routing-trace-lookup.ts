import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  untracked,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog, MatDialogConfig } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';

import { type CategoryResponseDto } from '../../api/models/category-response-dto';
import { AuthStore } from '../../core/auth/auth.store';
import { controlError } from '../../core/http/form-errors';
import { ErrorBanner } from '../../core/ui/error-banner';
import { RoutingDecision } from '../../shared/routing-decision/routing-decision';
import { RoutingSteps } from '../../shared/routing-decision/routing-steps';
import { DecisionCorrectionDialog, type DecisionCorrectionData } from './decision-correction-dialog';
import { RoutingTraceStore, traceDecisionView } from './routing-trace.store';

/** Finds the routing trace of a production request and explains it like a dry run. */
@Component({
  selector: 'app-routing-trace-lookup',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ErrorBanner,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    ReactiveFormsModule,
    RoutingDecision,
    RoutingSteps,
  ],
  providers: [RoutingTraceStore],
  template: `
    <form class="lookup-form" [formGroup]="form" (ngSubmit)="submit()" novalidate aria-label="Trace lookup">
      <mat-form-field class="id-field">
        <mat-label>Request or trace id</mat-label>
        <input matInput formControlName="id" maxlength="200" autocomplete="off" />
        <mat-hint>The <code>x-request-id</code> a client saw, a request-log id or a trace id.</mat-hint>
        @if (form.controls.id.invalid) {
          <mat-error>{{ controlError(form.controls.id, 'Request or trace id') }}</mat-error>
        }
      </mat-form-field>
      <button mat-flat-button type="submit" [disabled]="store.lookup$.busy()">
        <mat-icon svgIcon="search" />
        Look up
      </button>
    </form>
    @if (store.lookup$.busy()) {
      <mat-progress-bar mode="indeterminate" aria-label="Looking up the trace" />
    }
    <app-error-banner [problem]="store.problem()" [retryable]="true" (retry)="retry()" />
    @if (store.notFound()) {
      <p class="notice" role="status">
        <mat-icon svgIcon="info" aria-hidden="true" />
        No routing trace for <code>{{ store.id() }}</code>. Only requests with model <code>auto</code> are
        traced, and traces are kept for a limited time.
      </p>
    }
    @if (store.trace(); as trace) {
      @if (trace.truncated) {
        <p class="notice" role="note">
          <mat-icon svgIcon="info" aria-hidden="true" />
          Step details were shortened when the trace was stored.
        </p>
      }
      @if (view(); as decision) {
        <app-routing-decision [decision]="decision" title="Routing decision" />
      }
      @if (auth.can('routing.write')) {
        <div class="correct">
          <button mat-stroked-button type="button" (click)="correct(trace.category, trace.tier)">
            <mat-icon svgIcon="auto_fix_high" />
            Correct this decision
          </button>
        </div>
      }
      <app-routing-steps [steps]="trace.steps" />
    }
  `,
  styles: `
    .lookup-form {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-start;
      gap: 8px 16px;
      max-width: 960px;
    }
    .id-field {
      flex: 1 1 360px;
    }
    .lookup-form button {
      margin-top: 8px;
    }
    .correct {
      margin: 12px 0;
    }
    .notice {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 8px 12px;
      border-radius: var(--mat-sys-corner-medium);
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
  `,
})
export class RoutingTraceLookup {
  /** An id to look up right away (the page's `?trace=` query parameter). */
  readonly initialId = input<string | undefined>(undefined);

  protected readonly store = inject(RoutingTraceStore);
  protected readonly controlError = controlError;
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly auth = inject(AuthStore);

  protected readonly form = inject(NonNullableFormBuilder).group({
    id: ['', [Validators.required, Validators.maxLength(200)]],
  });
  protected readonly view = computed(() => {
    const trace = this.store.trace();
    return trace ? traceDecisionView(trace) : null;
  });

  constructor() {
    effect(() => {
      const id = this.initialId()?.trim();
      if (!id) return;
      untracked(() => {
        if (id === this.store.id()) return;
        this.form.controls.id.setValue(id);
        void this.store.lookup(id);
      });
    });
  }

  protected submit(): void {
    this.form.markAllAsTouched();
    const id = this.form.controls.id.value.trim();
    if (!id) this.form.controls.id.setValue('');
    if (this.form.invalid || this.store.lookup$.busy()) return;
    void this.store.lookup(id);
    // The address names the trace, so the page can be shared or reloaded.
    void this.router.navigate([], { queryParams: { trace: id }, replaceUrl: true });
  }

  protected correct(category: string | null, tier: string): void {
    const config = new MatDialogConfig<DecisionCorrectionData>();
    config.data = { category, tier };
    this.dialog
      .open<DecisionCorrectionDialog, DecisionCorrectionData, CategoryResponseDto>(
        DecisionCorrectionDialog,
        config,
      )
      .afterClosed()
      .subscribe((updated) => {
        if (updated) this.snackBar.open(`Added as an example of ${updated.name}.`, 'OK', { duration: 5000 });
      });
  }

  protected retry(): void {
    const id = this.store.id();
    if (id) void this.store.lookup(id);
  }
}
