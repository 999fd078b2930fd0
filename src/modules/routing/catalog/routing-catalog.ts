import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';

import type { TenantRouting } from '../../tenants/tenant.types';
import { BUILT_IN_CATEGORIES, DEFAULT_RULE_SET } from '../data';
import { RoutingEngine } from '../engine';
import type { RoutingCategory, RuleSet, TrainingExample } from '../router.interface';

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
  /** Increases with every reload. */
  version: number;
}

/**
 * The routing catalog every consumer injects (DESIGN.md §4): categories, admin examples and rule
 * sets as an in-memory snapshot, plus the one shared {@link RoutingEngine} whose local classifier is
 * trained before a new snapshot becomes visible, so no request pays for training.
 */
@Injectable()
export class RoutingCatalog implements RoutingCatalogSource, OnApplicationBootstrap {
  /** The engine shared by the gateway, dry run, suites and replay (one classifier cache). */
  readonly engine = new RoutingEngine();
  protected state: RoutingCatalogSnapshot = {
    categories: BUILT_IN_CATEGORIES,
    trainingExamples: [],
    defaultRuleSet: DEFAULT_RULE_SET,
    tenantRuleSets: new Map(),
    version: 0,
  };
  private readonly costModeVariants = new WeakMap<RuleSet, Map<string, RuleSet>>();

  onApplicationBootstrap(): void {
    this.prepare();
  }

  snapshot(): RoutingCatalogSnapshot {
    return this.state;
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

  ruleSetFor(tenant: RuleSetTenant): RuleSet {
    const base = this.state.tenantRuleSets.get(tenant.id) ?? this.state.defaultRuleSet;
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

  /** Trains the local classifier for the current snapshot (idempotent, cached by content). */
  prepare(): void {
    this.engine.prepare(this.state.categories, this.state.trainingExamples);
  }
}
