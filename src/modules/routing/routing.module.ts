import { Module } from '@nestjs/common';

import { RoutingCatalog } from './catalog/routing-catalog';

/**
 * Routing configuration for every role: the in-memory {@link RoutingCatalog} (categories, admin
 * examples, rule sets, the shared engine). Admin routes are in RoutingAdminModule (control only).
 */
@Module({
  providers: [RoutingCatalog],
  exports: [RoutingCatalog],
})
export class RoutingModule {}
