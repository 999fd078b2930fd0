import { Injectable } from '@nestjs/common';

import { pageWindow } from '../../common/dto/page-query.dto';
import { AuditService } from '../audit/audit.service';
import { ConfigChangeBus, ConfigScope } from '../config-sync/config-change.bus';
import type { ModelListResponseDto, ModelResponseDto } from './dto/model-response.dto';
import type {
  CreateModelDto,
  ListModelsQueryDto,
  ResetModelFieldsDto,
  SetModelVisibilityDto,
  UpdateModelDto,
} from './dto/model.dto';
import { type ModelFields, ModelsRepository } from './models.repository';
import type { ProviderModelRecord } from './provider-model.schema';
import { toModelView } from './provider-views';
import type { ProviderRecord } from './provider.schema';
import { type AzureApiType, MANUAL_MODEL_FIELDS, type ManualModelField } from './provider.types';
import {
  InvalidProviderConfigError,
  ModelExistsError,
  ModelNotFoundError,
  ProviderNotFoundError,
} from './providers.errors';
import { ProvidersRepository } from './providers.repository';
import { manualModelDefaults } from './registry/discovery-merge';
import { findRegistryEntry } from './registry/model-registry';

/** Admin rules for the model registry: server-side search, edits pinned per field, bulk visibility. */
@Injectable()
export class ModelsService {
  constructor(
    private readonly models: ModelsRepository,
    private readonly providers: ProvidersRepository,
    private readonly bus: ConfigChangeBus,
    private readonly audit: AuditService,
  ) {}

  async list(query: ListModelsQueryDto): Promise<ModelListResponseDto> {
    const { page, pageSize, skip, limit } = pageWindow(query);
    const providers = await this.providerIndex();
    let providerIds: string[] | undefined;
    if (query.provider) {
      const provider =
        providers.get(query.provider) ?? [...providers.values()].find((p) => p.slug === query.provider);
      if (!provider) throw new ProviderNotFoundError(query.provider);
      providerIds = [provider._id.toString()];
    }
    const { items, total } = await this.models.list(
      {
        providerIds,
        search: query.search?.trim() || undefined,
        tier: query.tier,
        visible: query.visible,
        category: query.category,
        capability: query.capability,
      },
      query.sort ?? 'priority',
      skip,
      limit,
    );
    return { items: items.map((m) => this.toResponse(m, providers)), total, page, pageSize };
  }

  async get(id: string): Promise<ModelResponseDto> {
    const record = await this.models.findById(id);
    if (!record) throw new ModelNotFoundError(id);
    return this.toResponse(record, await this.providerIndex());
  }

  /** Adds a model the provider does not list (or before discovery); the registry fills the gaps. */
  async create(dto: CreateModelDto): Promise<ModelResponseDto> {
    const provider = await this.providers.findById(dto.providerId);
    if (!provider) throw new ProviderNotFoundError(dto.providerId);
    if (await this.models.findOne(dto.providerId, dto.modelId))
      throw new ModelExistsError(provider.slug, dto.modelId);
    const { providerId: _p, modelId: _m, ...edits } = dto;
    assertApiTypeFits(provider, dto.apiType);
    const defaults = manualModelDefaults(
      dto.modelId,
      findRegistryEntry(dto.modelId),
      provider.type,
      provider.options?.apiType,
    );
    const fields = { ...defaults, ...this.applyEdits(defaults, edits), manualFields: pinnedFields(edits) };
    let record: ProviderModelRecord;
    try {
      record = await this.models.create(dto.providerId, dto.modelId, fields);
    } catch (error) {
      if ((error as { code?: number }).code === 11000) throw new ModelExistsError(provider.slug, dto.modelId);
      throw error;
    }
    await this.bus.publish(ConfigScope.Models);
    const response = this.toResponse(record, new Map([[provider._id.toString(), provider]]));
    await this.audit.record({
      action: 'model.create',
      target: { type: 'model', id: response.id, label: response.prefixedId },
      after: response,
    });
    return response;
  }

  async update(id: string, dto: UpdateModelDto): Promise<ModelResponseDto> {
    const existing = await this.models.findById(id);
    if (!existing) throw new ModelNotFoundError(id);
    if (dto.apiType !== undefined) {
      assertApiTypeFits(await this.providers.findById(existing.providerId.toString()), dto.apiType);
    }
    const changes = this.applyEdits(existing, dto);
    const updated = await this.models.update(id, changes, pinnedFields(dto));
    if (!updated) throw new ModelNotFoundError(id);
    await this.bus.publish(ConfigScope.Models);
    const providers = await this.providerIndex();
    const response = this.toResponse(updated, providers);
    await this.audit.record({
      action: 'model.update',
      target: { type: 'model', id, label: response.prefixedId },
      before: this.toResponse(existing, providers),
      after: response,
    });
    return response;
  }

