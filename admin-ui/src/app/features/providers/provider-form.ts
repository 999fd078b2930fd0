import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatExpansionModule } from '@angular/material/expansion';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';

import { type CreateProviderDto } from '../../api/models/create-provider-dto';
import { type ProviderAuthDto } from '../../api/models/provider-auth-dto';
import { type ProviderOptionsDto } from '../../api/models/provider-options-dto';
import { type ProviderResponseDto } from '../../api/models/provider-response-dto';
import { type ApiProblem } from '../../core/http/api-problem';
import { applyServerErrors, controlError } from '../../core/http/form-errors';
import { urlValidator } from '../../core/http/validators';
import { ErrorBanner } from '../../core/ui/error-banner';
import {
  AUTH_LABELS,
  type AuthType,
  type AzureApiType,
  baseUrlWarning,
  PROVIDER_TYPE_CHOICES,
  PROVIDER_TYPES,
  type ProviderType,
  SECRET_MASK,
} from './provider-types';

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;
const DEPLOYMENTS_PATTERN = /^\s*[A-Za-z0-9._-]{1,64}(\s*,\s*[A-Za-z0-9._-]{1,64})*\s*$/;

/**
 * The provider editor, with the fields each type needs. Stored secrets are never shown: the
 * server sends a mask, and leaving the field empty keeps the stored secret.
 */
@Component({
  selector: 'app-provider-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ErrorBanner,
    MatButtonModule,
    MatCheckboxModule,
    MatExpansionModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ReactiveFormsModule,
  ],
  templateUrl: './provider-form.html',
  styleUrl: './provider-form.scss',
})
export class ProviderForm {
  /** The provider being edited; null to create one. */
  readonly provider = input<ProviderResponseDto | null>(null);
  readonly problem = input<ApiProblem | null>(null);
  readonly busy = input(false);
  readonly submitLabel = input('Save');
  readonly formId = input('provider-form');
  /** Hides the submit button when the host renders its own (dialogs). */
  readonly showSubmit = input(true);
  readonly save = output<CreateProviderDto>();

  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly types = PROVIDER_TYPE_CHOICES;
  protected readonly authLabels = AUTH_LABELS;
  protected readonly controlError = controlError;
  protected readonly unmatched = signal<string[]>([]);

  protected readonly form = this.fb.group({
    name: ['', [Validators.required, Validators.maxLength(100)]],
    type: this.fb.control<ProviderType>('openai', [Validators.required]),
    baseUrl: ['', [Validators.maxLength(500), urlValidator]],
    enabled: [true],
    auth: this.fb.group({
      type: this.fb.control<AuthType>('api_key'),
      apiKey: ['', [Validators.maxLength(4096)]],
      removeSecret: [false],
      accessKeyId: ['', [Validators.maxLength(256)]],
      secretAccessKey: ['', [Validators.maxLength(1024)]],
      sessionToken: ['', [Validators.maxLength(4096)]],
    }),
    options: this.fb.group({
      apiVersion: ['', [Validators.maxLength(50)]],
      deployments: ['', [Validators.pattern(DEPLOYMENTS_PATTERN)]],
      apiType: this.fb.control<AzureApiType>('chat'),
      region: ['', [Validators.pattern(REGION_PATTERN)]],
      httpProxy: ['', [urlValidator]],
      skipTlsVerify: [false],
      timeoutMs: this.fb.control<number | null>(null, [Validators.min(1000), Validators.max(600000)]),
    }),
  });

  private readonly type = toSignal(this.form.controls.type.valueChanges, {
    initialValue: this.form.controls.type.value,
  });
  private readonly authType = toSignal(this.form.controls.auth.controls.type.valueChanges, {
    initialValue: this.form.controls.auth.controls.type.value,
  });
  private readonly baseUrl = toSignal(this.form.controls.baseUrl.valueChanges, { initialValue: '' });
  protected readonly info = computed(() => PROVIDER_TYPES[this.type()]);
  protected readonly showSecret = computed(
    () => this.authType() === 'api_key' || this.authType() === 'bearer',
  );
  protected readonly showAws = computed(() => this.authType() === 'aws_credentials');
  protected readonly urlWarning = computed(() => baseUrlWarning(this.baseUrl()));
  /** Editing a provider that already has a stored secret: an empty field keeps it. */
  protected readonly hasStoredSecret = computed(() => this.provider()?.hasCredentials === true);

