/**
 * The last stage: pick a concrete model for the decided tier. A category's default model wins when
 * it is usable; otherwise visible models of the tier whose window fits are scored by benchmark
 * quality per price, and when the tier has none the search walks to neighbouring tiers (up first,
 * since a stronger model is the safe direction) and records it.
 */
import { compareTiers, tierAt, tierIndex, TIERS, type Tier } from '../../../common/tiers';
import type { OverrideRecord, SelectionMethod } from '../router.interface';
import type {
  CostMode,
  ModelBenchmarks,
  ModelCandidate,
  RoutingCategory,
  ScoringProfile,
} from './routing.types';

/** Price exponent per cost mode: economy punishes price hardest, quality barely. */
export const COST_MODE_EXPONENT: Readonly<Record<CostMode, number>> = {
  economy: 2,
  balanced: 1,
  quality: 0.3,
};

type Weights = Readonly<Required<ModelBenchmarks>>;

/** How much each benchmark counts for a kind of task (intelligence, coding, math, speed). */
export const SCORING_WEIGHTS: Readonly<Record<ScoringProfile, Weights>> = {
  general: { intelligence: 0.4, coding: 0.2, math: 0.1, speed: 0.3 },
  coding: { intelligence: 0.25, coding: 0.55, math: 0.1, speed: 0.1 },
  math: { intelligence: 0.25, coding: 0.1, math: 0.55, speed: 0.1 },
  reasoning: { intelligence: 0.6, coding: 0.1, math: 0.2, speed: 0.1 },
  research: { intelligence: 0.6, coding: 0.1, math: 0.1, speed: 0.2 },
  fast_text: { intelligence: 0.3, coding: 0, math: 0, speed: 0.7 },
  creative: { intelligence: 0.6, coding: 0, math: 0, speed: 0.4 },
  analysis: { intelligence: 0.5, coding: 0.1, math: 0.2, speed: 0.2 },
  tool_use: { intelligence: 0.35, coding: 0.35, math: 0.1, speed: 0.2 },
  design: { intelligence: 0.45, coding: 0.3, math: 0.05, speed: 0.2 },
  planning: { intelligence: 0.5, coding: 0.2, math: 0.1, speed: 0.2 },
  sensitive: { intelligence: 0.7, coding: 0.05, math: 0.1, speed: 0.15 },
  vision: { intelligence: 0.5, coding: 0.1, math: 0.1, speed: 0.3 },
  document: { intelligence: 0.45, coding: 0.05, math: 0.05, speed: 0.45 },
  chat: { intelligence: 0.2, coding: 0, math: 0, speed: 0.8 },
  data: { intelligence: 0.2, coding: 0.5, math: 0.2, speed: 0.1 },
};

/** Key prefixes → profile, for categories stored without an explicit profile (checked in order). */
const PROFILE_BY_PREFIX: ReadonlyArray<readonly [string, ScoringProfile]> = [
  ['code_architecture', 'design'],
  ['system_design', 'design'],
  ['agentic_tool', 'tool_use'],
  ['function_calling', 'tool_use'],
  ['data_analysis', 'analysis'],
  ['code', 'coding'],
  ['agentic', 'coding'],
  ['debug', 'coding'],
  ['devops', 'coding'],
  ['qa', 'coding'],
  ['security', 'coding'],
  ['api', 'coding'],
  ['math', 'math'],
  ['formal', 'math'],
  ['stem', 'math'],
  ['reasoning', 'reasoning'],
  ['prompt', 'reasoning'],
  ['research', 'research'],
  ['fact', 'research'],
  ['summary', 'fast_text'],
  ['translation', 'fast_text'],
  ['extraction', 'fast_text'],
  ['proofreading', 'fast_text'],
  ['format', 'fast_text'],
  ['email', 'fast_text'],
  ['writing', 'creative'],
  ['brainstorm', 'creative'],
  ['roleplay', 'creative'],
  ['multilingual', 'creative'],
  ['analysis', 'analysis'],
  ['strategy', 'analysis'],
  ['financial', 'analysis'],
  ['planning', 'planning'],
  ['legal', 'sensitive'],
  ['medical', 'sensitive'],
  ['vision', 'vision'],
  ['document', 'document'],
  ['long_context', 'document'],
  ['smalltalk', 'chat'],
  ['chat', 'chat'],
  ['sql', 'data'],
  ['data', 'data'],
];

export function scoringProfileFor(
  category: Pick<RoutingCategory, 'key' | 'scoringProfile'> | null,
): ScoringProfile {
  if (!category) return 'general';
  if (category.scoringProfile) return category.scoringProfile;
  for (const [prefix, profile] of PROFILE_BY_PREFIX) if (category.key.startsWith(prefix)) return profile;
  return 'general';
}

/** Benchmark quality × price score (higher is better); free models get quality × 1000. */
export function scoreModel(model: ModelCandidate, profile: ScoringProfile, costMode: CostMode): number {
  const weights = SCORING_WEIGHTS[profile];
  const benchmarks = model.benchmarks ?? {};
  const quality =
    weights.intelligence * (benchmarks.intelligence ?? 0) +
    weights.coding * (benchmarks.coding ?? 0) +
    weights.math * (benchmarks.math ?? 0) +
    weights.speed * (benchmarks.speed ?? 0);
  const price = model.inputPricePer1M + model.outputPricePer1M;
  if (price <= 0) return quality * 1000;
  return quality / price ** COST_MODE_EXPONENT[costMode];
}

