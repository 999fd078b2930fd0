import { Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';

import { ProviderCatalog } from '../provider-catalog.service';
import { ProvidersModule } from '../providers.module';
import { AnthropicAdapter } from './anthropic/anthropic.adapter';
import { AzureOpenAIAdapter } from './azure/azure-openai.adapter';
import { BedrockAdapter } from './bedrock/bedrock.adapter';
import { OpenAICompatibleAdapter } from './openai/openai-compatible.adapter';
import { PROVIDER_ADAPTERS, type ProviderAdapter, ProviderAdapterRegistry } from './provider-adapter';

@Injectable()
class AdapterLifecycle implements OnApplicationShutdown {
  constructor(private readonly registry: ProviderAdapterRegistry) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.registry.all().map((adapter) => adapter.close?.() ?? Promise.resolve()));
  }
}

/**
 * Every provider adapter, registered under PROVIDER_ADAPTERS; the registry picks one by provider
 * type. Adding a vendor = one folder under adapters/ + one entry in this list.
 */
@Module({
  imports: [ProvidersModule],
  providers: [
    {
      provide: PROVIDER_ADAPTERS,
      inject: [ProviderCatalog],
      useFactory: (catalog: ProviderCatalog): ProviderAdapter[] => [
        new OpenAICompatibleAdapter(),
        // Azure reads from the registry which deployments use the Responses API.
        new AzureOpenAIAdapter((providerId, deployment) => {
          const model = catalog.findModel(providerId, deployment);
          return model && { apiType: model.apiType, reasoning: model.capabilities.reasoning };
        }),
        new AnthropicAdapter(),
        new BedrockAdapter(),
      ],
    },
    {
      provide: ProviderAdapterRegistry,
      inject: [PROVIDER_ADAPTERS],
      useFactory: (adapters: ProviderAdapter[]) => new ProviderAdapterRegistry(adapters),
    },
    AdapterLifecycle,
  ],
  exports: [PROVIDER_ADAPTERS, ProviderAdapterRegistry],
})
export class ProviderAdaptersModule {}
