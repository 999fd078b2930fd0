import {
  ChangeDetectionStrategy,
  Component,
  effect,
  inject,
  type OnInit,
  signal,
  untracked,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatExpansionModule } from '@angular/material/expansion';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';

import { type LdapGroupMappingDto } from '../../api/models/ldap-group-mapping-dto';
import { type LdapSettingsResponseDto } from '../../api/models/ldap-settings-response-dto';
import { type UpdateLdapSettingsDto } from '../../api/models/update-ldap-settings-dto';
import { AuthStore } from '../../core/auth/auth.store';
import { isTenantScopedRole, type Role, ROLE_LABELS } from '../../core/auth/permissions';
import { applyServerErrors, controlError } from '../../core/http/form-errors';
import { TenantOptionsStore } from '../../core/tenants/tenant-options.store';
import { ErrorBanner } from '../../core/ui/error-banner';
import { PageHeader } from '../../core/ui/page-header';
import { LdapSettingsStore } from './ldap-settings.store';

const MASK = '********';
const LDAP_URL = /^ldaps?:\/\/[^\s/]+(:\d+)?\/?$/;
type DefaultRole = Exclude<Role, 'admin'>;

function mappingRow(fb: NonNullableFormBuilder, mapping?: LdapGroupMappingDto) {
  return fb.group({
    group: [mapping?.group ?? '', [Validators.required, Validators.maxLength(500)]],
    role: fb.control<Role>(mapping?.role ?? 'tenant-viewer'),
    tenantIds: fb.control<string[]>([...(mapping?.tenantIds ?? [])]),
  });
}

@Component({
  selector: 'app-ldap-settings-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ErrorBanner,
    MatButtonModule,
    MatCheckboxModule,
    MatExpansionModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    PageHeader,
    ReactiveFormsModule,
  ],
  providers: [LdapSettingsStore],
  templateUrl: './ldap-settings.page.html',
  styleUrl: './ldap-settings.page.scss',
})
export class LdapSettingsPage implements OnInit {
  protected readonly store = inject(LdapSettingsStore);
  protected readonly auth = inject(AuthStore);
  protected readonly tenants = inject(TenantOptionsStore);
  private readonly snackBar = inject(MatSnackBar);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly controlError = controlError;
  protected readonly roles = Object.entries(ROLE_LABELS) as [Role, string][];
  protected readonly defaultRoles = this.roles.filter(([role]) => role !== 'admin') as [
    DefaultRole,
    string,
  ][];
  protected readonly isTenantScopedRole = isTenantScopedRole;
  protected readonly unmatched = signal<string[]>([]);
  protected readonly form = this.fb.group({
    enabled: [false],
    url: ['', [Validators.pattern(LDAP_URL)]],
    startTls: [false],
    tlsSkipVerify: [false],
    tlsCaCert: [''],
    timeoutMs: this.fb.control<number>(5000, [Validators.min(500), Validators.max(60000)]),
    bindDn: [''],
    bindPassword: [''],
    searchBase: [''],
    searchFilter: ['(uid={{username}})', [Validators.pattern(/\{\{username\}\}/)]],
    groupSearchBase: [''],
    groupSearchFilter: [''],
    defaultRole: this.fb.control<DefaultRole | null>(null),
    groupMappings: this.fb.array<ReturnType<typeof mappingRow>>([]),
  });
  protected readonly testForm = this.fb.group({ username: [''], password: [''] });

  constructor() {
    effect(() => {
      const settings = this.store.settings();
      if (settings)
        untracked(() => {
          this.fill(settings);
        });
    });
  }

  ngOnInit(): void {
    void this.store.load();
    void this.tenants.load();
    if (!this.auth.can('users.write')) this.form.disable();
  }

  protected addMapping(): void {
    this.form.controls.groupMappings.push(mappingRow(this.fb));
  }

  protected removeMapping(index: number): void {
    this.form.controls.groupMappings.removeAt(index);
  }

  protected async save(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const result = await this.store.save(this.toDto());
    if (result.ok) {
      this.unmatched.set([]);
      this.snackBar.open('LDAP settings saved.', 'OK', { duration: 4000 });
    } else {
      this.unmatched.set(applyServerErrors(this.form, result.problem));
    }
  }

  protected async test(): Promise<void> {
    const { username, password } = this.testForm.getRawValue();
    await this.store.test({
      settings: this.toDto(),
      ...(username.trim() ? { username: username.trim() } : {}),
      ...(password ? { password } : {}),
    });
  }

  private toDto(): UpdateLdapSettingsDto {
    const v = this.form.getRawValue();
    return {
      enabled: v.enabled,
      url: v.url.trim(),
      startTls: v.startTls,
      tlsSkipVerify: v.tlsSkipVerify,
      tlsCaCert: v.tlsCaCert,
      timeoutMs: v.timeoutMs,
      bindDn: v.bindDn.trim(),
      // The mask keeps the stored password; an empty field removes it.
      bindPassword: v.bindPassword,
      searchBase: v.searchBase.trim(),
      searchFilter: v.searchFilter.trim(),
      groupSearchBase: v.groupSearchBase.trim(),
      groupSearchFilter: v.groupSearchFilter.trim(),
      defaultRole: v.defaultRole,
      groupMappings: v.groupMappings.map((m) => ({
        group: m.group.trim(),
        role: m.role,
        ...(isTenantScopedRole(m.role) ? { tenantIds: m.tenantIds } : {}),
      })),
    };
  }

  private fill(s: LdapSettingsResponseDto): void {
    this.form.controls.groupMappings.clear();
    for (const mapping of s.groupMappings) {
      this.form.controls.groupMappings.push(mappingRow(this.fb, mapping));
    }
    this.form.patchValue({
      enabled: s.enabled,
      url: s.url,
      startTls: s.startTls,
      tlsSkipVerify: s.tlsSkipVerify,
      tlsCaCert: s.tlsCaCert,
      timeoutMs: s.timeoutMs,
      bindDn: s.bindDn,
      bindPassword: s.bindPassword ? MASK : '',
      searchBase: s.searchBase,
      searchFilter: s.searchFilter,
      groupSearchBase: s.groupSearchBase,
      groupSearchFilter: s.groupSearchFilter,
      defaultRole: s.defaultRole === 'admin' ? null : s.defaultRole,
    });
    if (!this.auth.can('users.write')) this.form.disable();
  }
}
