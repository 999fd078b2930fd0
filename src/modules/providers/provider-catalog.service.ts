import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';

import { SecretBox } from '../../common/crypto/secret-box';
import { ConfigChangeBus, ConfigScope } from '../config-sync/config-change.bus';
import { ModelsRepository } from './models.repository';
import { toModelView, toProviderView, toResolvedProvider } from './provider-views';
import type { ModelView, ProviderView, ResolvedProvider } from './provider.types';
import { ProvidersRepository } from './providers.repository';

interface CatalogState {
  providers: readonly ProviderView[];
  byId: ReadonlyMap<string, ProviderView>;
  bySlug: ReadonlyMap<string, ProviderView>;
  resolved: ReadonlyMap<string, ResolvedProvider>;
  models: readonly ModelView[];
  modelsByProvider: ReadonlyMap<string, readonly ModelView[]>;
  modelsByModelId: ReadonlyMap<string, readonly ModelView[]>;
  modelsByPrefixedId: ReadonlyMap<string, ModelView>;
}

const EMPTY: CatalogState = {
  providers: [],
  byId: new Map(),
  bySlug: new Map(),
  resolved: new Map(),
  models: [],
  modelsByProvider: new Map(),
  modelsByModelId: new Map(),
  modelsByPrefixedId: new Map(),
};

/**
 * In-memory read model of providers and the model registry for the data plane (gateway, routing,
 * adapters). Loaded at boot, swapped atomically on every `providers`/`models` ConfigChanged signal,
 * so lookups are synchronous and never touch MongoDB.
 */
@Injectable()
export class ProviderCatalog implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ProviderCatalog.name);
  private state: CatalogState = EMPTY;
  private unsubscribe: (() => void) | undefined;
  private generation = 0;

  constructor(
    private readonly providers: ProvidersRepository,
    private readonly models: ModelsRepository,
    private readonly box: SecretBox,
    private readonly bus: ConfigChangeBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe = this.bus.subscribe([ConfigScope.Providers, ConfigScope.Models], () => this.reload());
    await this.reload();
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** Increments on every reload; routing caches may key derived data on it. */
  get version(): number {
    return this.generation;
  }

  listProviders(): readonly ProviderView[] {
    return this.state.providers;
  }

  /** By id or slug. */
  getProvider(idOrSlug: string): ProviderView | undefined {
    return this.state.byId.get(idOrSlug) ?? this.state.bySlug.get(idOrSlug);
  }

  /** The provider with decrypted credentials for an adapter call. Never return it over HTTP. */
  resolveProvider(idOrSlug: string): ResolvedProvider | undefined {
    const view = this.getProvider(idOrSlug);
    return view ? this.state.resolved.get(view.id) : undefined;
  }

  /** Every model of every provider (hidden ones too; filter on `visible` for routing). */
  allModels(): readonly ModelView[] {
    return this.state.models;
  }

  modelsOf(providerIdOrSlug: string): readonly ModelView[] {
    const view = this.getProvider(providerIdOrSlug);
    return view ? (this.state.modelsByProvider.get(view.id) ?? []) : [];
  }

  /** All providers' rows for an upstream model id (several providers may serve the same model). */
  findModelsById(modelId: string): readonly ModelView[] {
    return this.state.modelsByModelId.get(modelId) ?? [];
  }

  /** `providerSlug/modelId`. */
  findByPrefixedId(prefixedId: string): ModelView | undefined {
    return this.state.modelsByPrefixedId.get(prefixedId);
  }

  findModel(providerIdOrSlug: string, modelId: string): ModelView | undefined {
    const view = this.getProvider(providerIdOrSlug);
    return view ? this.state.modelsByPrefixedId.get(`${view.slug}/${modelId}`) : undefined;
  }

  /** Re-reads both collections and swaps the state in one assignment. */
  async reload(): Promise<void> {
    const [providerRecords, modelRecords] = await Promise.all([
      this.providers.findAll(),
      this.models.findAll(),
    ]);
    const providers: ProviderView[] = [];
    const byId = new Map<string, ProviderView>();
    const bySlug = new Map<string, ProviderView>();
    const resolved = new Map<string, ResolvedProvider>();
    for (const record of providerRecords) {
      const view = toProviderView(record);
      providers.push(view);
      byId.set(view.id, view);
      bySlug.set(view.slug, view);
      try {
        resolved.set(view.id, toResolvedProvider(this.box, record));
      } catch (error) {
        this.logger.error(
          `Provider ${view.slug}: ${(error as Error).message}; it cannot be called until fixed`,
        );
      }
    }
    const models: ModelView[] = [];
    const modelsByProvider = new Map<string, ModelView[]>();
    const modelsByModelId = new Map<string, ModelView[]>();
    const modelsByPrefixedId = new Map<string, ModelView>();
    for (const record of modelRecords) {
      const provider = byId.get(record.providerId.toString());
      if (!provider) continue;
      const view = toModelView(record, provider.slug);
      models.push(view);
      pushTo(modelsByProvider, view.providerId, view);
      pushTo(modelsByModelId, view.modelId, view);
      modelsByPrefixedId.set(view.prefixedId, view);
    }
    const byPriority = (a: ModelView, b: ModelView) =>
      b.priority - a.priority || a.modelId.localeCompare(b.modelId);
    for (const list of modelsByProvider.values()) list.sort(byPriority);
    for (const list of modelsByModelId.values()) list.sort(byPriority);
    this.state = {
      providers,
      byId,
      bySlug,
      resolved,
      models,
      modelsByProvider,
      modelsByModelId,
      modelsByPrefixedId,
    };
    this.generation += 1;
  }
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
