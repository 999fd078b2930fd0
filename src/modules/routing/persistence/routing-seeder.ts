import { Injectable, Logger } from '@nestjs/common';

import { BUILT_IN_CATEGORIES, DEFAULT_RULE_SET } from '../data';
import { RoutingCategoriesRepository } from './routing-categories.repository';
import { RoutingRuleSetsRepository } from './routing-rule-sets.repository';
import { RoutingSeedStateRepository } from './routing-seed-state.repository';

/**
 * Seeds the built-in categories and the global default rule set exactly once (DESIGN.md §4). The
 * marker document lists what was seeded, so a restart never re-inserts a category an admin changed,
 * and only built-ins added by a later release are seeded then. Every step is an idempotent upsert,
 * so pods booting at the same time cannot duplicate or overwrite anything.
 */
@Injectable()
export class RoutingSeeder {
  private readonly logger = new Logger(RoutingSeeder.name);

  constructor(
    private readonly state: RoutingSeedStateRepository,
    private readonly categories: RoutingCategoriesRepository,
    private readonly ruleSets: RoutingRuleSetsRepository,
  ) {}

  async seed(): Promise<void> {
    const marker = await this.state.read();
    const seeded = new Set(marker.seededCategories);
    const missing = BUILT_IN_CATEGORIES.filter((category) => !seeded.has(category.key));
    const ruleSetMissing = !marker.seededDefaultRuleSet;
    if (missing.length === 0 && !ruleSetMissing) return;

    await this.categories.insertMissing(missing);
    if (ruleSetMissing) await this.ruleSets.insertDefaultIfMissing(DEFAULT_RULE_SET);
    // Pods booting together write the same list (the built-ins of the same release).
    await this.state.write({
      seededCategories: [...seeded, ...missing.map((category) => category.key)],
      seededDefaultRuleSet: true,
    });
    this.logger.log(
      `Seeded ${missing.length} built-in routing categories${ruleSetMissing ? ' and the default rule set' : ''}`,
    );
  }
}
