import { Injectable } from '@nestjs/common';

import { pageWindow } from '../../common/dto/page-query.dto';
import { RESERVED_TENANT_SLUGS } from '../../common/reserved-names';
import { AuditService } from '../audit/audit.service';
import { assertTenantAccess, type AuthenticatedUser, tenantFilterFor } from '../auth/rbac';
import { ConfigChangeBus, ConfigScope } from '../config-sync/config-change.bus';
import { RuntimeSettingsService } from '../system/settings/runtime-settings.service';
import { ApiKeysRepository } from './api-keys.repository';
import { buildClientConfig, type ClientConfig, type ClientTool } from './client-config';
import type { TenantListResponseDto, TenantResponseDto } from './dto/tenant-response.dto';
import type {
  CreateTenantDto,
  ListTenantsQueryDto,
  UpdateModelAccessDto,
  UpdateTenantDto,
} from './dto/tenant.dto';
import { defaultTenantSettings, type TenantSettings } from './tenant-defaults';
import { TenantProviderDirectory } from './tenant-provider-directory';
import { tenantIdentity, toTenantView } from './tenant-views';
import type { Tenant, TenantRecord } from './tenant.schema';
import {
  DefaultTenantProtectedError,
  InvalidTenantConfigError,
  ReservedTenantSlugError,
  TenantNotFoundError,
  TenantSlugTakenError,
} from './tenants.errors';
import { type TenantChanges, TenantsRepository } from './tenants.repository';

