import { ChangeDetectionStrategy, Component, inject, input, type OnInit, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatExpansionModule } from '@angular/material/expansion';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';

import { applyServerErrors, controlError } from '../../core/http/form-errors';
import { ErrorBanner } from '../../core/ui/error-banner';
import { KeyPolicyStore } from './key-policy.store';

/** Server rule for `maxLifetimeDays` (KeyPolicyDto): whole days, 0 = no maximum. */
export const MAX_KEY_LIFETIME_DAYS = 3650;

/** The global API key policy, collapsed under the tenant list. */
@Component({
  selector: 'app-key-policy-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ErrorBanner,
    MatButtonModule,
    MatExpansionModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    ReactiveFormsModule,
  ],
  providers: [KeyPolicyStore],
  template: `
    <mat-expansion-panel (opened)="open()">
      <mat-expansion-panel-header>
        <mat-panel-title>API key policy</mat-panel-title>
        <mat-panel-description>Longest lifetime any tenant's key may have</mat-panel-description>
      </mat-expansion-panel-header>
      <app-error-banner [problem]="store.load$.problem()" [retryable]="true" (retry)="store.load()" />
      @if (store.load$.busy()) {
        <mat-progress-bar mode="indeterminate" aria-label="Loading the key policy" />
      }
      @if (store.policy()) {
        <app-error-banner [problem]="store.save$.problem()" [extra]="unmatched()" />
        <form [formGroup]="form" (ngSubmit)="save()" novalidate aria-label="API key policy">
          <mat-form-field>
            <mat-label>Maximum key lifetime (days)</mat-label>
            <input matInput type="number" min="0" [max]="maxDays" formControlName="maxLifetimeDays" />
            <mat-hint>0 = no maximum. New keys, rotations and expiry changes must stay within it.</mat-hint>
            @if (form.controls.maxLifetimeDays.invalid) {
              <mat-error>{{ controlError(form.controls.maxLifetimeDays, 'Maximum lifetime') }}</mat-error>
            }
          </mat-form-field>
          @if (canWrite()) {
            <button mat-flat-button type="submit" [disabled]="store.save$.busy()">Save policy</button>
          }
        </form>
      }
    </mat-expansion-panel>
  `,
  styles: `
    form {
      display: flex;
      flex-wrap: wrap;
      gap: 12px;
      align-items: flex-start;
    }
    mat-form-field {
      flex: 1 1 260px;
      max-width: 420px;
    }
    button {
      margin-top: 8px;
    }
  `,
})
export class KeyPolicyPanel implements OnInit {
  readonly canWrite = input(false);
  protected readonly store = inject(KeyPolicyStore);
  private readonly snackBar = inject(MatSnackBar);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly controlError = controlError;
  protected readonly maxDays = MAX_KEY_LIFETIME_DAYS;
  protected readonly unmatched = signal<string[]>([]);
  protected readonly form = this.fb.group({
    maxLifetimeDays: [0, [Validators.required, Validators.min(0), Validators.max(MAX_KEY_LIFETIME_DAYS)]],
  });
  private opened = false;

  ngOnInit(): void {
    if (!this.canWrite()) this.form.disable();
  }

  protected async open(): Promise<void> {
    if (this.opened) return;
    this.opened = true;
    await this.store.load();
    const policy = this.store.policy();
    if (policy) this.form.reset({ maxLifetimeDays: policy.maxLifetimeDays });
  }

  protected async save(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.store.save$.busy()) return;
    const result = await this.store.save(this.form.getRawValue());
    if (result.ok) {
      this.unmatched.set([]);
      this.snackBar.open('Key policy saved.', 'OK', { duration: 4000 });
    } else {
      this.unmatched.set(applyServerErrors(this.form, result.problem));
    }
  }
}
