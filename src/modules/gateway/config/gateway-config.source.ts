import { Injectable } from '@nestjs/common';

import { ProviderCatalog } from '../../providers/provider-catalog.service';
import type { ModelView, ProviderView, ResolvedProvider } from '../../providers/provider.types';
import { KeyUsageRecorder } from '../../tenants/key-usage.recorder';
import { TenantDirectory } from '../../tenants/tenant-directory.service';
import type { KeyResolution, TenantView } from '../../tenants/tenant.types';

/**
 * The gateway's view of the control plane's in-memory read models (tenants, keys, providers,
 * models). Stages depend on this port, not on the modules behind it, so they are unit-testable
 * with a plain object.
 */
export interface GatewayConfigSource {
  /** Changes whenever tenants, keys, providers or models changed (cache key for derived data). */
  readonly version: number;
  /** A key held in memory, judged at `nowMs` (synchronous); undefined when not loaded. */
  knownKey(hash: string, nowMs: number): KeyResolution | undefined;
  /** Any key, asking the database for one not loaded yet. */
  resolveKeyHash(hash: string, now: Date): Promise<KeyResolution>;
  tenant(idOrSlug: string): TenantView | undefined;
  defaultTenant(): TenantView | undefined;
  provider(idOrSlug: string): ProviderView | undefined;
  /** With decrypted credentials, for adapters only. */
  resolvedProvider(id: string): ResolvedProvider | undefined;
  modelsOf(providerId: string): readonly ModelView[];
  /** Every provider's row for an upstream model id. */
  modelsById(modelId: string): readonly ModelView[];
  touchKey(keyId: string, at: Date): void;
}

export const GATEWAY_CONFIG_SOURCE = Symbol('GATEWAY_CONFIG_SOURCE');

/** The production implementation over TenantDirectory, ProviderCatalog and KeyUsageRecorder. */
@Injectable()
export class ControlPlaneConfigSource implements GatewayConfigSource {
  constructor(
    private readonly tenants: TenantDirectory,
    private readonly catalog: ProviderCatalog,
    private readonly keyUsage: KeyUsageRecorder,
  ) {}

  get version(): number {
    // Both counters only grow, so their sum changes whenever either does.
    return this.tenants.version + this.catalog.version;
  }

  knownKey(hash: string, nowMs: number): KeyResolution | undefined {
    return this.tenants.knownKey(hash, nowMs);
  }

  resolveKeyHash(hash: string, now: Date): Promise<KeyResolution> {
    return this.tenants.resolveKeyHash(hash, now);
  }

  tenant(idOrSlug: string): TenantView | undefined {
    return this.tenants.getTenant(idOrSlug);
  }

  defaultTenant(): TenantView | undefined {
    return this.tenants.getDefaultTenant();
  }

  provider(idOrSlug: string): ProviderView | undefined {
    return this.catalog.getProvider(idOrSlug);
  }

  resolvedProvider(id: string): ResolvedProvider | undefined {
    return this.catalog.resolveProvider(id);
  }

  modelsOf(providerId: string): readonly ModelView[] {
    return this.catalog.modelsOf(providerId);
  }

  modelsById(modelId: string): readonly ModelView[] {
    return this.catalog.findModelsById(modelId);
  }

  touchKey(keyId: string, at: Date): void {
    this.keyUsage.touch(keyId, at);
  }
}
