import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

import { AuditService } from '../../audit/audit.service';
import { ConfigChangeBus, ConfigScope } from '../../config-sync/config-change.bus';
import type { TenantRecord } from '../../tenants/tenant.schema';
import { TenantsRepository } from '../../tenants/tenants.repository';
import { ROUTING_CONFIG_SCOPE } from '../catalog/routing-catalog';
import { DEFAULT_RULE_SET } from '../data';
import type { RuleSet } from '../engine/routing.types';
import { validateRuleSet } from '../engine/rule-set.validation';
import { RoutingCategoriesRepository } from '../persistence/routing-categories.repository';
import {
  DEFAULT_RULE_SET_SCOPE,
  type RoutingRuleSetRecord,
  tenantRuleSetScope,
} from '../persistence/routing-rule-set.schema';
import { RoutingRuleSetsRepository, ruleSetFields } from '../persistence/routing-rule-sets.repository';
import {
  InvalidRuleSetError,
  RuleSetTenantNotFoundError,
  TenantRuleSetNotFoundError,
} from '../routing.errors';
import type { RuleSetListResponseDto, RuleSetResponseDto } from './dto/rule-set-response.dto';
import type { RuleSetDto } from './dto/rule-set.dto';

/** The global default rule set and per-tenant overrides; every write publishes the `routing` scope. */
@Injectable()
export class RuleSetsService implements OnModuleInit, OnModuleDestroy {
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly repository: RoutingRuleSetsRepository,
    private readonly categories: RoutingCategoriesRepository,
    private readonly tenants: TenantsRepository,
    private readonly bus: ConfigChangeBus,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe([ConfigScope.Tenants], () => this.pruneDeletedTenants());
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /**
   * A deleted tenant's override goes with it. Runs on every control pod after a tenant change;
   * deleting is idempotent, so only the pod that actually removed one publishes and audits it.
   */
  async pruneDeletedTenants(): Promise<void> {
    const [records, tenants] = await Promise.all([this.repository.findAll(), this.tenants.findAll()]);
    const known = new Set(tenants.map((tenant) => String(tenant._id)));
    const orphans = records.filter((record) => record.tenantId !== null && !known.has(record.tenantId));
    let removed = 0;
    for (const orphan of orphans) {
      if (!(await this.repository.delete(orphan.scope))) continue;
      removed += 1;
      await this.audit.record({
        action: 'rule_set.delete',
        target: { type: 'rule_set', id: String(orphan._id), label: orphan.scope },
        before: toResponse(orphan, null),
        details: { reason: 'tenant_deleted' },
      });
    }
    if (removed > 0) await this.bus.publish(ROUTING_CONFIG_SCOPE);
  }

  async list(): Promise<RuleSetListResponseDto> {
    const [records, tenants] = await Promise.all([this.repository.findAll(), this.tenants.findAll()]);
    const slugs = new Map(tenants.map((tenant) => [String(tenant._id), tenant.slug]));
    const items = records
      .map((record) => toResponse(record, record.tenantId ? (slugs.get(record.tenantId) ?? null) : null))
      .sort((a, b) => Number(b.scope === 'default') - Number(a.scope === 'default'));
    return { items };
  }

  async getDefault(): Promise<RuleSetResponseDto> {
    const record = await this.repository.findByScope(DEFAULT_RULE_SET_SCOPE);
    return record ? toResponse(record, null) : shippedDefault();
  }

  async putDefault(dto: RuleSetDto): Promise<RuleSetResponseDto> {
    const ruleSet = await this.validate(dto);
    const before = await this.getDefault();
    const record = await this.repository.put(DEFAULT_RULE_SET_SCOPE, null, ruleSet);
    await this.bus.publish(ROUTING_CONFIG_SCOPE);
    const after = toResponse(record, null);
    await this.audit.record({
      action: 'rule_set.update',
      target: { type: 'rule_set', id: after.id, label: 'default' },
      before,
      after,
    });
    return after;
  }

