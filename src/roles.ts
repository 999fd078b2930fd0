import type { Type } from '@nestjs/common';

import type { NodeRole } from './core/config/environment';
import { AnalyticsAdminModule } from './modules/analytics-admin/analytics-admin.module';
import { AnalyticsModule } from './modules/analytics/analytics.module';
import { AuditAdminModule } from './modules/audit/audit-admin.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuthAdminModule } from './modules/auth/auth-admin.module';
import { AuthModule } from './modules/auth/auth.module';
import { ConfigSyncModule } from './modules/config-sync/config-sync.module';
import { TenantModelIndexModule } from './modules/gateway/config/tenant-model-index.module';
import { GatewayCoreModule, GatewayModule } from './modules/gateway/gateway.module';
import { PlaygroundAdminModule } from './modules/gateway/playground-admin.module';
import { LimitsModule } from './modules/limits/limits.module';
import { ProvidersAdminModule } from './modules/providers/providers-admin.module';
import { ProvidersModule } from './modules/providers/providers.module';
import { RoutingAdminModule } from './modules/routing/routing-admin.module';
import { RoutingToolsAdminModule } from './modules/routing/routing-tools-admin.module';
import { RoutingModule } from './modules/routing/routing.module';
import { SystemAdminModule } from './modules/system/system-admin.module';
import { SystemModule } from './modules/system/system.module';
import { TenantsAdminModule } from './modules/tenants/tenants-admin.module';
import { TenantsModule } from './modules/tenants/tenants.module';

/**
 * Which feature modules each role boots (DESIGN.md §2). Pure data: `full` is always the union of
 * `control` and `worker`, so a module added to one of them reaches `full` too. Admin controllers
 * live in `*-admin` modules listed only under control, so a worker cannot expose them by accident.
 * Every feature module is listed here, also those another module imports anyway, so this file
 * shows what a role runs (roles.spec.ts checks none is missing). Config and database are in
 * AppModule.
 */
export const CONTROL_MODULES: readonly Type[] = [
  SystemModule,
  ConfigSyncModule,
  AuditModule,
  AuthModule,
  TenantsModule,
  ProvidersModule,
  AnalyticsModule,
  RoutingModule,
  // The gateway's config source and tenant model indexes, also read by the routing admin tools.
  TenantModelIndexModule,
  // The gateway pipeline without its routes, for the console's playground.
  LimitsModule,
  GatewayCoreModule,
  SystemAdminModule,
  AuditAdminModule,
  AuthAdminModule,
  TenantsAdminModule,
  ProvidersAdminModule,
  AnalyticsAdminModule,
  RoutingAdminModule,
  RoutingToolsAdminModule,
  PlaygroundAdminModule,
];

export const WORKER_MODULES: readonly Type[] = [
  SystemModule,
  ConfigSyncModule,
  LimitsModule,
  TenantsModule,
  ProvidersModule,
  AnalyticsModule,
  RoutingModule,
  TenantModelIndexModule,
  GatewayCoreModule,
  GatewayModule,
];

export function modulesForRole(role: NodeRole): Type[] {
  switch (role) {
    case 'control':
      return [...CONTROL_MODULES];
    case 'worker':
      return [...WORKER_MODULES];
    case 'full':
      return [...new Set([...CONTROL_MODULES, ...WORKER_MODULES])];
  }
}
