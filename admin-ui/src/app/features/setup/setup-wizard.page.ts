import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  Injector,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import { type MatStepper, MatStepperModule } from '@angular/material/stepper';
import { Router } from '@angular/router';

import { type CreateProviderDto } from '../../api/models/create-provider-dto';
import { AuthStore } from '../../core/auth/auth.store';
import {
  newPasswordValidators,
  PASSWORD_MIN_LENGTH,
  passwordsMatch,
  USERNAME_PATTERN,
} from '../../core/auth/password-rules';
import { applyServerErrors, controlError } from '../../core/http/form-errors';
import { AuthLayout } from '../../core/layout/auth-layout';
import { CopyButton } from '../../core/ui/copy-button';
import { ErrorBanner } from '../../core/ui/error-banner';
import { NewApiKey } from '../../shared/keys/new-api-key';
import { CheckLog } from '../providers/check-log';
import { ProviderForm } from '../providers/provider-form';
import { slugify, TENANT_SLUG_PATTERN } from '../tenants/tenants.store';
import { SetupWizardStore } from './setup-wizard.store';

/** First-run wizard: admin → provider (checked, discovered) → tenant and key → preset → done. */
@Component({
  selector: 'app-setup-wizard-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    AuthLayout,
    CheckLog,
    CopyButton,
    ErrorBanner,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatRadioModule,
    MatStepperModule,
    NewApiKey,
    ProviderForm,
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
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly stepper = viewChild.required<MatStepper>('stepper');

  protected readonly minLength = PASSWORD_MIN_LENGTH;
  protected readonly adminForm = this.fb.group(
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
  protected readonly tenantForm = this.fb.group({
    name: ['My team', [Validators.required, Validators.maxLength(100)]],
    slug: [
      'my-team',
      [Validators.required, Validators.maxLength(63), Validators.pattern(TENANT_SLUG_PATTERN)],
    ],
  });
  protected readonly keyStored = this.fb.control(false);
  protected readonly presetControl = this.fb.control('', [Validators.required]);
  private readonly slugEdited = signal(false);
  protected readonly unmatched = signal<string[]>([]);
  protected readonly tenantUnmatched = signal<string[]>([]);
  protected readonly providerDone = signal(false);
  protected readonly tenantDone = signal(false);
  protected readonly presetDone = signal(false);
  protected readonly controlError = controlError;
  protected readonly endpoint = computed(() => {
    const tenant = this.store.tenant();
    return tenant ? `${location.origin}${tenant.endpointPath}` : '';
  });
  protected readonly curlExample = computed(() => {
    const endpoint = this.endpoint();
    const model = this.store.discovery()?.added[0] ?? 'auto';
    return (
      `curl ${endpoint}/chat/completions \\\n` +
      `  -H "Authorization: Bearer $PRISM_API_KEY" -H "Content-Type: application/json" \\\n` +
      `  -d '{"model": "${model}", "messages": [{"role": "user", "content": "Hello"}]}'`
    );
  });

  constructor() {
    this.tenantForm.controls.name.valueChanges.pipe(takeUntilDestroyed()).subscribe((name) => {
      if (!this.slugEdited()) this.tenantForm.controls.slug.setValue(slugify(name));
    });
  }

  protected onSlugInput(): void {
    this.slugEdited.set(true);
  }

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

  protected async saveProvider(body: CreateProviderDto): Promise<void> {
    await this.store.saveProvider(body);
  }

  protected continueFromProvider(): void {
    this.providerDone.set(true);
    void this.store.loadPresets();
    this.next();
  }

  protected async applyPreset(): Promise<void> {
    this.presetControl.markAsTouched();
    if (this.presetControl.invalid || this.store.preset$.busy()) return;
    await this.store.applyPreset(this.presetControl.value);
  }

  protected continueFromPreset(): void {
    this.presetDone.set(true);
    this.next();
  }

  protected async createTenant(): Promise<void> {
    this.tenantForm.markAllAsTouched();
    if (this.tenantForm.invalid || this.store.tenant$.busy()) return;
    const { name, slug } = this.tenantForm.getRawValue();
    const ok = await this.store.createTenant(name.trim(), slug);
    const problem = this.store.tenant$.problem();
    if (!ok && problem) this.tenantUnmatched.set(applyServerErrors(this.tenantForm, problem));
  }

  protected continueFromTenant(): void {
    this.tenantDone.set(true);
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
