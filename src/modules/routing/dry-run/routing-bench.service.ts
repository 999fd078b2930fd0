import { Injectable } from '@nestjs/common';

import { ControlPlaneConfigSource } from '../../gateway/config/gateway-config.source';
import type { TenantModelIndex } from '../../gateway/config/tenant-model-index';
import { TenantModelIndexes } from '../../gateway/config/tenant-model-indexes';
import { EngineRouter } from '../../gateway/routing/engine-router';
import { ProviderAdapterRegistry } from '../../providers/adapters/provider-adapter';
import { ProviderCatalog } from '../../providers/provider-catalog.service';
import { KeyUsageRecorder } from '../../tenants/key-usage.recorder';
import { TenantDirectory } from '../../tenants/tenant-directory.service';
import type { TenantView } from '../../tenants/tenant.types';
import { RoutingCatalog } from '../catalog/routing-catalog';
import type { RoutingDecision, RoutingEvidence, RuleSet } from '../router.interface';
import { RoutingTenantNotFoundError } from './routing-tools.errors';

export interface BenchMessage {
  role: string;
  content: string;
}

/**
 * The admin side of routing (dry run, suites, replay) on exactly the gateway's code: the same
 * EngineRouter class, catalog, shared engine and tenant model index, built over the control
 * plane's caches. It has no trace sink and never writes session memory.
 */
@Injectable()
export class RoutingBench {
  private readonly router: EngineRouter;
  private readonly indexes: TenantModelIndexes;

  constructor(
    private readonly tenants: TenantDirectory,
    providers: ProviderCatalog,
    keyUsage: KeyUsageRecorder,
    adapters: ProviderAdapterRegistry,
    catalog: RoutingCatalog,
  ) {
    const source = new ControlPlaneConfigSource(tenants, providers, keyUsage);
    this.router = new EngineRouter(catalog, source, adapters, catalog.engine);
    this.indexes = new TenantModelIndexes(source);
  }

  tenant(idOrSlug: string): TenantView {
    const tenant = this.tenants.getTenant(idOrSlug);
    if (!tenant) throw new RoutingTenantNotFoundError(idOrSlug);
    return tenant;
  }

  models(tenant: TenantView): TenantModelIndex {
    return this.indexes.for(tenant);
  }

  /** What the gateway would decide for this chat request with `model: auto` (no side effects). */
  dryRun(
    tenant: TenantView,
    messages: readonly BenchMessage[],
    options: { llmClassifier: boolean },
  ): Promise<RoutingDecision> {
    return this.router.decide(
      {
        tenant,
        endpoint: 'chat',
        body: { model: 'auto', messages },
        userModel: null,
        models: this.models(tenant),
        estimatedInputTokens: 0,
      },
      { dryRun: true, llmClassifier: options.llmClassifier },
    );
  }

  replay(evidence: RoutingEvidence, tenant: TenantView, ruleSet?: RuleSet): Promise<RoutingDecision> {
    return this.router.replay(evidence, { tenant, models: this.models(tenant) }, ruleSet);
  }
}

/** Chat messages from the dry-run / test-case shape. */
export function benchMessages(input: {
  prompt?: string;
  systemPrompt?: string;
  messages?: readonly BenchMessage[];
}): BenchMessage[] {
  const messages: BenchMessage[] = [];
  if (input.systemPrompt) messages.push({ role: 'system', content: input.systemPrompt });
  if (input.messages) messages.push(...input.messages);
  if (input.prompt) messages.push({ role: 'user', content: input.prompt });
  return messages;
}
