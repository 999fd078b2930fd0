/**
 * Applying a preset profile: for each category of the preset, choose a default and a fallback model
 * from one provider's models, using the same scoring as live selection (balanced cost mode), so the
 * admin gets sensible defaults in one step. Pure: the caller persists the result.
 */
import type { ModelCandidate, RoutingCategory } from './routing.types';
import { selectModel } from './selection';

export interface PresetAssignment {
  category: string;
  defaultModel: string | null;
  fallbackModel: string | null;
}

export interface PresetRequest {
  /** Category keys of the preset; empty means every category. */
  presetCategories: readonly string[];
  categories: readonly RoutingCategory[];
  models: readonly ModelCandidate[];
  providerId: string;
}

export function assignPresetModels(request: PresetRequest): PresetAssignment[] {
  const wanted = new Set(request.presetCategories);
  const pool = request.models.filter((model) => model.providerId === request.providerId && model.visible);
  return request.categories
    .filter((category) => wanted.size === 0 || wanted.has(category.key))
    .map((category) => {
      const base = {
        tier: category.tier,
        costMode: 'balanced' as const,
        requiredTokens: 0,
        needsTools: false,
      };
      const first = selectModel({
        ...base,
        category: { ...category, defaultModel: null, fallbackModel: null },
        needsVision: category.requiresVision === true,
        models: pool,
      });
      const rest = first.model ? pool.filter((model) => model !== first.model) : pool;
      const second = selectModel({
        ...base,
        category: { ...category, defaultModel: null, fallbackModel: null },
        needsVision: category.requiresVision === true,
        models: rest,
      });
      return {
        category: category.key,
        defaultModel: first.model?.id ?? null,
        fallbackModel: second.model?.id ?? null,
      };
    });
}
