import { computed, inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { categoriesApplyPreset } from '../../api/fn/categories/categories-apply-preset';
import { categoriesCreate } from '../../api/fn/categories/categories-create';
import { categoriesDelete } from '../../api/fn/categories/categories-delete';
import { categoriesList, type CategoriesList$Params } from '../../api/fn/categories/categories-list';
import { categoriesPresets } from '../../api/fn/categories/categories-presets';
import { categoriesRestoreBuiltIns } from '../../api/fn/categories/categories-restore-built-ins';
import { categoriesUpdate } from '../../api/fn/categories/categories-update';
import { modelsList } from '../../api/fn/models/models-list';
import { providersList } from '../../api/fn/providers/providers-list';
import { type CategoryListResponseDto } from '../../api/models/category-list-response-dto';
import { type CategoryResponseDto } from '../../api/models/category-response-dto';
import { type CreateCategoryDto } from '../../api/models/create-category-dto';
import { type ModelResponseDto } from '../../api/models/model-response-dto';
import { type PresetApplyResponseDto } from '../../api/models/preset-apply-response-dto';
import { type PresetResponseDto } from '../../api/models/preset-response-dto';
import { type ProviderResponseDto } from '../../api/models/provider-response-dto';
import { type UpdateCategoryDto } from '../../api/models/update-category-dto';
import { type Tier } from '../../core/routing/tiers';
import { AsyncTask, type TaskResult } from '../../core/state/async-task';

export interface CategoryFilter {
  search: string;
  tier: Tier | '';
  state: '' | 'enabled' | 'disabled';
  origin: '' | 'built-in' | 'custom';
}

export const EMPTY_CATEGORY_FILTER: CategoryFilter = { search: '', tier: '', state: '', origin: '' };

export interface TierGroup {
  tier: Tier;
  categories: CategoryResponseDto[];
}

/** A model the pickers offer: its routing reference and what it is. */
export interface ModelOption {
  ref: string;
  name: string;
  tier: Tier | null;
  provider: string;
}

/** The query of a filter: empty fields are left out. */
export function categoryQuery(filter: CategoryFilter): CategoriesList$Params {
  return {
    ...(filter.search.trim() ? { search: filter.search.trim() } : {}),
    ...(filter.tier ? { tier: filter.tier } : {}),
    ...(filter.state ? { enabled: filter.state === 'enabled' } : {}),
    ...(filter.origin ? { builtIn: filter.origin === 'built-in' } : {}),
  };
}

/** The server's tier groups turned into lists of categories, in the server's order. */
export function groupByTier(list: CategoryListResponseDto): TierGroup[] {
  const byKey = new Map(list.items.map((c) => [c.key, c]));
  return list.tiers.map((group) => ({
    tier: group.tier,
    categories: group.keys.flatMap((key) => byKey.get(key) ?? []),
  }));
}

/**
 * Routing categories: the list (filtered by the server, grouped by tier), create/edit/delete,
 * restoring the built-ins, and preset profiles that fill categories with a provider's models.
 */
@Injectable()
export class CategoriesStore {
  private readonly api = inject(Api);

  readonly load$ = new AsyncTask();
  readonly save$ = new AsyncTask();
  readonly action$ = new AsyncTask();
  readonly preset$ = new AsyncTask();

  readonly list = signal<CategoryListResponseDto | null>(null);
  readonly filter = signal<CategoryFilter>(EMPTY_CATEGORY_FILTER);
  readonly presets = signal<PresetResponseDto[]>([]);
  readonly providers = signal<ProviderResponseDto[]>([]);
  readonly lastPreset = signal<PresetApplyResponseDto | null>(null);

  readonly groups = computed(() => {
    const list = this.list();
    return list ? groupByTier(list) : [];
  });
  readonly filtered = computed(() => Object.keys(categoryQuery(this.filter())).length > 0);

  async load(): Promise<void> {
    const result = await this.load$.run(() => this.api.invoke(categoriesList, categoryQuery(this.filter())));
    if (result.ok) this.list.set(result.value);
  }

  async applyFilter(filter: CategoryFilter): Promise<void> {
    this.filter.set(filter);
    await this.load();
  }

  /** Presets and providers for the preset panel (only for roles that may apply them). */
  async loadPresetOptions(): Promise<void> {
    const result = await this.preset$.run(() =>
      Promise.all([this.api.invoke(categoriesPresets), this.api.invoke(providersList)]),
    );
    if (result.ok) {
      this.presets.set(result.value[0]);
      this.providers.set(result.value[1]);
    }
  }

  /**
   * Visible registry models matching the text, for the default/fallback model pickers. The field
   * holds `provider/model`, so typed text with a slash searches that provider's models for the
   * part after it (the server searches model ids and names, not the provider prefix).
   */
  async searchModels(search: string): Promise<ModelOption[]> {
    const text = search.trim();
    const slash = text.indexOf('/');
    const provider = slash > 0 ? text.slice(0, slash) : '';
    const model = slash > 0 ? text.slice(slash + 1) : text;
    const result = await this.api
      .invoke(modelsList, {
        visible: true,
        pageSize: 20,
        sort: 'modelId',
        ...(provider ? { provider } : {}),
        ...(model ? { search: model } : {}),
      })
      .then((page) => page.items)
      .catch(() => [] as ModelResponseDto[]);
    return result.map((m) => ({
      ref: m.prefixedId,
      name: m.name,
      tier: m.tier,
      provider: m.providerName,
    }));
  }

  async create(body: CreateCategoryDto): Promise<TaskResult<CategoryResponseDto>> {
    const result = await this.save$.run(() => this.api.invoke(categoriesCreate, { body }));
    if (result.ok) await this.load();
    return result;
  }

  async update(key: string, body: UpdateCategoryDto): Promise<TaskResult<CategoryResponseDto>> {
    const result = await this.save$.run(() => this.api.invoke(categoriesUpdate, { key, body }));
    // A new tier moves the category to another group: reload the grouped list.
    if (result.ok) await this.load();
    return result;
  }

  async setEnabled(
    category: CategoryResponseDto,
    enabled: boolean,
  ): Promise<TaskResult<CategoryResponseDto>> {
    const result = await this.action$.run(() =>
      this.api.invoke(categoriesUpdate, { key: category.key, body: { enabled } }),
    );
    if (result.ok) await this.load();
    return result;
  }

  async remove(category: CategoryResponseDto): Promise<TaskResult<unknown>> {
    const result = await this.action$.run(() => this.api.invoke(categoriesDelete, { key: category.key }));
    if (result.ok) await this.load();
    return result;
  }

  async restoreBuiltIns(): Promise<TaskResult<CategoryListResponseDto>> {
    const result = await this.action$.run(() => this.api.invoke(categoriesRestoreBuiltIns));
    if (result.ok) await this.load();
    return result;
  }

  async applyPreset(
    preset: string,
    providerId: string,
    keepExisting: boolean,
  ): Promise<TaskResult<PresetApplyResponseDto>> {
    this.lastPreset.set(null);
    const result = await this.preset$.run(() =>
      this.api.invoke(categoriesApplyPreset, { preset, body: { providerId, keepExisting } }),
    );
    if (result.ok) {
      this.lastPreset.set(result.value);
      await this.load();
    }
    return result;
  }
}
