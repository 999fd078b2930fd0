import { computed, inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { tenantsList } from '../../api/fn/tenants/tenants-list';
import { AuthStore } from '../auth/auth.store';
import { AsyncTask } from '../state/async-task';

export interface TenantOption {
  id: string;
  slug: string;
  name: string;
}

/** Tenant names for pickers (user and LDAP group tenants); the first 200 tenants by name. */
@Injectable({ providedIn: 'root' })
export class TenantOptionsStore {
  private readonly api = inject(Api);
  private readonly auth = inject(AuthStore);
  private readonly optionsState = signal<TenantOption[]>([]);
  private loaded = false;

  readonly load$ = new AsyncTask();
  readonly options = this.optionsState.asReadonly();
  readonly byId = computed(() => new Map(this.optionsState().map((t) => [t.id, t])));

  async load(force = false): Promise<void> {
    if ((this.loaded && !force) || !this.auth.can('tenants.read')) return;
    const result = await this.load$.run(() => this.api.invoke(tenantsList, { page: 1, pageSize: 200 }));
    if (result.ok) {
      this.loaded = true;
      this.optionsState.set(result.value.items.map(({ id, slug, name }) => ({ id, slug, name })));
    }
  }

  /** A tenant's display name, or its id when unknown (deleted or not loaded). */
  label(id: string): string {
    return this.byId().get(id)?.name ?? id;
  }
}