/** Admin rules for tenants. Every read and write checks the caller's tenant scope. */
@Injectable()
export class TenantsService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly keys: ApiKeysRepository,
    private readonly providers: TenantProviderDirectory,
    private readonly bus: ConfigChangeBus,
    private readonly audit: AuditService,
    private readonly runtime: RuntimeSettingsService,
  ) {}

  async list(user: AuthenticatedUser, query: ListTenantsQueryDto): Promise<TenantListResponseDto> {
    const { page, pageSize, skip, limit } = pageWindow(query);
    const { items, total } = await this.tenants.list(
      { ids: tenantFilterFor(user), search: query.search?.trim() || undefined, active: query.active },
      skip,
      limit,
    );
    const responses = await Promise.all(items.map((t) => this.respond(t)));
    return { items: responses, total, page, pageSize };
  }

  async get(user: AuthenticatedUser, idOrSlug: string): Promise<TenantResponseDto> {
    return this.respond(await this.requireTenant(user, idOrSlug));
  }

  /** Loads a tenant the user may access (404 if missing, 403 if foreign). */
  async requireTenant(user: AuthenticatedUser, idOrSlug: string): Promise<TenantRecord> {
    const record = await this.tenants.findByIdOrSlug(idOrSlug);
    if (!record) throw new TenantNotFoundError(idOrSlug);
    assertTenantAccess(user, record._id.toString());
    return record;
  }

  /** A developer tool's configuration for the tenant (key placeholder), for admins and the portal. */
  async clientConfig(
    user: AuthenticatedUser,
    idOrSlug: string,
    tool: ClientTool,
    origin: string,
  ): Promise<ClientConfig> {
    return buildClientConfig(tool, origin, toTenantView(await this.requireTenant(user, idOrSlug)));
  }

  async create(dto: CreateTenantDto): Promise<TenantResponseDto> {
    if (RESERVED_TENANT_SLUGS.has(dto.slug)) throw new ReservedTenantSlugError(dto.slug);
    if (await this.tenants.findBySlug(dto.slug)) throw new TenantSlugTakenError(dto.slug);
    // A tenant created without a choice gets the cluster's prompt-logging default (runtime setting).
    const defaults = { ...defaultTenantSettings(), promptLogging: this.runtime.get('promptLoggingDefault') };
    const settings = this.applySettings(defaults, dto);
    await this.validate(settings);
    let record: TenantRecord;
    try {
      record = await this.tenants.create({ ...settings, slug: dto.slug, name: dto.name, isDefault: false });
    } catch (error) {
      if ((error as { code?: number }).code === 11000) throw new TenantSlugTakenError(dto.slug);
      throw error;
    }
    await this.bus.publish(ConfigScope.Tenants);
    const response = await this.respond(record);
    await this.audit.record({
      action: 'tenant.create',
      target: { type: 'tenant', id: response.id, label: response.slug },
      after: response,
    });
    return response;
  }

  async update(user: AuthenticatedUser, idOrSlug: string, dto: UpdateTenantDto): Promise<TenantResponseDto> {
    const existing = await this.requireTenant(user, idOrSlug);
    const settings = this.applySettings(this.settingsOf(existing), dto);
    await this.validate(settings);
    const changes: TenantChanges = { ...settings, ...(dto.name !== undefined ? { name: dto.name } : {}) };
    return this.save(existing, changes, 'tenant.update');
  }

  /** Portal: tenant admins choose which models their tenant may use. */
  async updateModelAccess(
    user: AuthenticatedUser,
    idOrSlug: string,
    dto: UpdateModelAccessDto,
  ): Promise<TenantResponseDto> {
    const existing = await this.requireTenant(user, idOrSlug);
    return this.save(
      existing,
      { modelAccess: { mode: dto.mode, list: [...new Set(dto.list)] } },
      'tenant.model_access',
    );
  }

  /** Deletes a tenant and its keys; the default tenant cannot be deleted. */
  async delete(user: AuthenticatedUser, idOrSlug: string): Promise<void> {
    const existing = await this.requireTenant(user, idOrSlug);
    if (existing.isDefault) throw new DefaultTenantProtectedError();
    const id = existing._id.toString();
    if (!(await this.tenants.delete(id))) throw new TenantNotFoundError(idOrSlug);
    const keysRemoved = await this.keys.deleteByTenant(id);
    await this.bus.publish(ConfigScope.Tenants, ConfigScope.ApiKeys);
    await this.audit.record({
      action: 'tenant.delete',
      target: { type: 'tenant', id, label: existing.slug },
      before: { slug: existing.slug, name: existing.name },
      details: { keysRemoved },
    });
  }

  async respond(record: TenantRecord): Promise<TenantResponseDto> {
    const keys = await this.keys.findByTenant(record._id.toString());
    return toResponse(record, keys.filter((k) => k.enabled).length);
  }

  private async save(
    existing: TenantRecord,
    changes: TenantChanges,
    action: string,
  ): Promise<TenantResponseDto> {
    const id = existing._id.toString();
    const updated = await this.tenants.update(id, changes);
    if (!updated) throw new TenantNotFoundError(id);
    await this.bus.publish(ConfigScope.Tenants);
    const [before, after] = await Promise.all([this.respond(existing), this.respond(updated)]);
    await this.audit.record({ action, target: { type: 'tenant', id, label: updated.slug }, before, after });
    return after;
  }

  private settingsOf(record: TenantRecord): TenantSettings {
    const view = toTenantView(record);
    return {
      active: view.active,
      providerIds: [...view.providerIds],
      modelAccess: { ...view.modelAccess, list: [...view.modelAccess.list] },
      aliases: view.aliases.map((a) => ({ ...a })),
      rateLimit: { ...view.rateLimit },
      budgets: { ...view.budgets },
      quotas: view.quotas.map((q) => ({ ...q })),
      budgetGuard: { ...view.budgetGuard, blockedTiers: [...view.budgetGuard.blockedTiers] },
      routing: structuredClone(view.routing),
      defaultSystemPrompt: view.defaultSystemPrompt,
      fallbackChains: structuredClone(view.fallbackChains) as TenantSettings['fallbackChains'],
      loadBalancing: structuredClone(view.loadBalancing),
      promptLogging: view.promptLogging,
      keyLifetimeDays: view.keyLifetimeDays,
    };
  }

  /** Nested objects merge field by field into `base`; lists replace. */
  private applySettings(base: TenantSettings, dto: UpdateTenantDto): TenantSettings {
    const next: TenantSettings = { ...base };
    if (dto.active !== undefined) next.active = dto.active;
    if (dto.providerIds !== undefined) next.providerIds = [...new Set(dto.providerIds)];
    if (dto.modelAccess !== undefined) {
      next.modelAccess = { ...base.modelAccess, ...definedOnly(dto.modelAccess) };
      next.modelAccess.list = [...new Set(next.modelAccess.list)];
    }
    if (dto.aliases !== undefined)
      next.aliases = dto.aliases.map((a) => ({ alias: a.alias, model: a.model }));
    if (dto.rateLimit !== undefined) next.rateLimit = { ...base.rateLimit, ...definedOnly(dto.rateLimit) };
    if (dto.budgets !== undefined) next.budgets = { ...base.budgets, ...definedOnly(dto.budgets) };
    if (dto.quotas !== undefined)
      next.quotas = dto.quotas.map((q) => ({ type: q.type, limit: q.limit, enforcement: q.enforcement }));
    if (dto.budgetGuard !== undefined) {
      next.budgetGuard = { ...base.budgetGuard, ...definedOnly(dto.budgetGuard) };
      next.budgetGuard.blockedTiers = [...new Set(next.budgetGuard.blockedTiers)];
    }
    if (dto.routing !== undefined) {
      const { overrides, classifierChain, ...rest } = dto.routing;
      next.routing = {
        ...base.routing,
        ...definedOnly(rest),
        ...(classifierChain !== undefined
          ? { classifierChain: classifierChain.map((c) => definedOnly({ ...c })) }
          : {}),
        overrides: { ...base.routing.overrides, ...definedOnly(overrides ?? {}) },
      } as Tenant['routing'];
    }
    if (dto.defaultSystemPrompt !== undefined) next.defaultSystemPrompt = dto.defaultSystemPrompt || null;
    if (dto.fallbackChains !== undefined) {
      next.fallbackChains = dto.fallbackChains.map((c) => ({
        modelPattern: c.modelPattern,
        targets: c.targets.map((t) => ({ providerId: t.providerId, model: t.model ?? null })),
        maxRetries: c.maxRetries ?? 2,
      }));
    }
    if (dto.loadBalancing !== undefined) {
      next.loadBalancing = {
        strategy: dto.loadBalancing.strategy ?? base.loadBalancing.strategy,
        weights: (dto.loadBalancing.weights ?? base.loadBalancing.weights).map((w) => ({
          providerId: w.providerId,
          weight: w.weight,
        })),
      };
    }
    if (dto.promptLogging !== undefined) next.promptLogging = dto.promptLogging;
    if (dto.keyLifetimeDays !== undefined) next.keyLifetimeDays = dto.keyLifetimeDays;
    return next;
  }

  private async validate(settings: TenantSettings): Promise<void> {
    const referenced = new Set([
      ...settings.providerIds,
      ...settings.fallbackChains.flatMap((c) => c.targets.map((t) => t.providerId)),
      ...settings.loadBalancing.weights.map((w) => w.providerId),
      ...settings.routing.classifierChain.flatMap((c) => (c.providerId ? [c.providerId] : [])),
    ]);
    if (referenced.size > 0) {
      const known = await this.providers.knownProviderIds();
      const unknown = [...referenced].filter((id) => !known.has(id));
      if (unknown.length > 0)
        throw new InvalidTenantConfigError(`Unknown provider id(s): ${unknown.join(', ')}`, 'providerIds');
    }
    const aliases = settings.aliases.map((a) => a.alias);
    const duplicateAlias = aliases.find((a, i) => aliases.indexOf(a) !== i);
    if (duplicateAlias)
      throw new InvalidTenantConfigError(`Alias ${duplicateAlias} is defined twice`, 'aliases');
    const quotaTypes = settings.quotas.map((q) => q.type);
    const duplicateQuota = quotaTypes.find((q, i) => quotaTypes.indexOf(q) !== i);
    if (duplicateQuota)
      throw new InvalidTenantConfigError(`Quota ${duplicateQuota} is defined twice`, 'quotas');
    if (settings.modelAccess.mode === 'whitelist' && settings.modelAccess.list.length === 0) {
      // An empty whitelist blocks every model; allowed, but almost always a mistake worth refusing.
      throw new InvalidTenantConfigError(
        'A whitelist needs at least one model (use mode "all" to allow every model)',
        'modelAccess.list',
      );
    }
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function toResponse(record: TenantRecord, activeKeyCount: number): TenantResponseDto {
  const view = toTenantView(record);
  return {
    ...tenantIdentity(view),
    endpointPath: view.isDefault ? '/api/v1' : `/api/${view.slug}/v1`,
    providerIds: [...view.providerIds],
    modelAccess: structuredClone(view.modelAccess),
    aliases: view.aliases.map((a) => ({ ...a })),
    rateLimit: { ...view.rateLimit },
    budgets: { ...view.budgets },
    quotas: view.quotas.map((q) => ({ ...q })),
    budgetGuard: structuredClone(view.budgetGuard),
    routing: structuredClone(view.routing) as TenantResponseDto['routing'],
    defaultSystemPrompt: view.defaultSystemPrompt,
    fallbackChains: structuredClone(view.fallbackChains) as TenantResponseDto['fallbackChains'],
    loadBalancing: structuredClone(view.loadBalancing),
    promptLogging: view.promptLogging,
    keyLifetimeDays: view.keyLifetimeDays,
    activeKeyCount,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
