import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { type UserResponseDto } from '../../api/models/user-response-dto';
import { newPasswordValidators, PASSWORD_MIN_LENGTH } from '../../core/auth/password-rules';
import { applyServerErrors, controlError } from '../../core/http/form-errors';
import { DialogFormActions } from '../../core/ui/dialog-form-actions';
import { ErrorBanner } from '../../core/ui/error-banner';
import { type UsersStore } from './users.store';

export interface ResetPasswordDialogData {
  store: UsersStore;
  user: UserResponseDto;
}

/** Sets a new password for a local user; their sessions end. */
@Component({
  selector: 'app-reset-password-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DialogFormActions,
    ErrorBanner,
    MatCheckboxModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    ReactiveFormsModule,
  ],
  template: `
    <h2 mat-dialog-title>Reset password of {{ data.user.username }}</h2>
    <mat-dialog-content>
      <p>Their current sessions end immediately.</p>
      <app-error-banner [problem]="data.store.save$.problem()" [extra]="unmatched()" />
      <form id="reset-form" [formGroup]="form" (ngSubmit)="save()" novalidate>
        <mat-form-field>
          <mat-label>New password</mat-label>
          <input matInput type="password" formControlName="password" autocomplete="new-password" required />
          <mat-hint>At least {{ minLength }} characters.</mat-hint>
          @if (form.controls.password.invalid) {
            <mat-error>{{ controlError(form.controls.password, 'Password') }}</mat-error>
          }
        </mat-form-field>
        <mat-checkbox formControlName="mustChangePassword"
          >Must choose a new password at next sign-in</mat-checkbox
        >
      </form>
    </mat-dialog-content>
    <app-dialog-form-actions
      formId="reset-form"
      submitLabel="Reset password"
      [busy]="data.store.save$.busy()"
    />
  `,
  styles: `
    form {
      display: flex;
      flex-direction: column;
      gap: 8px;
      min-width: min(420px, 80vw);
    }
  `,
})
export class ResetPasswordDialog {
  protected readonly data = inject<ResetPasswordDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<ResetPasswordDialog, boolean>>(MatDialogRef);
  protected readonly minLength = PASSWORD_MIN_LENGTH;
  protected readonly controlError = controlError;
  protected readonly unmatched = signal<string[]>([]);
  protected readonly form = inject(NonNullableFormBuilder).group({
    password: ['', newPasswordValidators],
    mustChangePassword: [true],
  });

  protected async save(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const { password, mustChangePassword } = this.form.getRawValue();
    const result = await this.data.store.resetPassword(this.data.user.id, password, mustChangePassword);
    if (result.ok) this.ref.close(true);
    else this.unmatched.set(applyServerErrors(this.form, result.problem));
  }
}
