import { computed, inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { portalList } from '../../api/fn/portal/portal-list';
import { portalModels } from '../../api/fn/portal/portal-models';
import { portalUpdateModelAccess } from '../../api/fn/portal/portal-update-model-access';
import { type ModelAccessDto } from '../../api/models/model-access-dto';
import { type PortalModelResponseDto } from '../../api/models/portal-model-response-dto';
import { type PortalTenantResponseDto } from '../../api/models/portal-tenant-response-dto';
import { AsyncTask, type TaskResult } from '../../core/state/async-task';

/** The self-service portal: the caller's tenants, their models and model access. */
@Injectable()
export class PortalStore {
  private readonly api = inject(Api);

  readonly load$ = new AsyncTask();
  readonly models$ = new AsyncTask();
  readonly save$ = new AsyncTask();
  readonly tenants = signal<PortalTenantResponseDto[]>([]);
  readonly selectedId = signal<string | null>(null);
  readonly models = signal<PortalModelResponseDto[]>([]);
  readonly loaded = signal(false);
  readonly selected = computed(() => this.tenants().find((t) => t.id === this.selectedId()) ?? null);

  async load(): Promise<void> {
    const result = await this.load$.run(() => this.api.invoke(portalList));
    if (!result.ok) return;
    this.tenants.set(result.value);
    this.loaded.set(true);
    const current = this.selectedId();
    const next = result.value.find((t) => t.id === current) ?? result.value[0] ?? null;
    if (next) await this.select(next.id);
  }

  async select(id: string): Promise<void> {
    this.selectedId.set(id);
    this.models.set([]);
    const result = await this.models$.run(() => this.api.invoke(portalModels, { id }));
    if (result.ok) this.models.set(result.value);
  }

  async updateAccess(
    mode: NonNullable<ModelAccessDto['mode']>,
    list: string[],
  ): Promise<TaskResult<unknown>> {
    const id = this.selectedId();
    if (!id) throw new Error('No tenant selected');
    const result = await this.save$.run(() =>
      this.api.invoke(portalUpdateModelAccess, { id, body: { mode, list } }),
    );
    if (result.ok) await this.load();
    return result;
  }
}
