import { inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { modelsList } from '../../api/fn/models/models-list';
import { providersList } from '../../api/fn/providers/providers-list';
import { tenantsList } from '../../api/fn/tenants/tenants-list';
import { AuthStore } from '../../core/auth/auth.store';
import { AsyncTask } from '../../core/state/async-task';

export interface Overview {
  providers: { total: number; connected: number; failing: string[] } | null;
  models: { visible: number; hidden: number } | null;
  tenants: { total: number; active: number } | null;
}

/**
 * The overview until the analytics API exists: configuration health from the existing list
 * endpoints (each only when the role may read it).
 */
@Injectable()
export class DashboardStore {
  private readonly api = inject(Api);
  private readonly auth = inject(AuthStore);

  readonly load$ = new AsyncTask();
  readonly overview = signal<Overview | null>(null);

  async load(): Promise<void> {
    const result = await this.load$.run(async () => {
      const [providers, visible, hidden, tenants, activeTenants] = await Promise.all([
        this.auth.can('providers.read') ? this.api.invoke(providersList) : null,
        this.auth.can('models.read') ? this.api.invoke(modelsList, { visible: true, pageSize: 1 }) : null,
        this.auth.can('models.read') ? this.api.invoke(modelsList, { visible: false, pageSize: 1 }) : null,
        this.auth.can('tenants.read') ? this.api.invoke(tenantsList, { pageSize: 1 }) : null,
        this.auth.can('tenants.read') ? this.api.invoke(tenantsList, { pageSize: 1, active: true }) : null,
      ]);
      return {
        providers: providers && {
          total: providers.length,
          connected: providers.filter((p) => p.status === 'connected').length,
          failing: providers.filter((p) => p.status === 'error').map((p) => p.name),
        },
        models: visible && hidden && { visible: visible.total, hidden: hidden.total },
        tenants: tenants && activeTenants && { total: tenants.total, active: activeTenants.total },
      } satisfies Overview;
    });
    if (result.ok) this.overview.set(result.value);
  }
}
