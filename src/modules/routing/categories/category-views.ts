import { TIERS } from '../../../common/tiers';
import type { RoutingCategoryRecord } from '../persistence/routing-category.schema';
import type { CategoryListResponseDto, CategoryResponseDto } from './dto/category-response.dto';
import type { ListCategoriesQueryDto } from './dto/category.dto';

export function toCategoryResponse(record: RoutingCategoryRecord): CategoryResponseDto {
  return {
    key: record.key,
    name: record.name,
    description: record.description ?? '',
    tier: record.tier,
    examples: [...(record.examples ?? [])],
    addedExamples: [...(record.addedExamples ?? [])],
    defaultModel: record.defaultModel ?? null,
    fallbackModel: record.fallbackModel ?? null,
    requiresVision: record.requiresVision === true,
    systemPrompt: record.systemPrompt ?? null,
    scoringProfile: record.scoringProfile ?? null,
    builtIn: record.builtIn === true,
    enabled: record.enabled !== false,
    order: record.order ?? 1000,
    updatedAt: record.updatedAt ? new Date(record.updatedAt).toISOString() : null,
  };
}

export function matchesQuery(category: CategoryResponseDto, query: ListCategoriesQueryDto): boolean {
  if (query.tier !== undefined && category.tier !== query.tier) return false;
  if (query.builtIn !== undefined && category.builtIn !== query.builtIn) return false;
  if (query.enabled !== undefined && category.enabled !== query.enabled) return false;
  if (query.search) {
    const needle = query.search.toLowerCase();
    const haystack = `${category.key}\n${category.name}\n${category.description}`.toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
}

/** Cheapest tier first, then display order, then key; with the tier groups the console shows. */
export function toCategoryList(categories: CategoryResponseDto[]): CategoryListResponseDto {
  const rank = (tier: string) => TIERS.indexOf(tier as (typeof TIERS)[number]);
  const items = [...categories].sort(
    (a, b) => rank(a.tier) - rank(b.tier) || a.order - b.order || a.key.localeCompare(b.key),
  );
  const tiers = TIERS.map((tier) => ({
    tier,
    keys: items.filter((item) => item.tier === tier).map((item) => item.key),
  })).filter((group) => group.keys.length > 0);
  return { items, total: items.length, tiers };
}

/** New examples not already present (trimmed, case-insensitive), in their given order. */
export function newExamples(existing: readonly string[], incoming: readonly string[]): string[] {
  const seen = new Set(existing.map((text) => text.trim().toLowerCase()));
  const result: string[] = [];
  for (const raw of incoming) {
    const text = raw.trim();
    const key = text.toLowerCase();
    if (text.length === 0 || seen.has(key)) continue;
    seen.add(key);
    result.push(text);
  }
  return result;
}
