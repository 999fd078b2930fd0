import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';

import { ConfigChangeBus } from '../../config-sync/config-change.bus';
import type { TenantRouting } from '../../tenants/tenant.types';
import { BUILT_IN_CATEGORIES, DEFAULT_RULE_SET } from '../data';
import { RoutingEngine, validateRuleSet } from '../engine';
import { DiskModelStore } from '../engine/model-store';
import { toRoutingCategory, trainingExamplesOf } from '../persistence/category-mapping';
import { RoutingCategoriesRepository } from '../persistence/routing-categories.repository';
import { DEFAULT_RULE_SET_SCOPE } from '../persistence/routing-rule-set.schema';
import { RoutingRuleSetsRepository, toRuleSet } from '../persistence/routing-rule-sets.repository';
import { RoutingSeeder } from '../persistence/routing-seeder';
import type { RoutingCategory, RuleSet, TrainingExample } from '../router.interface';

/** The config-sync scope published after every change to categories, examples or rule sets. */
export const ROUTING_CONFIG_SCOPE = 'routing';

/** What rule-set resolution needs to know about a tenant (a TenantView satisfies it). */
export interface RuleSetTenant {
  id: string;
  routing: Pick<TenantRouting, 'ruleSetId' | 'costMode'>;
}

/** Where the routing engine's configuration comes from (the gateway, dry run, suites, replay). */
export interface RoutingCatalogSource {
  /** Engine-ready categories (disabled ones included, flagged; the engine skips them). */
  categories(): readonly RoutingCategory[];
  /** Admin-added examples beyond the categories' own. */
  trainingExamples(): readonly TrainingExample[];
  /** The tenant's rule set, else the global default; the tenant's cost mode applied. */
  ruleSetFor(tenant: RuleSetTenant): RuleSet;
}

/** One consistent view of the catalog; swapped as a whole when an admin changes something. */
export interface RoutingCatalogSnapshot {
  categories: readonly RoutingCategory[];
  trainingExamples: readonly TrainingExample[];
  defaultRuleSet: RuleSet;
  /** Tenant id → that tenant's own rule set. */
  tenantRuleSets: ReadonlyMap<string, RuleSet>;
  /** Rule set id → rule set (for `tenant.routing.ruleSetId`). */
  ruleSetsById: ReadonlyMap<string, RuleSet>;
  /** Increases with every reload. */
  version: number;
}

const INITIAL: RoutingCatalogSnapshot = {
  categories: BUILT_IN_CATEGORIES,
  trainingExamples: [],
  defaultRuleSet: DEFAULT_RULE_SET,
  tenantRuleSets: new Map(),
  ruleSetsById: new Map(),
  version: 0,
};

/**
 * The routing catalog every consumer injects (DESIGN.md §4): the persisted categories, admin-added
 * examples and rule sets as an in-memory snapshot, plus the one shared {@link RoutingEngine}.
 * Built-ins are seeded once at boot; the snapshot is reloaded on every `routing` ConfigChanged
 * signal (any pod), and the local classifier is trained before the new snapshot becomes visible,
 * so no request ever waits for training.
 */
