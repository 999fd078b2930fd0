import { compareTiers, isTier, type Tier, TIERS } from '../../../common/tiers';
import type { RoutingCaseResult, RoutingRunSummary, RoutingTestCase } from './routing-suite.schema';

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

/** Match flags of one case: null where the case states no expectation. */
export function matchFlags(
  testCase: RoutingTestCase,
  decided: { category: string | null; tier: Tier },
): Pick<RoutingCaseResult, 'categoryMatch' | 'tierMatch' | 'underRouted'> {
  const min = testCase.expectedTierMin && isTier(testCase.expectedTierMin) ? testCase.expectedTierMin : null;
  const max = testCase.expectedTierMax && isTier(testCase.expectedTierMax) ? testCase.expectedTierMax : null;
  const underRouted = min !== null && compareTiers(decided.tier, min) < 0;
  const overRouted = max !== null && compareTiers(decided.tier, max) > 0;
  return {
    categoryMatch: testCase.expectedCategory ? decided.category === testCase.expectedCategory : null,
    tierMatch: min || max ? !underRouted && !overRouted : null,
    underRouted,
  };
}

export function summariseRun(results: readonly RoutingCaseResult[]): RoutingRunSummary {
  let categoryChecked = 0;
  let categoryMatches = 0;
  let tierChecked = 0;
  let tierMatches = 0;
  let checked = 0;
  let allMatched = 0;
  let underRouted = 0;
  let routingMs = 0;
  const tiers = new Map<string, number>();
  for (const result of results) {
    if (result.categoryMatch !== null) {
      categoryChecked += 1;
      if (result.categoryMatch) categoryMatches += 1;
    }
    if (result.tierMatch !== null) {
      tierChecked += 1;
      if (result.tierMatch) tierMatches += 1;
    }
    if (result.categoryMatch !== null || result.tierMatch !== null) {
      checked += 1;
      if (result.categoryMatch !== false && result.tierMatch !== false) allMatched += 1;
    }
    if (result.underRouted) underRouted += 1;
    routingMs += result.routingMs;
    tiers.set(result.tier, (tiers.get(result.tier) ?? 0) + 1);
  }
  return {
    total: results.length,
    categoryChecked,
    categoryMatches,
    categoryAccuracy: categoryChecked > 0 ? round(categoryMatches / categoryChecked) : null,
    tierChecked,
    tierMatches,
    tierAccuracy: tierChecked > 0 ? round(tierMatches / tierChecked) : null,
    underRouted,
    accuracy: checked > 0 ? round(allMatched / checked) : null,
    tierDistribution: TIERS.filter((tier) => tiers.has(tier)).map((tier) => ({
      tier,
      count: tiers.get(tier) ?? 0,
    })),
    avgRoutingMs: results.length > 0 ? round(routingMs / results.length) : 0,
  };
}

/**
 * Test cases from a generator's parsed answer (`[...]` or `{cases: [...]}`): entries without a
 * usable prompt are rejected; unknown categories and invalid tiers are dropped from the entry;
 * a reversed tier band is swapped. At most `limit` cases.
 */
export function parseGeneratedCases(
  parsed: unknown,
  knownCategories: ReadonlySet<string>,
  limit: number,
): { cases: RoutingTestCase[]; rejected: number } {
  const list = Array.isArray(parsed)
    ? parsed
    : parsed && typeof parsed === 'object' && Array.isArray((parsed as { cases?: unknown }).cases)
      ? (parsed as { cases: unknown[] }).cases
      : [];
  const cases: RoutingTestCase[] = [];
  let rejected = 0;
  for (const entry of list as unknown[]) {
    if (cases.length >= limit) {
      rejected += 1;
      continue;
    }
    const raw = (entry && typeof entry === 'object' ? entry : {}) as Record<string, unknown>;
    const prompt = typeof raw.prompt === 'string' ? raw.prompt.trim() : '';
    if (prompt.length === 0 || prompt.length > 20_000) {
      rejected += 1;
      continue;
    }
    const testCase: RoutingTestCase = { prompt };
    const system = raw.systemPrompt ?? raw.system_prompt ?? raw.system;
    if (typeof system === 'string' && system.trim() !== '')
      testCase.systemPrompt = system.trim().slice(0, 20_000);
    const category = raw.expectedCategory ?? raw.expected_category ?? raw.category;
    if (typeof category === 'string' && knownCategories.has(category.trim())) {
      testCase.expectedCategory = category.trim();
    }
    let min = pickTier(raw.expectedTierMin ?? raw.expected_tier_min ?? raw.tierMin);
    let max = pickTier(raw.expectedTierMax ?? raw.expected_tier_max ?? raw.tierMax);
    if (min && max && compareTiers(min, max) > 0) [min, max] = [max, min];
    if (min) testCase.expectedTierMin = min;
    if (max) testCase.expectedTierMax = max;
    cases.push(testCase);
  }
  return { cases, rejected };
}

export interface ParsedEvaluation {
  score: number;
  summary: string;
  qualitySuggestions: string[];
  costSuggestions: string[];
}

/** An evaluator's parsed answer, bounded; null when it has no usable score. */
export function parseEvaluation(parsed: unknown): ParsedEvaluation | null {
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const raw = parsed as Record<string, unknown>;
  const score = typeof raw.score === 'number' ? raw.score : Number(raw.score);
  if (!Number.isFinite(score)) return null;
  const strings = (value: unknown): string[] =>
    Array.isArray(value)
      ? value
          .filter((item): item is string => typeof item === 'string' && item.trim() !== '')
          .slice(0, 20)
          .map((item) => item.trim().slice(0, 1000))
      : [];
  return {
    // A 0–1 score is read as a fraction.
    score: Math.round(Math.min(100, Math.max(0, score <= 1 && score > 0 ? score * 100 : score))),
    summary: typeof raw.summary === 'string' ? raw.summary.trim().slice(0, 4000) : '',
    qualitySuggestions: strings(raw.qualitySuggestions ?? raw.quality_suggestions),
    costSuggestions: strings(raw.costSuggestions ?? raw.cost_suggestions),
  };
}

function pickTier(value: unknown): Tier | undefined {
  if (typeof value !== 'string') return undefined;
  const tier = value.trim().toLowerCase();
  return isTier(tier) ? tier : undefined;
}
