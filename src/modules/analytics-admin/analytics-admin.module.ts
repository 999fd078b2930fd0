import { Module } from '@nestjs/common';

import { AnalyticsModule } from '../analytics/analytics.module';
import { TenantsModule } from '../tenants/tenants.module';
import { AnalyticsCache } from './analytics-cache';
import { AnalyticsScopeResolver } from './analytics-scope';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';

/**
 * The read side of cost analytics (control role): dashboard, request log, FinOps export and the
 * portal's usage view. It composes analytics with tenants, audit and routing traces, so it sits
 * above them (like the other admin modules).
 */
@Module({
  imports: [AnalyticsModule, TenantsModule],
  controllers: [DashboardController],
  providers: [AnalyticsCache, AnalyticsScopeResolver, DashboardService],
})
export class AnalyticsAdminModule {}
