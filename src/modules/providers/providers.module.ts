import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { CryptoModule } from '../../common/crypto/crypto.module';
import { ModelsRepository } from './models.repository';
import { ProviderCatalog } from './provider-catalog.service';
import { ProviderModel, ProviderModelSchema } from './provider-model.schema';
import { Provider, ProviderSchema } from './provider.schema';
import { ProvidersRepository } from './providers.repository';

/**
 * Providers and the model registry as the data plane reads them (control and worker roles).
 * Admin routes live in ProvidersAdminModule.
 */
@Module({
  imports: [
    CryptoModule,
    MongooseModule.forFeature([
      { name: Provider.name, schema: ProviderSchema },
      { name: ProviderModel.name, schema: ProviderModelSchema },
    ]),
  ],
  providers: [ProvidersRepository, ModelsRepository, ProviderCatalog],
  exports: [ProviderCatalog, ProvidersRepository, ModelsRepository, CryptoModule],
})
export class ProvidersModule {}
