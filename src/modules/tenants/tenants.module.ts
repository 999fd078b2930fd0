import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { ApiKey, ApiKeySchema } from './api-key.schema';
import { ApiKeysRepository } from './api-keys.repository';
import { KeyUsageRecorder } from './key-usage.recorder';
import { TenantDirectory } from './tenant-directory.service';
import { Tenant, TenantSchema } from './tenant.schema';
import { TenantsRepository } from './tenants.repository';

/**
 * Tenants and API keys as the data plane reads them (control and worker roles): the in-memory
 * TenantDirectory and the batched KeyUsageRecorder. Admin and portal routes are in TenantsAdminModule.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Tenant.name, schema: TenantSchema },
      { name: ApiKey.name, schema: ApiKeySchema },
    ]),
  ],
  providers: [TenantsRepository, ApiKeysRepository, TenantDirectory, KeyUsageRecorder],
  exports: [TenantDirectory, KeyUsageRecorder, TenantsRepository, ApiKeysRepository],
})
export class TenantsModule {}
