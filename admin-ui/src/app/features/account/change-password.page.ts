import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router, RouterLink } from '@angular/router';

import { AuthStore } from '../../core/auth/auth.store';
import { newPasswordValidators, PASSWORD_MIN_LENGTH, passwordsMatch } from '../../core/auth/password-rules';
import { type ApiProblem } from '../../core/http/api-problem';
import { applyServerErrors, controlError } from '../../core/http/form-errors';
import { AuthLayout } from '../../core/layout/auth-layout';
import { ErrorBanner } from '../../core/ui/error-banner';
import { PageHeader } from '../../core/ui/page-header';

/**
 * Password change. `forced` (route data) is the variant shown, without the sidebar, to users who
 * must change their password before doing anything else. The server signs out every other session
 * of the user and keeps this one.
 */
@Component({
  selector: 'app-change-password-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    AuthLayout,
    ErrorBanner,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    NgTemplateOutlet,
    PageHeader,
    ReactiveFormsModule,
    RouterLink,
  ],
  templateUrl: './change-password.page.html',
  styleUrl: './change-password.page.scss',
})
export class ChangePasswordPage {
  protected readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly snackBar = inject(MatSnackBar);
  readonly forced = input(false);

  protected readonly minLength = PASSWORD_MIN_LENGTH;
  protected readonly form = inject(NonNullableFormBuilder).group(
    {
      currentPassword: ['', [Validators.required]],
      newPassword: ['', newPasswordValidators],
      confirmPassword: ['', [Validators.required]],
    },
    { validators: [passwordsMatch('newPassword', 'confirmPassword')] },
  );
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly unmatched = signal<string[]>([]);
  protected readonly controlError = controlError;

  protected async submit(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.auth.busy()) return;
    const { currentPassword, newPassword } = this.form.getRawValue();
    if (currentPassword === newPassword) {
      this.form.controls.newPassword.setErrors({
        message: 'The new password must differ from the current one.',
      });
      return;
    }
    this.problem.set(null);
    const problem = await this.auth.changePassword(currentPassword, newPassword);
    if (!problem) {
      this.snackBar.open('Password changed. Other sessions of your account were signed out.', 'OK', {
        duration: 6000,
      });
      await this.router.navigateByUrl(this.auth.homeUrl());
      return;
    }
    this.unmatched.set(applyServerErrors(this.form, problem));
    this.problem.set(problem);
  }
}