  /** Un-pins fields so the next discovery refreshes them from the provider and the registry. */
  async resetFields(id: string, dto: ResetModelFieldsDto): Promise<ModelResponseDto> {
    const fields = dto.fields.length > 0 ? dto.fields : [...MANUAL_MODEL_FIELDS];
    const updated = await this.models.unpin(id, fields);
    if (!updated) throw new ModelNotFoundError(id);
    await this.bus.publish(ConfigScope.Models);
    return this.toResponse(updated, await this.providerIndex());
  }

  async delete(id: string): Promise<void> {
    const existing = await this.models.findById(id);
    if (!existing || !(await this.models.delete(id))) throw new ModelNotFoundError(id);
    await this.bus.publish(ConfigScope.Models);
    await this.audit.record({
      action: 'model.delete',
      target: { type: 'model', id, label: existing.modelId },
      before: { modelId: existing.modelId, providerId: existing.providerId.toString() },
    });
  }

  async setVisibility(dto: SetModelVisibilityDto): Promise<{ updated: number }> {
    const updated = await this.models.setVisibility([...new Set(dto.ids)], dto.visible);
    await this.bus.publish(ConfigScope.Models);
    await this.audit.record({
      action: dto.visible ? 'model.show' : 'model.hide',
      target: { type: 'model', label: `${updated} models` },
      details: { ids: dto.ids, visible: dto.visible },
    });
    return { updated };
  }

  /** Nested objects are merged with the current values, so `{pricing:{inputPer1M:1, outputPer1M:2}}` keeps the rest. */
  private applyEdits(
    current: Pick<ModelFields, 'capabilities' | 'benchmarks' | 'pricing'>,
    dto: UpdateModelDto,
  ): Partial<ModelFields> {
    const changes: Partial<ModelFields> = {};
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.tier !== undefined) changes.tier = dto.tier;
    if (dto.categories !== undefined) changes.categories = [...new Set(dto.categories)];
    if (dto.contextWindow !== undefined) changes.contextWindow = dto.contextWindow;
    if (dto.maxOutputTokens !== undefined) changes.maxOutputTokens = dto.maxOutputTokens;
    if (dto.pricing !== undefined) {
      changes.pricing = {
        inputPer1M: dto.pricing.inputPer1M,
        outputPer1M: dto.pricing.outputPer1M,
        cachedInputPer1M:
          dto.pricing.cachedInputPer1M !== undefined
            ? dto.pricing.cachedInputPer1M
            : (current.pricing?.cachedInputPer1M ?? null),
      };
    }
    if (dto.capabilities !== undefined)
      changes.capabilities = { ...current.capabilities, ...dto.capabilities };
    if (dto.benchmarks !== undefined) changes.benchmarks = { ...current.benchmarks, ...dto.benchmarks };
    if (dto.visible !== undefined) changes.visible = dto.visible;
    if (dto.priority !== undefined) changes.priority = dto.priority;
    if (dto.notes !== undefined) changes.notes = dto.notes;
    if (dto.apiType !== undefined) changes.apiType = dto.apiType;
    return changes;
  }

  private async providerIndex(): Promise<Map<string, ProviderRecord>> {
    return new Map((await this.providers.findAll()).map((p) => [p._id.toString(), p]));
  }

  private toResponse(
    record: ProviderModelRecord,
    providers: ReadonlyMap<string, ProviderRecord>,
  ): ModelResponseDto {
    const provider = providers.get(record.providerId.toString());
    const view = toModelView(record, provider?.slug ?? 'unknown');
    return {
      id: view.id,
      providerId: view.providerId,
      providerSlug: view.providerSlug,
      providerName: provider?.name ?? '',
      modelId: view.modelId,
      prefixedId: view.prefixedId,
      name: view.name,
      tier: view.tier,
      categories: [...view.categories],
      contextWindow: view.contextWindow,
      maxOutputTokens: view.maxOutputTokens,
      pricing: { ...view.pricing },
      capabilities: { ...view.capabilities },
      benchmarks: { ...view.benchmarks },
      visible: view.visible,
      priority: view.priority,
      notes: view.notes,
      apiType: view.apiType,
      manualFields: [...view.manualFields],
      source: view.source,
      registryId: view.registryId,
      lastSeenAt: view.lastSeenAt,
      updatedAt: record.updatedAt,
    };
  }
}

/** Only Azure deployments choose their API; embeddings models keep theirs. */
function assertApiTypeFits(provider: ProviderRecord | null, apiType: AzureApiType | undefined): void {
  if (apiType === undefined || !provider || provider.type === 'azure') return;
  throw new InvalidProviderConfigError('apiType only applies to models of Azure providers', 'apiType');
}

function pinnedFields(dto: UpdateModelDto): ManualModelField[] {
  return MANUAL_MODEL_FIELDS.filter((field) => dto[field] !== undefined);
}
