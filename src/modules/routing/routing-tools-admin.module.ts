import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { AnalyticsModule } from '../analytics/analytics.module';
import { ProviderAdaptersModule } from '../providers/adapters/provider-adapters.module';
import { ProvidersModule } from '../providers/providers.module';
import { TenantsModule } from '../tenants/tenants.module';
import { RoutingDryRunController } from './dry-run/dry-run.controller';
import { RoutingDryRunService } from './dry-run/dry-run.service';
import { RoutingBench } from './dry-run/routing-bench.service';
import { RoutingReplayController } from './replay/routing-replay.controller';
import { RoutingReplayService } from './replay/routing-replay.service';
import { RoutingModule } from './routing.module';
import { RoutingLlm } from './suites/routing-llm.service';
import {
  RoutingSuite,
  RoutingSuiteRun,
  RoutingSuiteRunSchema,
  RoutingSuiteSchema,
} from './suites/routing-suite.schema';
import { RoutingSuitesController } from './suites/routing-suites.controller';
import { RoutingSuitesRepository } from './suites/routing-suites.repository';
import { RoutingSuitesService } from './suites/routing-suites.service';
import { RoutingTraceModule } from './trace/routing-trace.module';

/**
 * Admin tools on the production routing code (control role): dry run, stored traces, synthetic
 * test suites and replay.
 */
@Module({
  imports: [
    RoutingModule,
    RoutingTraceModule,
    TenantsModule,
    ProvidersModule,
    ProviderAdaptersModule,
    AnalyticsModule,
    MongooseModule.forFeature([
      { name: RoutingSuite.name, schema: RoutingSuiteSchema },
      { name: RoutingSuiteRun.name, schema: RoutingSuiteRunSchema },
    ]),
  ],
  controllers: [RoutingDryRunController, RoutingSuitesController, RoutingReplayController],
  providers: [
    RoutingBench,
    RoutingDryRunService,
    RoutingLlm,
    RoutingSuitesRepository,
    RoutingSuitesService,
    RoutingReplayService,
  ],
})
export class RoutingToolsAdminModule {}
