import { inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { modelsList } from '../../api/fn/models/models-list';
import { providersCheck } from '../../api/fn/providers/providers-check';
import { providersCreate } from '../../api/fn/providers/providers-create';
import { providersDelete } from '../../api/fn/providers/providers-delete';
import { providersDiscover } from '../../api/fn/providers/providers-discover';
import { providersList } from '../../api/fn/providers/providers-list';
import { providersTry } from '../../api/fn/providers/providers-try';
import { providersUpdate } from '../../api/fn/providers/providers-update';
import { type CreateProviderDto } from '../../api/models/create-provider-dto';
import { type ProviderCheckResponseDto } from '../../api/models/provider-check-response-dto';
import { type ProviderDiscoverResponseDto } from '../../api/models/provider-discover-response-dto';
import { type ProviderResponseDto } from '../../api/models/provider-response-dto';
import { type ProviderTryResponseDto } from '../../api/models/provider-try-response-dto';
import { type TryProviderDto } from '../../api/models/try-provider-dto';
import { type UpdateProviderDto } from '../../api/models/update-provider-dto';
import { AsyncTask, type TaskResult } from '../../core/state/async-task';

/** Providers: list and CRUD, plus the connection check, discovery and try-a-model calls. */
@Injectable()
export class ProvidersStore {
  private readonly api = inject(Api);

  readonly load$ = new AsyncTask();
  readonly save$ = new AsyncTask();
  readonly check$ = new AsyncTask();
  readonly discover$ = new AsyncTask();
  readonly try$ = new AsyncTask();
  readonly action$ = new AsyncTask();

  readonly providers = signal<ProviderResponseDto[]>([]);
  readonly loaded = signal(false);
  /** Last check and discovery result per provider id, for the log viewer. */
  readonly checks = signal<Readonly<Record<string, ProviderCheckResponseDto>>>({});
  readonly discoveries = signal<Readonly<Record<string, ProviderDiscoverResponseDto>>>({});

  async load(): Promise<void> {
    const result = await this.load$.run(() => this.api.invoke(providersList));
    if (result.ok) {
      this.providers.set([...result.value].sort((a, b) => a.name.localeCompare(b.name)));
      this.loaded.set(true);
    }
  }

  async create(body: CreateProviderDto): Promise<TaskResult<ProviderResponseDto>> {
    const result = await this.save$.run(() => this.api.invoke(providersCreate, { body }));
    if (result.ok) this.upsert(result.value);
    return result;
  }

  async update(id: string, body: UpdateProviderDto): Promise<TaskResult<ProviderResponseDto>> {
    const result = await this.save$.run(() => this.api.invoke(providersUpdate, { id, body }));
    if (result.ok) this.upsert(result.value);
    return result;
  }

  async remove(provider: ProviderResponseDto): Promise<TaskResult<unknown>> {
    const result = await this.action$.run(() => this.api.invoke(providersDelete, { id: provider.id }));
    if (result.ok) this.providers.update((list) => list.filter((p) => p.id !== provider.id));
    return result;
  }

  /** Probes the provider step by step; the server stores the status and the working API path. */
  async check(id: string): Promise<TaskResult<ProviderCheckResponseDto>> {
    const result = await this.check$.run(() => this.api.invoke(providersCheck, { id }));
    if (result.ok) {
      this.checks.update((all) => ({ ...all, [id]: result.value }));
      await this.load();
    }
    return result;
  }

  /** Lists the provider's models and merges them into the registry. */
  async discover(id: string): Promise<TaskResult<ProviderDiscoverResponseDto>> {
    const result = await this.discover$.run(() => this.api.invoke(providersDiscover, { id }));
    if (result.ok) {
      this.discoveries.update((all) => ({ ...all, [id]: result.value }));
      await this.load();
    }
    return result;
  }

  /** One chat request straight to the provider (not through the gateway, not billed to a tenant). */
  tryModel(id: string, body: TryProviderDto): Promise<TaskResult<ProviderTryResponseDto>> {
    return this.try$.run(() => this.api.invoke(providersTry, { id, body }));
  }

  /** Model ids the registry knows for this provider (for the try-a-model picker). */
  async modelIds(providerId: string): Promise<string[]> {
    try {
      const page = await this.api.invoke(modelsList, {
        provider: providerId,
        pageSize: 200,
        sort: 'modelId',
      });
      return page.items.map((m) => m.modelId);
    } catch {
      return [];
    }
  }

  private upsert(provider: ProviderResponseDto): void {
    this.providers.update((list) =>
      [...list.filter((p) => p.id !== provider.id), provider].sort((a, b) => a.name.localeCompare(b.name)),
    );
  }
}