@Injectable()
export class RoutingCatalog implements RoutingCatalogSource, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RoutingCatalog.name);
  /**
   * The engine shared by the gateway, dry run, suites and replay (one classifier cache). Models
   * trained by an earlier process from the same categories, code and data load from disk instead
   * of training again (model-store.ts).
   */
  readonly engine = new RoutingEngine({ store: new DiskModelStore() });
  private state: RoutingCatalogSnapshot = INITIAL;
  private readonly costModeVariants = new WeakMap<RuleSet, Map<string, RuleSet>>();
  private unsubscribe: (() => void) | undefined;
  private reloading: Promise<void> | undefined;
  private pending = false;

  constructor(
    private readonly categoryRepository: RoutingCategoriesRepository,
    private readonly ruleSetRepository: RoutingRuleSetsRepository,
    private readonly seeder: RoutingSeeder,
    private readonly bus: ConfigChangeBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.seeder.seed();
    this.unsubscribe = this.bus.subscribe([ROUTING_CONFIG_SCOPE], () => this.reload());
    await this.reload();
    // Once per process, before traffic: later reloads only retrain.
    const { categories, trainingExamples, defaultRuleSet } = this.state;
    await this.engine.warmUp({ categories, trainingExamples, ruleSet: defaultRuleSet });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  snapshot(): RoutingCatalogSnapshot {
    return this.state;
  }

  get version(): number {
    return this.state.version;
  }

  categories(): readonly RoutingCategory[] {
    return this.state.categories;
  }

  trainingExamples(): readonly TrainingExample[] {
    return this.state.trainingExamples;
  }

  defaultRuleSet(): RuleSet {
    return this.state.defaultRuleSet;
  }

  /** The tenant's own rule set, else the one its `ruleSetId` names, else the global default. */
  ruleSetFor(tenant: RuleSetTenant): RuleSet {
    const { tenantRuleSets, ruleSetsById, defaultRuleSet } = this.state;
    const ruleSetId = tenant.routing.ruleSetId;
    const base =
      tenantRuleSets.get(tenant.id) ??
      (ruleSetId ? ruleSetsById.get(ruleSetId) : undefined) ??
      defaultRuleSet;
    const costMode = tenant.routing.costMode;
    if (!costMode || costMode === base.costMode) return base;
    let variants = this.costModeVariants.get(base);
    if (!variants) {
      variants = new Map();
      this.costModeVariants.set(base, variants);
    }
    let ruleSet = variants.get(costMode);
    if (!ruleSet) {
      ruleSet = { ...base, costMode };
      variants.set(costMode, ruleSet);
    }
    return ruleSet;
  }

  /**
   * Re-reads categories and rule sets, trains the classifier, then swaps the snapshot. Calls during
   * a reload share it and trigger one more pass afterwards, so the last change is never missed.
   */
  reload(): Promise<void> {
    if (this.reloading) {
      this.pending = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      try {
        do {
          this.pending = false;
          await this.load();
        } while (this.pending);
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }

  private async train(
    categories: readonly RoutingCategory[],
    trainingExamples: readonly TrainingExample[],
  ): Promise<void> {
    try {
      const stats = await this.engine.prepareInBackground(categories, trainingExamples);
      this.logger.debug(
        `Routing models ready (classifier ${stats.trainingMs.toFixed(0)} ms, tier model ${stats.tierModel.trainingMs.toFixed(0)} ms, in a training process)`,
      );
    } catch (error) {
      // The models must exist either way: train here, as before the worker (blocks for about a second).
      this.logger.warn(`Training in a child process failed (${String(error)}); training in-process`);
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.engine.prepare(categories, trainingExamples);
    }
  }

  private async load(): Promise<void> {
    const [categoryRecords, ruleSetRecords] = await Promise.all([
      this.categoryRepository.findAll(),
      this.ruleSetRepository.findAll(),
    ]);
    const categories = categoryRecords.map(toRoutingCategory);
    const trainingExamples = trainingExamplesOf(categoryRecords);
    let defaultRuleSet = DEFAULT_RULE_SET;
    const tenantRuleSets = new Map<string, RuleSet>();
    const ruleSetsById = new Map<string, RuleSet>();
    for (const record of ruleSetRecords) {
      // Category keys are checked on write; a rule naming a since-deleted category simply never wins.
      const checked = validateRuleSet(toRuleSet(record));
      if (!checked.ok) {
        this.logger.warn(
          `Ignoring invalid rule set ${record.scope}: ${checked.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
        );
        continue;
      }
      const ruleSet = checked.value;
      ruleSetsById.set(String(record._id), ruleSet);
      if (record.scope === DEFAULT_RULE_SET_SCOPE) defaultRuleSet = ruleSet;
      else if (record.tenantId) tenantRuleSets.set(record.tenantId, ruleSet);
    }
    // Train (in a child process) before publishing the snapshot: requests keep the old models meanwhile.
    await this.train(categories, trainingExamples);
    this.state = {
      categories,
      trainingExamples,
      defaultRuleSet,
      tenantRuleSets,
      ruleSetsById,
      version: this.state.version + 1,
    };
    this.logger.debug(
      `Loaded ${categories.length} routing categories and ${ruleSetRecords.length} rule sets`,
    );
  }
}
