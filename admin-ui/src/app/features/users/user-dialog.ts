import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';

import { type UserResponseDto } from '../../api/models/user-response-dto';
import { newPasswordValidators, PASSWORD_MIN_LENGTH, USERNAME_PATTERN } from '../../core/auth/password-rules';
import { isTenantScopedRole, type Role, ROLE_LABELS } from '../../core/auth/permissions';
import { applyServerErrors, controlError } from '../../core/http/form-errors';
import { TenantOptionsStore } from '../../core/tenants/tenant-options.store';
import { DialogFormActions } from '../../core/ui/dialog-form-actions';
import { ErrorBanner } from '../../core/ui/error-banner';
import { type UsersStore } from './users.store';

export interface UserDialogData {
  store: UsersStore;
  /** Absent: create a local user. */
  user?: UserResponseDto;
}

const ROLE_CHOICES = Object.entries(ROLE_LABELS) as [Role, string][];

/** Create a local user, or edit a user's role, tenants and flags. */
@Component({
  selector: 'app-user-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DialogFormActions,
    ErrorBanner,
    MatCheckboxModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    ReactiveFormsModule,
  ],
  templateUrl: './user-dialog.html',
  styles: `
    form {
      display: flex;
      flex-direction: column;
      gap: 8px;
      min-width: min(480px, 80vw);
    }
  `,
})
export class UserDialog {
  private readonly data = inject<UserDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<UserDialog, UserResponseDto>>(MatDialogRef);
  protected readonly tenants = inject(TenantOptionsStore);
  protected readonly store = this.data.store;
  protected readonly user = this.data.user;
  protected readonly roles = ROLE_CHOICES;
  protected readonly minLength = PASSWORD_MIN_LENGTH;
  protected readonly controlError = controlError;
  protected readonly unmatched = signal<string[]>([]);

  protected readonly form = inject(NonNullableFormBuilder).group({
    username: [
      this.user?.username ?? '',
      [
        Validators.required,
        Validators.minLength(3),
        Validators.maxLength(64),
        Validators.pattern(USERNAME_PATTERN),
      ],
    ],
    password: ['', this.user ? [] : newPasswordValidators],
    role: [this.user?.role ?? ('tenant-viewer' as Role), [Validators.required]],
    tenantIds: [[...(this.user?.tenantIds ?? [])] as string[]],
    mustChangePassword: [this.user?.mustChangePassword ?? true],
    rolePinned: [this.user?.rolePinned ?? false],
  });
  private readonly role = toSignal(this.form.controls.role.valueChanges, {
    initialValue: this.form.controls.role.value,
  });
  protected readonly needsTenants = computed(() => isTenantScopedRole(this.role()));

  constructor() {
    void this.tenants.load();
    if (this.user) this.form.controls.username.disable();
  }

  protected async save(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.store.save$.busy()) return;
    const value = this.form.getRawValue();
    const tenantIds = isTenantScopedRole(value.role) ? value.tenantIds : [];
    const result = this.user
      ? await this.store.update(this.user.id, {
          role: value.role,
          tenantIds,
          mustChangePassword: value.mustChangePassword,
          ...(this.user.source === 'ldap' ? { rolePinned: value.rolePinned } : {}),
        })
      : await this.store.create({
          username: value.username.trim(),
          password: value.password,
          role: value.role,
          tenantIds,
          mustChangePassword: value.mustChangePassword,
        });
    if (result.ok) this.ref.close(result.value);
    else this.unmatched.set(applyServerErrors(this.form, result.problem));
  }
}