  constructor() {
    effect(() => {
      const provider = this.provider();
      if (provider) this.fill(provider);
    });
    effect(() => {
      const problem = this.problem();
      this.unmatched.set(problem ? applyServerErrors(this.form, problem) : []);
    });
    this.form.controls.type.valueChanges.pipe(takeUntilDestroyed()).subscribe((type) => {
      this.onTypeChange(type);
    });
  }

  protected submit(): void {
    this.form.markAllAsTouched();
    this.validateRequired();
    if (this.form.invalid || this.busy()) return;
    this.save.emit(this.toDto());
  }

  /** The create/update body; for updates the server ignores `slug`. */
  toDto(): CreateProviderDto {
    const value = this.form.getRawValue();
    const info = PROVIDER_TYPES[value.type];
    const auth: ProviderAuthDto = { type: value.auth.type };
    if (value.auth.type === 'api_key' || value.auth.type === 'bearer') {
      const key = value.auth.apiKey.trim();
      if (key) auth.apiKey = key;
      else if (value.auth.removeSecret) auth.apiKey = '';
      else if (this.hasStoredSecret()) auth.apiKey = SECRET_MASK;
    }
    if (value.auth.type === 'aws_credentials') {
      if (value.auth.accessKeyId.trim()) auth.accessKeyId = value.auth.accessKeyId.trim();
      auth.secretAccessKey = value.auth.secretAccessKey || (this.hasStoredSecret() ? SECRET_MASK : '');
      if (value.auth.sessionToken) auth.sessionToken = value.auth.sessionToken;
    }
    const options: ProviderOptionsDto = { skipTlsVerify: value.options.skipTlsVerify };
    if (info.fields.includes('apiVersion') && value.options.apiVersion.trim()) {
      options.apiVersion = value.options.apiVersion.trim();
    }
    if (info.fields.includes('deployments') && value.options.deployments.trim()) {
      options.deployments = value.options.deployments
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean);
    }
    if (info.fields.includes('apiType')) options.apiType = value.options.apiType;
    if (info.fields.includes('region') && value.options.region.trim())
      options.region = value.options.region.trim();
    if (value.options.httpProxy.trim()) options.httpProxy = value.options.httpProxy.trim();
    if (value.options.timeoutMs != null) options.timeoutMs = value.options.timeoutMs;
    return {
      name: value.name.trim(),
      type: value.type,
      enabled: value.enabled,
      ...(value.baseUrl.trim() ? { baseUrl: value.baseUrl.trim().replace(/\/+$/, '') } : {}),
      auth,
      options,
    };
  }

  protected fixBaseUrl(): void {
    this.form.controls.baseUrl.setValue(this.form.controls.baseUrl.value.trim().replace(/\/v1\/?$/, ''));
  }

  private onTypeChange(type: ProviderType): void {
    const info = PROVIDER_TYPES[type];
    const auth = this.form.controls.auth.controls.type;
    if (!info.authTypes.includes(auth.value)) auth.setValue(info.defaultAuth);
  }

  /** Rules that depend on the type: base URL for types without a default, Azure deployments. */
  private validateRequired(): void {
    const info = this.info();
    const baseUrl = this.form.controls.baseUrl;
    if (info.baseUrlRequired && !baseUrl.value.trim()) baseUrl.setErrors({ required: true });
    const deployments = this.form.controls.options.controls.deployments;
    if (info.fields.includes('deployments') && !deployments.value.trim())
      deployments.setErrors({ required: true });
    const key = this.form.controls.auth.controls.apiKey;
    if (!this.provider() && this.showSecret() && this.type() !== 'ollama' && !key.value.trim()) {
      key.setErrors({ required: true });
    }
  }

  private fill(provider: ProviderResponseDto): void {
    this.form.reset({
      name: provider.name,
      type: provider.type,
      baseUrl: provider.baseUrl,
      enabled: provider.enabled,
      auth: {
        type: provider.auth.type,
        apiKey: '',
        removeSecret: false,
        accessKeyId: provider.auth.accessKeyId ?? '',
        secretAccessKey: '',
        sessionToken: '',
      },
      options: {
        apiVersion: provider.options.apiVersion ?? '',
        deployments: (provider.options.deployments ?? []).join(', '),
        apiType: provider.options.apiType ?? 'chat',
        region: provider.options.region ?? '',
        httpProxy: provider.options.httpProxy ?? '',
        skipTlsVerify: provider.options.skipTlsVerify ?? false,
        timeoutMs: provider.options.timeoutMs ?? null,
      },
    });
  }
}
