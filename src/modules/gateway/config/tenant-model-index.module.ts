import { Global, Module } from '@nestjs/common';

import { ProvidersModule } from '../../providers/providers.module';
import { TENANT_MODEL_SOURCE, type TenantModelSource } from '../../routing/router/tenant-models';
import { TenantsModule } from '../../tenants/tenants.module';
import { ControlPlaneConfigSource } from './gateway-config.source';
import { TenantModelIndexes } from './tenant-model-indexes';

/**
 * Binds routing's {@link TENANT_MODEL_SOURCE} port to the gateway's tenant model indexes (global,
 * booted by the control role), so the routing admin tools (dry run, suites, replay) see exactly the
 * allow-list, provider and visibility rules the gateway applies, without routing importing the
 * gateway.
 */
@Global()
@Module({
  imports: [TenantsModule, ProvidersModule],
  providers: [
    ControlPlaneConfigSource,
    {
      provide: TENANT_MODEL_SOURCE,
      inject: [ControlPlaneConfigSource],
      useFactory: (source: ControlPlaneConfigSource): TenantModelSource => new TenantModelIndexes(source),
    },
  ],
  exports: [TENANT_MODEL_SOURCE],
})
export class TenantModelIndexModule {}
