import { Injectable } from '@nestjs/common';

import { AuditService } from '../../audit/audit.service';
import { ConfigChangeBus } from '../../config-sync/config-change.bus';
import { ProviderCatalog } from '../../providers/provider-catalog.service';
import { toModelCandidates } from '../catalog/model-candidates';
import { ROUTING_CONFIG_SCOPE } from '../catalog/routing-catalog';
import { BUILT_IN_CATEGORIES, BUILT_IN_CATEGORY_KEYS, PRESET_PROFILES } from '../data';
import { assignPresetModels } from '../engine/presets';
import { toRoutingCategory } from '../persistence/category-mapping';
import {
  type CategoryChanges,
  RoutingCategoriesRepository,
} from '../persistence/routing-categories.repository';
import type { RoutingCategoryRecord } from '../persistence/routing-category.schema';
import type { RoutingRuleSetRecord } from '../persistence/routing-rule-set.schema';
import { RoutingRuleSetsRepository } from '../persistence/routing-rule-sets.repository';
import {
  CategoryInUseError,
  BuiltInCategoryProtectedError,
  CategoryKeyTakenError,
  CategoryNotFoundError,
  PresetNotFoundError,
  PresetProviderNotFoundError,
  TooManyExamplesError,
} from '../routing.errors';
import { matchesQuery, newExamples, toCategoryList, toCategoryResponse } from './category-views';
import type {
  CategoryListResponseDto,
  CategoryResponseDto,
  PresetApplyResponseDto,
  PresetAssignmentDto,
  PresetResponseDto,
} from './dto/category-response.dto';
import {
  type AddExamplesDto,
  type ApplyPresetDto,
  CATEGORY_LIMITS,
  type CreateCategoryDto,
  type ListCategoriesQueryDto,
  type UpdateCategoryDto,
} from './dto/category.dto';

/** Admin operations on routing categories; every write publishes the `routing` config scope. */
@Injectable()
export class CategoriesService {
  constructor(
    private readonly repository: RoutingCategoriesRepository,
    private readonly ruleSets: RoutingRuleSetsRepository,
    private readonly providers: ProviderCatalog,
    private readonly bus: ConfigChangeBus,
    private readonly audit: AuditService,
  ) {}

  async list(query: ListCategoriesQueryDto): Promise<CategoryListResponseDto> {
    const records = await this.repository.findAll();
    return toCategoryList(records.map(toCategoryResponse).filter((c) => matchesQuery(c, query)));
  }

  async get(key: string): Promise<CategoryResponseDto> {
    return toCategoryResponse(await this.require(key));
  }

  async create(dto: CreateCategoryDto): Promise<CategoryResponseDto> {
    if (BUILT_IN_CATEGORY_KEYS.includes(dto.key)) throw new CategoryKeyTakenError(dto.key, true);
    const created = await this.repository.create({
      key: dto.key,
      name: dto.name.trim(),
      description: dto.description?.trim() ?? '',
      tier: dto.tier,
      examples: dto.examples ?? [],
      addedExamples: [],
      defaultModel: dto.defaultModel ?? null,
      fallbackModel: dto.fallbackModel ?? null,
      requiresVision: dto.requiresVision ?? false,
      systemPrompt: dto.systemPrompt ?? null,
      scoringProfile: dto.scoringProfile ?? null,
      builtIn: false,
      enabled: dto.enabled ?? true,
      order: dto.order ?? 1000,
    });
    if (!created) throw new CategoryKeyTakenError(dto.key, false);
    await this.bus.publish(ROUTING_CONFIG_SCOPE);
    const response = toCategoryResponse(created);
    await this.audit.record({
      action: 'category.create',
      target: { type: 'category', id: response.key, label: response.name },
      after: response,
    });
    return response;
  }

  async update(key: string, dto: UpdateCategoryDto): Promise<CategoryResponseDto> {
    const before = toCategoryResponse(await this.require(key));
    const changes: CategoryChanges = { ...dto };
    if (dto.name !== undefined) changes.name = dto.name.trim();
    if (dto.description !== undefined) changes.description = dto.description.trim();
    return this.write(key, before, changes, 'category.update');
  }

  async delete(key: string): Promise<void> {
    const existing = await this.require(key);
    if (existing.builtIn) throw new BuiltInCategoryProtectedError(key);
    // A rule naming a deleted category would silently never match again.
    const usedBy = rulesNaming(key, await this.ruleSets.findAll());
    if (usedBy.length > 0) throw new CategoryInUseError(key, usedBy);
    if (!(await this.repository.deleteCustom(key))) throw new CategoryNotFoundError(key);
    await this.bus.publish(ROUTING_CONFIG_SCOPE);
    await this.audit.record({
      action: 'category.delete',
      target: { type: 'category', id: key, label: existing.name },
      before: toCategoryResponse(existing),
    });
  }

