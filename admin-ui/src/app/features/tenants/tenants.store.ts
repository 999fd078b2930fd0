import { inject, Injectable } from '@angular/core';

import { Api } from '../../api/api';
import { providersList } from '../../api/fn/providers/providers-list';
import { tenantsCreate } from '../../api/fn/tenants/tenants-create';
import { tenantsDelete } from '../../api/fn/tenants/tenants-delete';
import { tenantsList } from '../../api/fn/tenants/tenants-list';
import { type CreateTenantDto } from '../../api/models/create-tenant-dto';
import { type ProviderResponseDto } from '../../api/models/provider-response-dto';
import { type TenantResponseDto } from '../../api/models/tenant-response-dto';
import { AsyncTask, type TaskResult } from '../../core/state/async-task';
import { type Page, PagedListStore } from '../../core/state/paged-list-store';

export interface TenantFilter {
  search: string;
  /** null = any. */
  active: boolean | null;
}

/** The tenant list: search, active filter and pagination run on the server. */
@Injectable()
export class TenantsStore extends PagedListStore<TenantResponseDto, TenantFilter> {
  private readonly api = inject(Api);

  readonly save$ = new AsyncTask();
  readonly action$ = new AsyncTask();
  readonly tenants = this.items;

  constructor() {
    super({ search: '', active: null });
  }

  protected fetch(window: { page: number; pageSize: number }): Promise<Page<TenantResponseDto>> {
    const search = this.filter().search.trim();
    const active = this.filter().active;
    return this.api.invoke(tenantsList, {
      ...window,
      ...(search ? { search } : {}),
      ...(active != null ? { active } : {}),
    });
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
