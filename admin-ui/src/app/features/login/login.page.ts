import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router } from '@angular/router';

import { AuthStore } from '../../core/auth/auth.store';
import { controlError } from '../../core/http/form-errors';
import { AuthLayout } from '../../core/layout/auth-layout';
import { SetupStatusStore } from '../../core/setup/setup-status.store';
import { ErrorBanner } from '../../core/ui/error-banner';

const NOTICES = {
  expired: 'Your session has expired. Please sign in again.',
  'signed-out': 'You have signed out.',
  renew: 'Sign in again to start a new session; you return to the page you were on.',
} as const;

/** Only same-site paths are followed after login (never `//evil.example`). */
export function safeReturnUrl(value: string | undefined): string | null {
  if (!value?.startsWith('/') || value.startsWith('//') || value.startsWith('/login')) return null;
  return value;
}

@Component({
  selector: 'app-login-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    AuthLayout,
    ErrorBanner,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    ReactiveFormsModule,
  ],
  templateUrl: './login.page.html',
  styleUrl: './login.page.scss',
})
export class LoginPage {
  protected readonly auth = inject(AuthStore);
  protected readonly setup = inject(SetupStatusStore);
  private readonly router = inject(Router);

  /** Bound from the `returnUrl` query parameter. */
  readonly returnUrl = input<string>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    username: ['', [Validators.required]],
    password: ['', [Validators.required]],
  });
  protected readonly hidePassword = signal(true);
  protected readonly notice = computed(() => {
    const reason = this.auth.logoutReason();
    return reason ? NOTICES[reason] : null;
  });
  protected readonly controlError = controlError;

  protected async submit(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.auth.busy()) return;
    const { username, password } = this.form.getRawValue();
    if (!(await this.auth.login(username.trim(), password))) {
      this.form.controls.password.reset();
      return;
    }
    const target = this.auth.mustChangePassword()
      ? '/change-password'
      : (safeReturnUrl(this.returnUrl()) ?? this.auth.homeUrl());
    await this.router.navigateByUrl(target);
  }
}
