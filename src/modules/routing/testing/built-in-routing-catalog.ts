import type { RoutingCatalogSource, RuleSetTenant } from '../catalog/routing-catalog';
import { BUILT_IN_CATEGORIES, DEFAULT_RULE_SET } from '../data';
import { RoutingEngine } from '../engine';
import type { RoutingCategory, RuleSet, TrainingExample } from '../router.interface';

const NO_EXAMPLES: readonly TrainingExample[] = [];

/**
 * The built-in categories and the default rule set, for unit tests. Production uses the persisted
 * RoutingCatalog of the routing module.
 */
export class BuiltInRoutingCatalog implements RoutingCatalogSource {
  /** An engine of its own, like the production catalog's shared one. */
  readonly engine = new RoutingEngine();
  private readonly categoryList: readonly RoutingCategory[] = BUILT_IN_CATEGORIES;
  private readonly ruleSets = new Map<string, RuleSet>();

  categories(): readonly RoutingCategory[] {
    return this.categoryList;
  }

  trainingExamples(): readonly TrainingExample[] {
    return NO_EXAMPLES;
  }

  ruleSetFor(tenant: RuleSetTenant): RuleSet {
    const costMode = tenant.routing.costMode;
    if (!costMode || costMode === DEFAULT_RULE_SET.costMode) return DEFAULT_RULE_SET;
    let ruleSet = this.ruleSets.get(costMode);
    if (!ruleSet) {
      ruleSet = { ...DEFAULT_RULE_SET, costMode };
      this.ruleSets.set(costMode, ruleSet);
    }
    return ruleSet;
  }
}
