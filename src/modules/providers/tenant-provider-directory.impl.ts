import { Injectable } from '@nestjs/common';

import { type ServedModel, TenantProviderDirectory } from '../tenants/tenant-provider-directory';
import { ProviderCatalog } from './provider-catalog.service';
import { ProvidersRepository } from './providers.repository';

/** Implements the tenants' port from the provider catalog (models) and repository (ids). */
@Injectable()
export class ProvidersForTenants extends TenantProviderDirectory {
  constructor(
    private readonly repository: ProvidersRepository,
    private readonly catalog: ProviderCatalog,
  ) {
    super();
  }

  async knownProviderIds(): Promise<ReadonlySet<string>> {
    return new Set((await this.repository.findAll()).map((p) => p._id.toString()));
  }

  servedModels(providerIds: readonly string[]): ServedModel[] {
    return providerIds
      .filter((providerId) => this.catalog.getProvider(providerId)?.enabled === true)
      .flatMap((providerId) => this.catalog.modelsOf(providerId))
      .filter((m) => m.visible && !m.capabilities.embeddings)
      .map((m) => ({
        modelId: m.modelId,
        prefixedId: m.prefixedId,
        name: m.name,
        providerSlug: m.providerSlug,
        tier: m.tier,
        contextWindow: m.contextWindow,
        inputPer1M: m.pricing.inputPer1M,
        outputPer1M: m.pricing.outputPer1M,
      }));
  }
}
