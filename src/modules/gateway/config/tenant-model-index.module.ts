import { Global, Module } from '@nestjs/common';

import { ProvidersModule } from '../../providers/providers.module';
import { TENANT_MODEL_SOURCE } from '../../routing/router/tenant-models';
import { TenantsModule } from '../../tenants/tenants.module';
import {
  ControlPlaneConfigSource,
  GATEWAY_CONFIG_SOURCE,
  type GatewayConfigSource,
} from './gateway-config.source';
import { TenantModelIndexes } from './tenant-model-indexes';

/**
 * The gateway's view of the control-plane config and its per-tenant model indexes, one of each per
 * process: the gateway pipeline injects them, and routing's {@link TENANT_MODEL_SOURCE} port is
 * bound to the same indexes, so the routing admin tools (dry run, suites, replay) see exactly the
 * allow-list, provider and visibility rules the gateway applies, from the same cache, without
 * routing importing the gateway. Global because those admin tools live in other modules.
 */
@Global()
@Module({
  imports: [TenantsModule, ProvidersModule],
  providers: [
    { provide: GATEWAY_CONFIG_SOURCE, useClass: ControlPlaneConfigSource },
    {
      provide: TenantModelIndexes,
      inject: [GATEWAY_CONFIG_SOURCE],
      useFactory: (source: GatewayConfigSource) => new TenantModelIndexes(source),
    },
    { provide: TENANT_MODEL_SOURCE, useExisting: TenantModelIndexes },
  ],
  exports: [GATEWAY_CONFIG_SOURCE, TenantModelIndexes, TENANT_MODEL_SOURCE],
})
export class TenantModelIndexModule {}
