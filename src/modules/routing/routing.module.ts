import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { RoutingCatalog } from './catalog/routing-catalog';
import { RoutingCategoriesRepository } from './persistence/routing-categories.repository';
import { RoutingCategoryDoc, RoutingCategorySchema } from './persistence/routing-category.schema';
import { RoutingRuleSetDoc, RoutingRuleSetSchema } from './persistence/routing-rule-set.schema';
import { RoutingRuleSetsRepository } from './persistence/routing-rule-sets.repository';
import { RoutingSeedStateRepository } from './persistence/routing-seed-state.repository';
import { RoutingSeeder } from './persistence/routing-seeder';

/**
 * Routing configuration for every role: the persisted categories and rule sets (seeded once) and
 * the in-memory {@link RoutingCatalog} built from them, with the shared engine. Admin routes are in
 * RoutingAdminModule (control only).
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: RoutingCategoryDoc.name, schema: RoutingCategorySchema },
      { name: RoutingRuleSetDoc.name, schema: RoutingRuleSetSchema },
    ]),
  ],
  providers: [
    RoutingCategoriesRepository,
    RoutingRuleSetsRepository,
    RoutingSeedStateRepository,
    RoutingSeeder,
    RoutingCatalog,
  ],
  exports: [RoutingCatalog, RoutingCategoriesRepository, RoutingRuleSetsRepository],
})
export class RoutingModule {}
