import { inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { providersList } from '../../api/fn/providers/providers-list';
import { tenantsGet } from '../../api/fn/tenants/tenants-get';
import { tenantsUpdate } from '../../api/fn/tenants/tenants-update';
import { type ProviderResponseDto } from '../../api/models/provider-response-dto';
import { type TenantResponseDto } from '../../api/models/tenant-response-dto';
import { type UpdateTenantDto } from '../../api/models/update-tenant-dto';
import { AuthStore } from '../../core/auth/auth.store';
import { AsyncTask, type TaskResult } from '../../core/state/async-task';

/** One tenant in the editor; each tab saves its own part with a partial update. */
@Injectable()
export class TenantEditorStore {
  private readonly api = inject(Api);
  private readonly auth = inject(AuthStore);

  readonly load$ = new AsyncTask();
  readonly save$ = new AsyncTask();
  readonly tenant = signal<TenantResponseDto | null>(null);
  readonly providers = signal<ProviderResponseDto[]>([]);

  async load(id: string): Promise<void> {
    const result = await this.load$.run(() => this.api.invoke(tenantsGet, { id }));
    if (result.ok) this.tenant.set(result.value);
    if (this.auth.can('providers.read') && this.providers().length === 0) {
      try {
        this.providers.set(await this.api.invoke(providersList));
      } catch {
        // The provider picker stays empty; saving still works with the stored ids.
      }
    }
  }

  async update(body: UpdateTenantDto): Promise<TaskResult<TenantResponseDto>> {
    const tenant = this.tenant();
    if (!tenant) throw new Error('No tenant loaded');
    const result = await this.save$.run(() => this.api.invoke(tenantsUpdate, { id: tenant.id, body }));
    if (result.ok) this.tenant.set(result.value);
    return result;
  }
}