export interface SelectionRequest {
  tier: Tier;
  category: RoutingCategory | null;
  costMode: CostMode;
  /** Estimated prompt tokens plus reserved output tokens. */
  requiredTokens: number;
  needsVision: boolean;
  needsTools: boolean;
  blockedTiers?: readonly Tier[];
  models: readonly ModelCandidate[];
}

export interface SelectionResult {
  model: ModelCandidate | null;
  /** The tier of the chosen model (or the requested tier when nothing was found). */
  tier: Tier;
  method: SelectionMethod;
  overrides: OverrideRecord[];
  /** Candidates scored at the final tier, best first (for the trace). */
  ranking: { id: string; providerId: string; score: number }[];
  notes: string[];
}

/** Finds a model by `id` or `providerSlug/id` (or `providerId/id`). */
export function findModel(models: readonly ModelCandidate[], reference: string): ModelCandidate[] {
  const slash = reference.indexOf('/');
  const matches = models.filter((model) => model.id === reference);
  if (matches.length > 0 || slash === -1) return matches;
  const prefix = reference.slice(0, slash);
  const id = reference.slice(slash + 1);
  return models.filter(
    (model) => model.id === id && (model.providerSlug === prefix || model.providerId === prefix),
  );
}

function hasCapability(model: ModelCandidate, capability: string): boolean {
  return model.capabilities === undefined || model.capabilities.includes(capability);
}

function byPreference(a: ModelCandidate, b: ModelCandidate): number {
  return (
    (b.priority ?? 50) - (a.priority ?? 50) ||
    a.inputPricePer1M + a.outputPricePer1M - (b.inputPricePer1M + b.outputPricePer1M) ||
    a.id.localeCompare(b.id)
  );
}

/** Tiers in search order: the tier itself, then upwards, then downwards. */
function walkOrder(tier: Tier): Tier[] {
  const start = tierIndex(tier);
  const order: Tier[] = [tier];
  for (let index = start + 1; index < TIERS.length; index += 1) order.push(tierAt(index));
  for (let index = start - 1; index >= 0; index -= 1) order.push(tierAt(index));
  return order;
}

export function selectModel(request: SelectionRequest): SelectionResult {
  const overrides: OverrideRecord[] = [];
  const notes: string[] = [];
  const blocked = new Set(request.blockedTiers ?? []);
  const fits = (model: ModelCandidate): boolean =>
    model.visible && model.contextWindow >= request.requiredTokens;
  const capable = (model: ModelCandidate): boolean =>
    (!request.needsVision || hasCapability(model, 'vision')) &&
    (!request.needsTools || hasCapability(model, 'tools'));
  const usable = (model: ModelCandidate): boolean =>
    fits(model) && capable(model) && !blocked.has(model.tier);

  let tier = request.tier;
  if (blocked.has(tier)) {
    const allowed = walkOrder(tier).filter((candidate) => !blocked.has(candidate));
    // Prefer the nearest cheaper tier: a blocked tier is a budget decision, so walking up defeats it.
    const cheaper = allowed.find((candidate) => compareTiers(candidate, tier) < 0);
    const target = cheaper ?? allowed[0];
    if (target) {
      overrides.push({ code: 'budget_blocked_tier', from: tier, to: target });
      tier = target;
    }
  }

  const category = request.category;
  for (const [reference, method] of [
    [category?.defaultModel, 'category_default'],
    [category?.fallbackModel, 'category_fallback'],
  ] as const) {
    if (!reference) continue;
    const found = findModel(request.models, reference).filter(usable).sort(byPreference)[0];
    if (!found) {
      notes.push(`${method} ${reference} is unknown, hidden, too small or blocked`);
      continue;
    }
    if (compareTiers(found.tier, tier) < 0) {
      notes.push(`${method} ${reference} (${found.tier}) is below the decided tier ${tier}`);
      continue;
    }
    return { model: found, tier: found.tier, method, overrides, ranking: [], notes };
  }

  const profile = scoringProfileFor(category);
  const method: SelectionMethod = `benchmark_${request.costMode}`;
  const attempts: Array<{ filter: (model: ModelCandidate) => boolean; relaxed: boolean }> = [
    { filter: usable, relaxed: false },
    { filter: (model) => fits(model) && !blocked.has(model.tier), relaxed: true },
  ];
  for (const attempt of attempts) {
    const pool = request.models.filter(attempt.filter);
    if (pool.length === 0) continue;
    for (const candidateTier of walkOrder(tier)) {
      const atTier = pool.filter((model) => model.tier === candidateTier);
      if (atTier.length === 0) continue;
      const ranking = atTier
        .map((model) => ({ model, score: scoreModel(model, profile, request.costMode) }))
        .sort((a, b) => b.score - a.score || byPreference(a.model, b.model));
      if (attempt.relaxed) {
        overrides.push({
          code: 'capability_relaxed',
          from: tier,
          to: tier,
          detail: `no model with ${[request.needsVision && 'vision', request.needsTools && 'tools'].filter(Boolean).join(' and ')}`,
        });
      }
      if (candidateTier !== tier) {
        overrides.push({
          code: 'tier_walk',
          from: tier,
          to: candidateTier,
          detail:
            compareTiers(candidateTier, tier) > 0
              ? 'no usable model at the tier; moved up'
              : 'no usable model at or above the tier; moved down',
        });
      }
      const best = ranking[0] as { model: ModelCandidate; score: number };
      return {
        model: best.model,
        tier: candidateTier,
        method,
        overrides,
        ranking: ranking
          .slice(0, 5)
          .map(({ model, score }) => ({ id: model.id, providerId: model.providerId, score })),
        notes,
      };
    }
  }
  notes.push('no visible model has a large enough context window');
  return { model: null, tier, method: 'none', overrides, ranking: [], notes };
}
