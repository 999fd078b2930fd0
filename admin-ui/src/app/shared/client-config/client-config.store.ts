import { inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { portalClientConfig } from '../../api/fn/portal/portal-client-config';
import { tenantsClientConfig } from '../../api/fn/tenants/tenants-client-config';
import { type ClientConfigResponseDto } from '../../api/models/client-config-response-dto';
import { AsyncTask } from '../../core/state/async-task';

export type ClientTool = ClientConfigResponseDto['tool'];

/** Admins read any tenant's configuration; tenant roles read their own through the portal API. */
export type ClientConfigSource = 'admin' | 'portal';

/** One panel's configuration: the last one loaded and its loading/error state. */
@Injectable()
export class ClientConfigStore {
  private readonly api = inject(Api);

  readonly load$ = new AsyncTask();
  readonly config = signal<ClientConfigResponseDto | null>(null);

  async load(source: ClientConfigSource, id: string, tool: ClientTool): Promise<void> {
    const result = await this.load$.run(() =>
      source === 'admin'
        ? this.api.invoke(tenantsClientConfig, { id, tool })
        : this.api.invoke(portalClientConfig, { id, tool }),
    );
    this.config.set(result.ok ? result.value : null);
  }
}
