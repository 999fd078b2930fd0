import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  inject,
  Injector,
  signal,
  viewChild,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { type MatStepper, MatStepperModule } from '@angular/material/stepper';
import { Router } from '@angular/router';

import { AuthStore } from '../../core/auth/auth.store';
import {
  newPasswordValidators,
  PASSWORD_MIN_LENGTH,
  passwordsMatch,
  USERNAME_PATTERN,
} from '../../core/auth/password-rules';
import { applyServerErrors, controlError } from '../../core/http/form-errors';
import { AuthLayout } from '../../core/layout/auth-layout';
import { ErrorBanner } from '../../core/ui/error-banner';
import { SetupWizardStore } from './setup-wizard.store';

/** First-run wizard: admin → provider → tenant and key → preset → done. */
@Component({
  selector: 'app-setup-wizard-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    AuthLayout,
    ErrorBanner,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatStepperModule,
    ReactiveFormsModule,
  ],
  providers: [SetupWizardStore],
  templateUrl: './setup-wizard.page.html',
  styleUrl: './setup-wizard.page.scss',
})
export class SetupWizardPage {
  protected readonly store = inject(SetupWizardStore);
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly stepper = viewChild.required<MatStepper>('stepper');

  protected readonly minLength = PASSWORD_MIN_LENGTH;
  protected readonly adminForm = inject(NonNullableFormBuilder).group(
    {
      username: [
        'admin',
        [
          Validators.required,
          Validators.minLength(3),
          Validators.maxLength(64),
          Validators.pattern(USERNAME_PATTERN),
        ],
      ],
      password: ['', newPasswordValidators],
      confirmPassword: ['', [Validators.required]],
    },
    { validators: [passwordsMatch('password', 'confirmPassword')] },
  );
  protected readonly unmatched = signal<string[]>([]);
  protected readonly providerDone = signal(false);
  protected readonly tenantDone = signal(false);
  protected readonly presetDone = signal(false);
  protected readonly controlError = controlError;

  protected async createAdmin(): Promise<void> {
    this.adminForm.markAllAsTouched();
    if (this.adminForm.invalid || this.store.busy()) return;
    const { username, password } = this.adminForm.getRawValue();
    const problem = await this.store.createAdmin(username.trim(), password);
    if (problem) {
      this.unmatched.set(applyServerErrors(this.adminForm, problem));
      return;
    }
    this.next();
  }

  protected skip(step: 'provider' | 'tenant' | 'preset'): void {
    if (step === 'provider') this.providerDone.set(true);
    if (step === 'tenant') this.tenantDone.set(true);
    if (step === 'preset') this.presetDone.set(true);
    this.next();
  }

  protected async finish(): Promise<void> {
    if (await this.store.finish()) return;
    await this.router.navigateByUrl(this.auth.homeUrl());
  }

  private next(): void {
    // A linear stepper only moves once the step's `completed` binding is rendered.
    afterNextRender(
      () => {
        this.stepper().next();
      },
      { injector: this.injector },
    );
  }
}
