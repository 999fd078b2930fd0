import { computed, inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { modelsCreate } from '../../api/fn/models/models-create';
import { modelsDelete } from '../../api/fn/models/models-delete';
import { modelsList, type ModelsList$Params } from '../../api/fn/models/models-list';
import { modelsReset } from '../../api/fn/models/models-reset';
import { modelsSetVisibility } from '../../api/fn/models/models-set-visibility';
import { modelsUpdate } from '../../api/fn/models/models-update';
import { providersList } from '../../api/fn/providers/providers-list';
import { type CreateModelDto } from '../../api/models/create-model-dto';
import { type ModelResponseDto } from '../../api/models/model-response-dto';
import { type ProviderResponseDto } from '../../api/models/provider-response-dto';
import { type UpdateModelDto } from '../../api/models/update-model-dto';
import { AsyncTask, type TaskResult } from '../../core/state/async-task';
import { type Page, PagedListStore } from '../../core/state/paged-list-store';
import { type Tier } from '../../core/routing/tiers';

export type Capability = NonNullable<ModelsList$Params['capability']>;
export type ModelSort = NonNullable<ModelsList$Params['sort']>;

export interface ModelFilter {
  search: string;
  provider: string;
  tier: Tier | '';
  capability: Capability | '';
  visible: 'any' | 'visible' | 'hidden';
  sort: ModelSort;
}

export const EMPTY_MODEL_FILTER: ModelFilter = {
  search: '',
  provider: '',
  tier: '',
  capability: '',
  visible: 'any',
  sort: 'priority',
};

/** The model registry: server-side filters and pages, inline edits and bulk visibility. */
@Injectable()
export class ModelsStore extends PagedListStore<ModelResponseDto, ModelFilter> {
  private readonly api = inject(Api);

  readonly save$ = new AsyncTask();
  readonly bulk$ = new AsyncTask();
  readonly create$ = new AsyncTask();
  readonly models = this.items;
  readonly providers = signal<ProviderResponseDto[]>([]);
  readonly selected = signal<ReadonlySet<string>>(new Set());
  readonly allSelected = computed(() => {
    const models = this.models();
    return models.length > 0 && models.every((m) => this.selected().has(m.id));
  });

  constructor() {
    super(EMPTY_MODEL_FILTER, 50);
  }

  async init(): Promise<void> {
    await Promise.all([this.load(), this.loadProviders()]);
  }

  protected fetch(): Promise<Page<ModelResponseDto>> {
    return this.api.invoke(modelsList, this.params());
  }

  protected override onLoaded(): void {
    this.selected.set(new Set());
  }

  /** Saves one inline edit; the row shows the server's answer (or stays as it was on failure). */
  async update(model: ModelResponseDto, body: UpdateModelDto): Promise<TaskResult<ModelResponseDto>> {
    const result = await this.save$.run(() => this.api.invoke(modelsUpdate, { id: model.id, body }));
    if (result.ok) this.models.update((list) => list.map((m) => (m.id === model.id ? result.value : m)));
    return result;
  }

  /** Adds a model by hand; the registry fills what the form leaves out. */
  async create(body: CreateModelDto): Promise<TaskResult<ModelResponseDto>> {
    const result = await this.create$.run(() => this.api.invoke(modelsCreate, { body }));
    if (result.ok) await this.load();
    return result;
  }

  /** Un-pins every edited field; the next discovery refreshes them from the provider and registry. */
  async resetToRegistry(model: ModelResponseDto): Promise<TaskResult<ModelResponseDto>> {
    const result = await this.save$.run(() =>
      this.api.invoke(modelsReset, { id: model.id, body: { fields: [] } }),
    );
    if (result.ok) this.models.update((list) => list.map((m) => (m.id === model.id ? result.value : m)));
    return result;
  }

  async remove(model: ModelResponseDto): Promise<TaskResult<void>> {
    const result = await this.save$.run(() => this.api.invoke(modelsDelete, { id: model.id }));
    if (result.ok) await this.load();
    return result;
  }

  toggleSelected(id: string): void {
    this.selected.update((set) => {
      const next = new Set(set);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  toggleAll(): void {
    this.selected.set(this.allSelected() ? new Set() : new Set(this.models().map((m) => m.id)));
  }

  async setVisibility(visible: boolean): Promise<TaskResult<{ updated: number }>> {
    const ids = [...this.selected()];
    const result = await this.bulk$.run(() =>
      this.api.invoke(modelsSetVisibility, { body: { ids, visible } }),
    );
    if (result.ok) await this.load();
    return result;
  }

  params(): ModelsList$Params {
    const f = this.filter();
    return {
      page: this.page(),
      pageSize: this.pageSize(),
      sort: f.sort,
      ...(f.search.trim() ? { search: f.search.trim() } : {}),
      ...(f.provider ? { provider: f.provider } : {}),
      ...(f.tier ? { tier: f.tier } : {}),
      ...(f.capability ? { capability: f.capability } : {}),
      ...(f.visible !== 'any' ? { visible: f.visible === 'visible' } : {}),
    };
  }

  private async loadProviders(): Promise<void> {
    try {
      this.providers.set(await this.api.invoke(providersList));
    } catch {
      // The provider filter stays empty.
    }
  }
}
