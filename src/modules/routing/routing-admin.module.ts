import { Module } from '@nestjs/common';

import { ProvidersModule } from '../providers/providers.module';
import { TenantsModule } from '../tenants/tenants.module';
import { CategoriesController } from './categories/categories.controller';
import { CategoriesService } from './categories/categories.service';
import { RoutingModule } from './routing.module';
import { RuleSetsController } from './rule-sets/rule-sets.controller';
import { RuleSetsService } from './rule-sets/rule-sets.service';

/** Admin routes for categories, presets and rule sets (control role only). */
@Module({
  imports: [RoutingModule, ProvidersModule, TenantsModule],
  controllers: [CategoriesController, RuleSetsController],
  providers: [CategoriesService, RuleSetsService],
})
export class RoutingAdminModule {}