  /** Appends admin examples (duplicates ignored); the local classifier retrains on the next reload. */
  async addExamples(key: string, dto: AddExamplesDto): Promise<CategoryResponseDto> {
    const existing = await this.require(key);
    const before = toCategoryResponse(existing);
    const added = newExamples([...before.examples, ...before.addedExamples], dto.examples);
    if (added.length === 0) return before;
    const addedExamples = [...before.addedExamples, ...added];
    if (addedExamples.length > CATEGORY_LIMITS.addedExamples)
      throw new TooManyExamplesError(CATEGORY_LIMITS.addedExamples);
    return this.write(key, before, { addedExamples }, 'category.examples.add');
  }

  /** Puts every built-in's shipped definition back; custom categories and model choices stay. */
  async restoreBuiltIns(): Promise<CategoryListResponseDto> {
    const before = (await this.repository.findAll()).filter((record) => record.builtIn);
    await this.repository.restoreBuiltIns(BUILT_IN_CATEGORIES);
    await this.bus.publish(ROUTING_CONFIG_SCOPE);
    const records = await this.repository.findAll();
    const changed = records.filter((record) => {
      const previous = before.find((b) => b.key === record.key);
      return !previous || JSON.stringify(definition(previous)) !== JSON.stringify(definition(record));
    });
    await this.audit.record({
      action: 'category.restore_built_ins',
      target: { type: 'category', id: null, label: 'built-in categories' },
      details: { restored: changed.map((record) => record.key), builtIns: BUILT_IN_CATEGORIES.length },
    });
    return toCategoryList(records.map(toCategoryResponse));
  }

  presets(): PresetResponseDto[] {
    return PRESET_PROFILES.map((preset) => ({
      key: preset.key,
      name: preset.name,
      description: preset.description,
      categories: [...preset.categories],
    }));
  }

  /**
   * Fills the preset's categories with default and fallback models chosen from one provider's
   * visible models (the same scoring as live selection), pinned as `providerSlug/modelId`.
   */
  async applyPreset(presetKey: string, dto: ApplyPresetDto): Promise<PresetApplyResponseDto> {
    const preset = PRESET_PROFILES.find((p) => p.key === presetKey);
    if (!preset) throw new PresetNotFoundError(presetKey);
    const provider = this.providers.getProvider(dto.providerId);
    if (!provider) throw new PresetProviderNotFoundError(dto.providerId);
    const records = (await this.repository.findAll()).filter((record) => record.enabled !== false);
    const assignments = assignPresetModels({
      presetCategories: preset.categories,
      categories: records.map(toRoutingCategory),
      models: toModelCandidates(this.providers.modelsOf(provider.id)),
      providerId: provider.id,
    });
    const pin = (model: string | null) => (model ? `${provider.slug}/${model}` : null);
    const results: PresetAssignmentDto[] = [];
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    for (const assignment of assignments) {
      const record = records.find((r) => r.key === assignment.category);
      const defaultModel = pin(assignment.defaultModel);
      const fallbackModel = pin(assignment.fallbackModel);
      const skip = !defaultModel || !record || (dto.keepExisting === true && record.defaultModel);
      if (!skip) {
        await this.repository.update(assignment.category, { defaultModel, fallbackModel });
        changes[assignment.category] = {
          before: { defaultModel: record.defaultModel, fallbackModel: record.fallbackModel },
          after: { defaultModel, fallbackModel },
        };
      }
      results.push({ category: assignment.category, defaultModel, fallbackModel, applied: !skip });
    }
    const updated = Object.keys(changes).length;
    if (updated > 0) await this.bus.publish(ROUTING_CONFIG_SCOPE);
    await this.audit.record({
      action: 'category.preset.apply',
      target: { type: 'category', id: null, label: preset.key },
      details: { preset: preset.key, providerId: provider.id, provider: provider.slug, updated, changes },
    });
    return { preset: preset.key, providerId: provider.id, updated, assignments: results };
  }

  private async require(key: string): Promise<RoutingCategoryRecord> {
    const record = await this.repository.findByKey(key);
    if (!record) throw new CategoryNotFoundError(key);
    return record;
  }

  private async write(
    key: string,
    before: CategoryResponseDto,
    changes: CategoryChanges,
    action: string,
  ): Promise<CategoryResponseDto> {
    const updated = await this.repository.update(key, changes);
    if (!updated) throw new CategoryNotFoundError(key);
    await this.bus.publish(ROUTING_CONFIG_SCOPE);
    const after = toCategoryResponse(updated);
    await this.audit.record({
      action,
      target: { type: 'category', id: key, label: after.name },
      before,
      after,
    });
    return after;
  }
}

function definition(record: RoutingCategoryRecord): unknown {
  return [
    record.name,
    record.description,
    record.tier,
    record.examples,
    record.requiresVision,
    record.systemPrompt,
    record.enabled,
  ];
}

/** Every keyword or role rule, in any rule set, whose outcome is the category `key`. */
function rulesNaming(
  key: string,
  ruleSets: readonly Pick<RoutingRuleSetRecord, 'scope' | 'keywordRules' | 'systemPromptRoles'>[],
): { ruleSet: string; rule: string }[] {
  return ruleSets.flatMap((ruleSet) =>
    [...ruleSet.keywordRules, ...ruleSet.systemPromptRoles]
      .filter((rule) => rule.category === key)
      .map((rule) => ({ ruleSet: ruleSet.scope, rule: rule.name })),
  );
}
