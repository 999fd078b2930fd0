import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, effect, inject, input, signal, untracked } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog, MatDialogConfig } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';

import { type ApiKeyResponseDto } from '../../api/models/api-key-response-dto';
import { type CreatedApiKeyResponseDto } from '../../api/models/created-api-key-response-dto';
import { applyServerErrors, controlError } from '../../core/http/form-errors';
import { Confirmer } from '../../core/ui/confirm-dialog';
import { EmptyState } from '../../core/ui/empty-state';
import { ErrorBanner } from '../../core/ui/error-banner';
import { KeyEditDialog, type KeyEditData } from './key-edit-dialog';
import {
  describeKeyRateLimit,
  KeyRateLimitFields,
  keyRateLimitGroup,
  keyRateLimitValue,
} from './key-rate-limit';
import { KeyRevealDialog, type KeyRevealData } from './key-reveal-dialog';
import { type TenantKeysApi } from './keys-api';
import { KeysStore } from './keys.store';

/** Lifetime choices; `null` = the tenant's default lifetime, 0 = never expires. */
export const LIFETIME_CHOICES: readonly { value: number | null; label: string }[] = [
  { value: null, label: 'Tenant default' },
  { value: 7, label: '7 days' },
  { value: 30, label: '30 days' },
  { value: 90, label: '90 days' },
  { value: 365, label: '1 year' },
  { value: 0, label: 'Never' },
];

/** A tenant's API keys: create (shown once), rotate, disable/enable, revoke. */
@Component({
  selector: 'app-keys-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    EmptyState,
    ErrorBanner,
    KeyRateLimitFields,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatMenuModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    ReactiveFormsModule,
  ],
  providers: [KeysStore],
  templateUrl: './keys-panel.html',
  styleUrl: './keys-panel.scss',
})
export class KeysPanel {
  readonly api = input.required<TenantKeysApi>();
  readonly tenantId = input.required<string>();
  readonly canWrite = input(false);
  /** Shown in the reveal dialog next to the key. */
  readonly endpoint = input<string>();

  protected readonly store = inject(KeysStore);
  private readonly dialog = inject(MatDialog);
  private readonly confirmer = inject(Confirmer);
  private readonly snackBar = inject(MatSnackBar);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly columns = ['label', 'prefix', 'status', 'limit', 'expires', 'lastUsed', 'actions'];
  protected readonly describeLimit = describeKeyRateLimit;
  protected readonly lifetimes = LIFETIME_CHOICES;
  protected readonly controlError = controlError;
  protected readonly unmatched = signal<string[]>([]);
  protected readonly form = this.fb.group({
    label: ['', [Validators.maxLength(100)]],
    lifetimeDays: this.fb.control<number | null>(null),
    rateLimit: keyRateLimitGroup(this.fb),
  });

  constructor() {
    effect(() => {
      const api = this.api();
      const tenantId = this.tenantId();
      untracked(() => void this.store.init(api, tenantId));
    });
  }

  protected status(key: ApiKeyResponseDto): string {
    if (key.expired) return 'Expired';
    return key.enabled ? 'Active' : 'Disabled';
  }

  protected async create(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.store.save$.busy()) return;
    const { label, lifetimeDays } = this.form.getRawValue();
    const rateLimit = keyRateLimitValue(this.form.controls.rateLimit);
    const result = await this.store.create({
      ...(label.trim() ? { label: label.trim() } : {}),
      ...(lifetimeDays != null ? { lifetimeDays } : {}),
      ...(rateLimit ? { rateLimit } : {}),
    });
    if (result.ok) {
      this.form.reset();
      this.unmatched.set([]);
      this.reveal(result.value);
    } else {
      this.unmatched.set(applyServerErrors(this.form, result.problem));
    }
  }

  protected edit(key: ApiKeyResponseDto): void {
    const config = new MatDialogConfig<KeyEditData>();
    config.data = { key, store: this.store };
    this.store.edit$.clear();
    this.dialog
      .open<KeyEditDialog, KeyEditData, ApiKeyResponseDto>(KeyEditDialog, config)
      .afterClosed()
      .subscribe((saved) => {
        if (saved) this.snackBar.open('Key saved.', 'OK', { duration: 4000 });
      });
  }

  protected async rotate(key: ApiKeyResponseDto): Promise<void> {
    const confirmed = await this.confirmer.confirm({
      title: `Rotate ${key.label || key.prefix}?`,
      message: 'A new key replaces this one. The old key stops working immediately; clients must be updated.',
      confirmLabel: 'Rotate',
      destructive: true,
    });
    if (!confirmed) return;
    const result = await this.store.rotate(key);
    if (result.ok) this.reveal(result.value);
    else this.snackBar.open(result.problem.message, 'OK', { duration: 6000 });
  }

  protected async setEnabled(key: ApiKeyResponseDto, enabled: boolean): Promise<void> {
    if (
      !enabled &&
      !(await this.confirmer.confirm({
        title: `Disable ${key.label || key.prefix}?`,
        message: 'Requests with this key are refused until it is enabled again.',
        confirmLabel: 'Disable',
        destructive: true,
      }))
    ) {
      return;
    }
    const result = await this.store.setEnabled(key, enabled);
    if (!result.ok) this.snackBar.open(result.problem.message, 'OK', { duration: 6000 });
  }

  protected async revoke(key: ApiKeyResponseDto): Promise<void> {
    const confirmed = await this.confirmer.confirm({
      title: `Revoke ${key.label || key.prefix}?`,
      message: 'The key is deleted and every request with it is refused. This cannot be undone.',
      confirmLabel: 'Revoke',
      destructive: true,
    });
    if (!confirmed) return;
    const result = await this.store.revoke(key);
    this.snackBar.open(result.ok ? 'Key revoked.' : result.problem.message, 'OK', { duration: 6000 });
  }

  private reveal(key: CreatedApiKeyResponseDto): void {
    const config = new MatDialogConfig<KeyRevealData>();
    const endpoint = this.endpoint();
    config.data = { key, ...(endpoint ? { endpoint } : {}) };
    config.disableClose = true;
    config.width = '640px';
    this.dialog.open(KeyRevealDialog, config);
  }
}
