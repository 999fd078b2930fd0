import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, type OnInit } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatChipsModule } from '@angular/material/chips';
import { MatDialog, MatDialogConfig } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';

import { type UserResponseDto } from '../../api/models/user-response-dto';
import { AuthStore } from '../../core/auth/auth.store';
import { ROLE_LABELS, type Role } from '../../core/auth/permissions';
import { TenantOptionsStore } from '../../core/tenants/tenant-options.store';
import { Confirmer } from '../../core/ui/confirm-dialog';
import { ListPage } from '../../core/ui/list-page';
import { filterOptions, ListFilters, type ListSelectFilter } from '../../core/ui/list-filters';
import { PageHeader } from '../../core/ui/page-header';
import { ResetPasswordDialog, type ResetPasswordDialogData } from './reset-password-dialog';
import { UserDialog, type UserDialogData } from './user-dialog';
import { EMPTY_USER_FILTER, type UserSource, type UserStateFilter, UsersStore } from './users.store';

@Component({
  selector: 'app-users-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    ListPage,
    MatButtonModule,
    MatChipsModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatMenuModule,
    MatSelectModule,
    MatTableModule,
    ListFilters,
    PageHeader,
    ReactiveFormsModule,
  ],
  providers: [UsersStore],
  templateUrl: './users.page.html',
  styleUrl: './users.page.scss',
})
export class UsersPage implements OnInit {
  protected readonly store = inject(UsersStore);
  protected readonly auth = inject(AuthStore);
  protected readonly tenants = inject(TenantOptionsStore);
  private readonly dialog = inject(MatDialog);
  private readonly confirmer = inject(Confirmer);
  private readonly snackBar = inject(MatSnackBar);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly filterSelects: readonly ListSelectFilter[] = [
    { control: 'role', label: 'Role', options: filterOptions(ROLE_LABELS) },
    { control: 'source', label: 'Type', options: filterOptions({ local: 'Local', ldap: 'LDAP' }) },
    { control: 'state', label: 'Status', options: filterOptions({ active: 'Active', disabled: 'Disabled' }) },
  ];
  protected readonly filters = this.fb.group({
    search: [''],
    role: this.fb.control<Role | ''>(''),
    source: this.fb.control<UserSource | ''>(''),
    state: this.fb.control<UserStateFilter>(''),
  });
  protected readonly columns = ['username', 'source', 'role', 'tenants', 'status', 'lastLogin', 'actions'];

  protected roleLabel(user: UserResponseDto): string {
    return ROLE_LABELS[user.role];
  }

  ngOnInit(): void {
    void this.store.load();
    void this.tenants.load();
  }

  protected applyFilters(): void {
    void this.store.applyFilter(this.filters.getRawValue());
  }

  protected resetFilters(): void {
    this.filters.reset(EMPTY_USER_FILTER);
    void this.store.applyFilter(EMPTY_USER_FILTER);
  }

  protected openEditor(user?: UserResponseDto): void {
    const config = new MatDialogConfig<UserDialogData>();
    config.data = { store: this.store, ...(user ? { user } : {}) };
    this.store.save$.clear();
    this.dialog
      .open<UserDialog, UserDialogData, UserResponseDto>(UserDialog, config)
      .afterClosed()
      .subscribe((saved) => {
        if (saved)
          this.snackBar.open(user ? `Saved ${saved.username}.` : `Created ${saved.username}.`, 'OK', {
            duration: 4000,
          });
      });
  }

  protected openResetPassword(user: UserResponseDto): void {
    const config = new MatDialogConfig<ResetPasswordDialogData>();
    config.data = { store: this.store, user };
    this.store.save$.clear();
    this.dialog
      .open<ResetPasswordDialog, ResetPasswordDialogData, boolean>(ResetPasswordDialog, config)
      .afterClosed()
      .subscribe((done) => {
        if (done) this.snackBar.open(`Password of ${user.username} reset.`, 'OK', { duration: 4000 });
      });
  }

  protected async setActive(user: UserResponseDto, active: boolean): Promise<void> {
    if (
      !active &&
      !(await this.confirmer.confirm({
        title: `Disable ${user.username}?`,
        message: 'The user is signed out everywhere and cannot sign in until enabled again.',
        confirmLabel: 'Disable',
        destructive: true,
      }))
    ) {
      return;
    }
    const result = await this.store.setActive(user, active);
    if (!result.ok) this.snackBar.open(result.problem.message, 'OK', { duration: 6000 });
  }

  protected async remove(user: UserResponseDto): Promise<void> {
    const confirmed = await this.confirmer.confirm({
      title: `Delete ${user.username}?`,
      message: 'The account and its sessions are removed. This cannot be undone.',
      confirmLabel: 'Delete',
      destructive: true,
    });
    if (!confirmed) return;
    const result = await this.store.remove(user);
    this.snackBar.open(result.ok ? `Deleted ${user.username}.` : result.problem.message, 'OK', {
      duration: 6000,
    });
  }
}
