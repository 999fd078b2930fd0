import { ChangeDetectionStrategy, Component, inject, type OnInit } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog, MatDialogConfig } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';

import { type TenantResponseDto } from '../../api/models/tenant-response-dto';
import { AuthStore } from '../../core/auth/auth.store';
import { Confirmer } from '../../core/ui/confirm-dialog';
import { ListPage } from '../../core/ui/list-page';
import { filterOptions, ListFilters, type ListSelectFilter } from '../../core/ui/list-filters';
import { PageHeader } from '../../core/ui/page-header';
import { KeyPolicyPanel } from './key-policy-panel';
import { TenantCreateDialog, type TenantCreateDialogData } from './tenant-create-dialog';
import { TenantsStore } from './tenants.store';

@Component({
  selector: 'app-tenants-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ListPage,
    KeyPolicyPanel,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    MatTableModule,
    ListFilters,
    PageHeader,
    ReactiveFormsModule,
    RouterLink,
  ],
  providers: [TenantsStore],
  templateUrl: './tenants.page.html',
  styleUrl: './tenants.page.scss',
})
export class TenantsPage implements OnInit {
  protected readonly store = inject(TenantsStore);
  protected readonly auth = inject(AuthStore);
  private readonly dialog = inject(MatDialog);
  private readonly confirmer = inject(Confirmer);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly columns = ['name', 'endpoint', 'status', 'keys', 'providers', 'actions'];
  protected readonly filters = this.fb.group({
    search: [''],
    active: this.fb.control<'any' | 'active' | 'inactive'>('any'),
  });
  protected readonly filterSelects: readonly ListSelectFilter[] = [
    {
      control: 'active',
      label: 'Status',
      options: filterOptions({ active: 'Active', inactive: 'Inactive' }, 'Any', 'any'),
    },
  ];

  ngOnInit(): void {
    void this.store.load();
  }

  protected applyFilters(): void {
    const { search, active } = this.filters.getRawValue();
    void this.store.applyFilter({ search, active: active === 'any' ? null : active === 'active' });
  }

  protected async openCreate(): Promise<void> {
    const providers = await this.store.providerChoices(this.auth.can('providers.read'));
    const config = new MatDialogConfig<TenantCreateDialogData>();
    config.data = { store: this.store, providers };
    this.store.save$.clear();
    this.dialog
      .open<TenantCreateDialog, TenantCreateDialogData, TenantResponseDto>(TenantCreateDialog, config)
      .afterClosed()
      .subscribe((created) => {
        if (created) void this.router.navigate(['/tenants', created.id], { queryParams: { tab: 'keys' } });
      });
  }

  protected async remove(tenant: TenantResponseDto): Promise<void> {
    const confirmed = await this.confirmer.confirm({
      title: `Delete ${tenant.name}?`,
      message: `All keys of ${tenant.slug} stop working at once, and its settings are removed. This cannot be undone.`,
      confirmLabel: 'Delete tenant',
      destructive: true,
    });
    if (!confirmed) return;
    const result = await this.store.remove(tenant);
    this.snackBar.open(result.ok ? `Deleted ${tenant.name}.` : result.problem.message, 'OK', {
      duration: 6000,
    });
  }
}
