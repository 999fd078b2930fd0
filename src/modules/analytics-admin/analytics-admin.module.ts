import { Module } from '@nestjs/common';

import { CryptoModule } from '../../common/crypto/crypto.module';
import { AnalyticsModule } from '../analytics/analytics.module';
import { LegacyRollupMigration } from '../analytics/legacy-rollup-migration.service';
import { RoutingTraceModule } from '../routing/trace/routing-trace.module';
import { TenantsModule } from '../tenants/tenants.module';
import { AnalyticsCache } from './analytics-cache';
import { AnalyticsScopeResolver } from './analytics-scope';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';
import { FinopsController } from './finops.controller';
import { PortalUsageController } from './portal-usage.controller';
import { RequestLogService } from './request-log.service';
import { RequestsController } from './requests.controller';
import { RollupCacheWarmer } from './rollup-cache-warmer';
import { RollupDigestJob } from './rollup-digest-job';
import { RollupsController } from './rollups.controller';

/**
 * The read side of cost analytics (control role): dashboard, request log, FinOps export and the
 * portal's usage view. It composes analytics with tenants, audit and routing traces, so it sits
 * above them (like the other admin modules).
 */
@Module({
  imports: [AnalyticsModule, TenantsModule, RoutingTraceModule, CryptoModule],
  controllers: [
    DashboardController,
    RequestsController,
    FinopsController,
    PortalUsageController,
    RollupsController,
  ],
  providers: [
    AnalyticsCache,
    AnalyticsScopeResolver,
    DashboardService,
    RequestLogService,
    // Control/full pods only: the one-time conversion of the legacy rollup rows.
    LegacyRollupMigration,
    // Control/full pods only: keeps the closed days the dashboard reads in memory.
    RollupCacheWarmer,
    // Control/full pods only, one at a time (leased): keeps the closed days' digests current.
    RollupDigestJob,
  ],
})
export class AnalyticsAdminModule {}
