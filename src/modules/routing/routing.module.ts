import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { ProviderAdapterRegistry } from '../providers/adapters/provider-adapter';
import { ProviderAdaptersModule } from '../providers/adapters/provider-adapters.module';
import { ProviderCatalog } from '../providers/provider-catalog.service';
import { ProvidersModule } from '../providers/providers.module';
import { RoutingCatalog } from './catalog/routing-catalog';
import { RoutingCategoriesRepository } from './persistence/routing-categories.repository';
import { RoutingCategoryDoc, RoutingCategorySchema } from './persistence/routing-category.schema';
import { RoutingRuleSetDoc, RoutingRuleSetSchema } from './persistence/routing-rule-set.schema';
import { RoutingRuleSetsRepository } from './persistence/routing-rule-sets.repository';
import { RoutingSeedStateRepository } from './persistence/routing-seed-state.repository';
import { RoutingSeeder } from './persistence/routing-seeder';
import { EngineRouter } from './router/engine-router';
import { RoutingTraceModule } from './trace/routing-trace.module';
import { RoutingTraceWriter } from './trace/routing-trace.writer';

/**
 * Routing for every role: the persisted categories and rule sets (seeded once), the in-memory
 * {@link RoutingCatalog} built from them with the one shared engine, and the one
 * {@link EngineRouter} the gateway, dry run, suites and replay all inject. Admin routes are in
 * RoutingAdminModule and RoutingToolsAdminModule (control only).
 */
@Module({
  imports: [
    ProvidersModule,
    ProviderAdaptersModule,
    RoutingTraceModule,
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
    {
      provide: EngineRouter,
      inject: [RoutingCatalog, ProviderCatalog, ProviderAdapterRegistry, RoutingTraceWriter],
      useFactory: (
        catalog: RoutingCatalog,
        providers: ProviderCatalog,
        adapters: ProviderAdapterRegistry,
        traces: RoutingTraceWriter,
      ) => new EngineRouter(catalog, providers, adapters, traces),
    },
  ],
  exports: [RoutingCatalog, EngineRouter, RoutingCategoriesRepository, RoutingRuleSetsRepository],
})
export class RoutingModule {}
