import { Module } from '@nestjs/common';

import { ProvidersModule } from '../providers/providers.module';
import { ProvidersForTenants } from '../providers/tenant-provider-directory.impl';
import { ApiKeysController, KeyPolicyController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { KeyPolicyRepository } from './key-policy.repository';
import { PortalController } from './portal.controller';
import { PortalService } from './portal.service';
import { TenantProviderDirectory } from './tenant-provider-directory';
import { TenantsController } from './tenants.controller';
import { TenantsModule } from './tenants.module';
import { TenantsService } from './tenants.service';

/** Admin and portal routes for tenants and keys (control role only). */
@Module({
  imports: [TenantsModule, ProvidersModule],
  controllers: [TenantsController, ApiKeysController, KeyPolicyController, PortalController],
  providers: [
    TenantsService,
    ApiKeysService,
    PortalService,
    KeyPolicyRepository,
    { provide: TenantProviderDirectory, useClass: ProvidersForTenants },
  ],
})
export class TenantsAdminModule {}
