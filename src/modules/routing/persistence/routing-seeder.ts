import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';

import { BUILT_IN_CATEGORIES, DEFAULT_RULE_SET } from '../data';
import { RoutingCategoriesRepository } from './routing-categories.repository';
import { RoutingRuleSetsRepository } from './routing-rule-sets.repository';
import { RoutingStateDoc } from './routing-rule-set.schema';

const SEED_ID = 'seed';

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
    @InjectModel(RoutingStateDoc.name) private readonly state: Model<RoutingStateDoc>,
    private readonly categories: RoutingCategoriesRepository,
    private readonly ruleSets: RoutingRuleSetsRepository,
  ) {}

  async seed(): Promise<void> {
    const marker = await this.state.findById(SEED_ID).lean<RoutingStateDoc>().exec();
    const seeded = new Set(marker?.seededCategories ?? []);
    const missing = BUILT_IN_CATEGORIES.filter((category) => !seeded.has(category.key));
    const ruleSetMissing = marker?.seededDefaultRuleSet !== true;
    if (missing.length === 0 && !ruleSetMissing) return;

    await this.categories.insertMissing(missing);
    if (ruleSetMissing) await this.ruleSets.insertDefaultIfMissing(DEFAULT_RULE_SET);
    try {
      await this.state
        .updateOne(
          { _id: SEED_ID },
          {
            $addToSet: { seededCategories: { $each: missing.map((category) => category.key) } },
            $set: { seededDefaultRuleSet: true },
          },
          { upsert: true },
        )
        .exec();
    } catch (error) {
      // A concurrent pod created the marker first; its content is the same.
      if ((error as { code?: number }).code !== 11000) throw error;
    }
    this.logger.log(
      `Seeded ${missing.length} built-in routing categories${ruleSetMissing ? ' and the default rule set' : ''}`,
    );
  }
}
