import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { type ApiKeyResponseDto } from '../../api/models/api-key-response-dto';
import { type UpdateApiKeyDto } from '../../api/models/update-api-key-dto';
import { applyServerErrors, controlError } from '../../core/http/form-errors';
import { DialogFormActions } from '../../core/ui/dialog-form-actions';
import { ErrorBanner } from '../../core/ui/error-banner';
import { KeyRateLimitFields, keyRateLimitGroup, keyRateLimitValue } from './key-rate-limit';
import { type KeysStore } from './keys.store';

export interface KeyEditData {
  key: ApiKeyResponseDto;
  store: KeysStore;
}

/** `2026-12-31` (a local date input) → the end of that day in UTC, as the server expects ISO 8601. */
export function expiryFromDate(date: string): string {
  return new Date(`${date}T23:59:59.000Z`).toISOString();
}

/** Relabel a key, move its expiry or set its own rate limit; the key itself does not change. */
@Component({
  selector: 'app-key-edit-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DialogFormActions,
    ErrorBanner,
    KeyRateLimitFields,
    MatCheckboxModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    ReactiveFormsModule,
  ],
  template: `
    <h2 mat-dialog-title>Edit key {{ data.key.prefix }}…</h2>
    <mat-dialog-content>
      <app-error-banner [problem]="data.store.edit$.problem()" [extra]="unmatched()" />
      <form id="key-edit-form" [formGroup]="form" (ngSubmit)="save()" novalidate>
        <mat-form-field>
          <mat-label>Label</mat-label>
          <input matInput formControlName="label" autocomplete="off" />
          @if (form.controls.label.invalid) {
            <mat-error>{{ controlError(form.controls.label, 'Label') }}</mat-error>
          }
        </mat-form-field>
        <mat-checkbox formControlName="never">Never expires</mat-checkbox>
        @if (!form.controls.never.value) {
          <mat-form-field>
            <mat-label>Expires on</mat-label>
            <input matInput type="date" formControlName="expiresAt" [min]="today" />
            <mat-hint>At the end of that day (UTC). The global key policy may set a maximum.</mat-hint>
            @if (form.controls.expiresAt.invalid) {
              <mat-error>{{ controlError(form.controls.expiresAt, 'Expiry') }}</mat-error>
            }
          </mat-form-field>
        }
        <fieldset>
          <legend>This key's own rate limit</legend>
          <p class="hint">Enforced besides the tenant's limit. Leave both empty to remove it.</p>
          <app-key-rate-limit-fields [group]="form.controls.rateLimit" />
        </fieldset>
      </form>
    </mat-dialog-content>
    <app-dialog-form-actions formId="key-edit-form" submitLabel="Save" [busy]="data.store.edit$.busy()" />
  `,
  styles: `
    form {
      display: flex;
      flex-direction: column;
      gap: 8px;
      min-width: min(420px, 80vw);
    }
    fieldset {
      display: flex;
      flex-direction: column;
      gap: 8px;
      border: 0;
      padding: 0;
      margin: 8px 0 0;
    }
    legend {
      font: var(--mat-sys-title-small);
      margin-bottom: 4px;
    }
    .hint {
      margin: 0 0 4px;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
  `,
})
export class KeyEditDialog {
  protected readonly data = inject<KeyEditData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<KeyEditDialog, ApiKeyResponseDto>>(MatDialogRef);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly controlError = controlError;
  protected readonly unmatched = signal<string[]>([]);
  protected readonly today = new Date().toISOString().slice(0, 10);
  protected readonly form = this.fb.group({
    label: [this.data.key.label, [Validators.maxLength(100)]],
    never: [this.data.key.expiresAt === null],
    expiresAt: [this.data.key.expiresAt?.slice(0, 10) ?? '', [Validators.required]],
    rateLimit: keyRateLimitGroup(this.fb, this.data.key.rateLimit),
  });

  constructor() {
    this.syncExpiry(this.form.controls.never.value);
    this.form.controls.never.valueChanges.pipe(takeUntilDestroyed()).subscribe((never) => {
      this.syncExpiry(never);
    });
  }

  protected async save(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.data.store.edit$.busy()) return;
    const { label, never, expiresAt } = this.form.getRawValue();
    const body: UpdateApiKeyDto = {
      label: label.trim(),
      expiresAt: never ? null : expiryFromDate(expiresAt),
      rateLimit: keyRateLimitValue(this.form.controls.rateLimit),
    };
    const result = await this.data.store.update(this.data.key, body);
    if (result.ok) this.ref.close(result.value);
    else this.unmatched.set(applyServerErrors(this.form, result.problem));
  }

  private syncExpiry(never: boolean): void {
    const control = this.form.controls.expiresAt;
    if (never) control.disable({ emitEvent: false });
    else control.enable({ emitEvent: false });
  }
}
