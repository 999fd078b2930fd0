import { inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { providersList } from '../../api/fn/providers/providers-list';
import { tenantsCreate } from '../../api/fn/tenants/tenants-create';
import { tenantsDelete } from '../../api/fn/tenants/tenants-delete';
import { tenantsList } from '../../api/fn/tenants/tenants-list';
import { type CreateTenantDto } from '../../api/models/create-tenant-dto';
import { type ProviderResponseDto } from '../../api/models/provider-response-dto';
import { type TenantResponseDto } from '../../api/models/tenant-response-dto';
import { AsyncTask, type TaskResult } from '../../core/state/async-task';

/** The tenant list: search, active filter and pagination run on the server. */
@Injectable()
export class TenantsStore {
  private readonly api = inject(Api);

  readonly load$ = new AsyncTask();
  readonly save$ = new AsyncTask();
  readonly action$ = new AsyncTask();
  readonly tenants = signal<TenantResponseDto[]>([]);
  readonly total = signal(0);
  readonly page = signal(1);
  readonly pageSize = signal(25);
  readonly search = signal('');
  readonly active = signal<boolean | null>(null);
  readonly loaded = signal(false);

  async load(): Promise<void> {
    const search = this.search().trim();
    const active = this.active();
    const result = await this.load$.run(() =>
      this.api.invoke(tenantsList, {
        page: this.page(),
        limit: this.pageSize(),
        ...(search ? { search } : {}),
        ...(active != null ? { active } : {}),
      }),
    );
    if (result.ok) {
      this.tenants.set(result.value.items);
      this.total.set(result.value.total);
      this.loaded.set(true);
    }
  }

  async filter(search: string, active: boolean | null): Promise<void> {
    this.search.set(search);
    this.active.set(active);
    this.page.set(1);
    await this.load();
  }

  async goToPage(page: number, pageSize: number): Promise<void> {
    this.page.set(page);
    this.pageSize.set(pageSize);
    await this.load();
  }

  async create(body: CreateTenantDto): Promise<TaskResult<TenantResponseDto>> {
    const result = await this.save$.run(() => this.api.invoke(tenantsCreate, { body }));
    if (result.ok) await this.load();
    return result;
  }

  /** Providers offered in the create dialog; none when they cannot be read (added in the editor later). */
  async providerChoices(canRead: boolean): Promise<ProviderResponseDto[]> {
    if (!canRead) return [];
    try {
      return await this.api.invoke(providersList);
    } catch {
      return [];
    }
  }

  async remove(tenant: TenantResponseDto): Promise<TaskResult<void>> {
    const result = await this.action$.run(() => this.api.invoke(tenantsDelete, { id: tenant.id }));
    if (result.ok) await this.load();
    return result;
  }
}

/** `My Team!` → `my-team` (the server's slug rule: lowercase letters, digits, inner dashes). */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

export const TENANT_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
