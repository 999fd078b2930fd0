import { Inject, Injectable } from '@nestjs/common';

import { TenantDirectory } from '../../tenants/tenant-directory.service';
import type { TenantView } from '../../tenants/tenant.types';
import type { RoutingDecision, RoutingEvidence, RuleSet } from '../router.interface';
import { EngineRouter } from '../router/engine-router';
import { TENANT_MODEL_SOURCE, type TenantModels, type TenantModelSource } from '../router/tenant-models';
import { RoutingTenantNotFoundError } from './routing-tools.errors';

export interface BenchMessage {
  role: string;
  content: string;
}

/**
 * The admin side of routing (dry run, suites, replay) on exactly the gateway's code: the injected
 * EngineRouter (one engine, one cache per process) and the tenant model sets the gateway applies.
 * It only decides (never `route`), so it records no trace and never writes session memory.
 */
@Injectable()
export class RoutingBench {
  constructor(
    private readonly tenants: TenantDirectory,
    private readonly router: EngineRouter,
    @Inject(TENANT_MODEL_SOURCE) private readonly tenantModels: TenantModelSource,
  ) {}

  tenant(idOrSlug: string): TenantView {
    const tenant = this.tenants.getTenant(idOrSlug);
    if (!tenant) throw new RoutingTenantNotFoundError(idOrSlug);
    return tenant;
  }

  models(tenant: TenantView): TenantModels {
    return this.tenantModels.for(tenant);
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
        body: { model: 'auto', messages },
        userModel: null,
        models: this.models(tenant),
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