  /** The tenant's own rule set, or the default it inherits (`scope: 'default'`). */
  async getForTenant(idOrSlug: string): Promise<RuleSetResponseDto> {
    const tenant = await this.requireTenant(idOrSlug);
    const record = await this.repository.findByScope(tenantRuleSetScope(String(tenant._id)));
    return record ? toResponse(record, tenant.slug) : this.getDefault();
  }

  async putForTenant(idOrSlug: string, dto: RuleSetDto): Promise<RuleSetResponseDto> {
    const tenant = await this.requireTenant(idOrSlug);
    const tenantId = String(tenant._id);
    const ruleSet = await this.validate(dto);
    const existing = await this.repository.findByScope(tenantRuleSetScope(tenantId));
    const record = await this.repository.put(tenantRuleSetScope(tenantId), tenantId, ruleSet);
    await this.bus.publish(ROUTING_CONFIG_SCOPE);
    const after = toResponse(record, tenant.slug);
    await this.audit.record({
      action: existing ? 'rule_set.update' : 'rule_set.create',
      target: { type: 'rule_set', id: after.id, label: tenant.slug },
      before: existing ? toResponse(existing, tenant.slug) : undefined,
      after,
    });
    return after;
  }

  /** Removes the tenant's override; the tenant falls back to the default rule set. */
  async deleteForTenant(idOrSlug: string): Promise<void> {
    const tenant = await this.requireTenant(idOrSlug);
    const scope = tenantRuleSetScope(String(tenant._id));
    const existing = await this.repository.findByScope(scope);
    if (!existing || !(await this.repository.delete(scope))) throw new TenantRuleSetNotFoundError(idOrSlug);
    await this.bus.publish(ROUTING_CONFIG_SCOPE);
    await this.audit.record({
      action: 'rule_set.delete',
      target: { type: 'rule_set', id: String(existing._id), label: tenant.slug },
      before: toResponse(existing, tenant.slug),
    });
  }

  /** The engine's semantic checks (safe regexes, tier order, known categories) → 400 with field details. */
  private async validate(dto: RuleSetDto): Promise<RuleSet> {
    const keys = (await this.categories.findAll()).map((category) => category.key);
    const result = validateRuleSet(JSON.parse(JSON.stringify(dto)) as unknown, { categoryKeys: keys });
    if (!result.ok) throw new InvalidRuleSetError(result.errors);
    return result.value;
  }

  private async requireTenant(idOrSlug: string): Promise<TenantRecord> {
    const tenant = await this.tenants.findByIdOrSlug(idOrSlug);
    if (!tenant) throw new RuleSetTenantNotFoundError(idOrSlug);
    return tenant;
  }
}

function toResponse(record: RoutingRuleSetRecord, tenantSlug: string | null): RuleSetResponseDto {
  const fields = ruleSetFields(record);
  return {
    id: String(record._id),
    scope: record.scope === DEFAULT_RULE_SET_SCOPE ? 'default' : 'tenant',
    tenantId: record.tenantId ?? null,
    tenantSlug,
    ...fields,
    keywordRules: fields.keywordRules.map((rule) => ({ ...rule, keywords: [...rule.keywords] })),
    systemPromptRoles: [...fields.systemPromptRoles],
    updatedAt: record.updatedAt ? new Date(record.updatedAt).toISOString() : null,
  };
}

/** Only before the first boot finished seeding. */
function shippedDefault(): RuleSetResponseDto {
  const fields = ruleSetFields(DEFAULT_RULE_SET);
  return {
    id: DEFAULT_RULE_SET_SCOPE,
    scope: 'default',
    tenantId: null,
    tenantSlug: null,
    ...fields,
    keywordRules: fields.keywordRules.map((rule) => ({ ...rule, keywords: [...rule.keywords] })),
    systemPromptRoles: [...fields.systemPromptRoles],
    updatedAt: null,
  };
}
