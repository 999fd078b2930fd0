import { Module } from '@nestjs/common';

import { TenantsModule } from '../tenants/tenants.module';
import { ProviderAdaptersModule } from './adapters/provider-adapters.module';
import { ProviderCheckService } from './check/provider-check.service';
import { ModelsController } from './models.controller';
import { ModelsService } from './models.service';
import { ProvidersController } from './providers.controller';
import { ProvidersModule } from './providers.module';
import { ProvidersService } from './providers.service';

/** Admin routes for providers and the model registry (control role only). */
@Module({
  imports: [ProvidersModule, ProviderAdaptersModule, TenantsModule],
  controllers: [ProvidersController, ModelsController],
  providers: [ProvidersService, ModelsService, ProviderCheckService],
})
export class ProvidersAdminModule {}
