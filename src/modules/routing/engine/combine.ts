/**
 * Merges rule hits and the local classifier into one category, tier and confidence.
 *
 * Evidence for a category combines as a noisy-or: a keyword rule at 0.65 and a classifier
 * probability of 0.5 for the same category give 1 − 0.35 × 0.5 = 0.825. The tier is the winning
 * category's tier, bounded by the matched rules' tierMin/tierMax.
 */
import type { DecisionSource, OverrideRecord } from '../router.interface';
import type { LocalPrediction } from './local-classifier';
import type { Domain, RoutingCategory } from './routing.types';
import type { RuleHit, RuleOutcome } from './rules';
import { compareTiers, type Tier } from '../../../common/tiers';

export interface Combined {
  category: string | null;
  confidence: number;
  tier: Tier;
  source: DecisionSource;
  domain: Domain | null;
  overrides: OverrideRecord[];
  /** Runner-up categories for the trace. */
  alternatives: { category: string; score: number }[];
}

export interface CombineInput {
  rules: RuleOutcome;
  prediction: LocalPrediction | null;
  /** Category keys aligned with `prediction.probabilities`. */
  classifierCategories: readonly string[];
  categories: ReadonlyMap<string, RoutingCategory>;
}

/**
 * Applies rule bounds to a tier: every matched rule's `tierMin` is a floor; a `tierMax` caps the
 * tier only when the rule's category is the chosen one (a title rule must not cap a real task that
 * happens to mention a title). Floors win over caps.
 */
export function applyRuleBounds(
  tier: Tier,
  category: string | null,
  hits: readonly RuleHit[],
): { tier: Tier; overrides: OverrideRecord[] } {
  const overrides: OverrideRecord[] = [];
  let current = tier;
  for (const hit of hits) {
    if (
      hit.tierMax &&
      (hit.category === undefined || hit.category === category) &&
      compareTiers(current, hit.tierMax) > 0
    ) {
      overrides.push({ code: 'rule_tier_max', from: current, to: hit.tierMax, detail: hit.name });
      current = hit.tierMax;
    }
  }
  for (const hit of hits) {
    if (hit.tierMin && compareTiers(current, hit.tierMin) < 0) {
      overrides.push({ code: 'rule_tier_min', from: current, to: hit.tierMin, detail: hit.name });
      current = hit.tierMin;
    }
  }
  return { tier: current, overrides };
}

export function combineEvidence(input: CombineInput): Combined {
  const { rules, prediction, classifierCategories, categories } = input;
  const disbelief = new Map<string, number>();
  const sources = new Map<string, 'rules' | 'local_classifier'>();
  // A prediction without content evidence and no signal prior is flat (every category 1 / n): it
  // says nothing about the category, so it contributes no belief (see LocalPrediction.evidence).
  const flat =
    prediction !== null &&
    prediction.evidence === 0 &&
    prediction.confidence * prediction.probabilities.length <= 1 + 1e-9;
  const probabilities = flat ? [] : (prediction?.probabilities ?? []);
  probabilities.forEach((probability, index) => {
    const key = classifierCategories[index] as string;
    disbelief.set(key, 1 - probability);
    sources.set(key, 'local_classifier');
  });
  for (const hit of rules.hits) {
    if (!hit.category || !categories.has(hit.category)) continue;
    disbelief.set(hit.category, (disbelief.get(hit.category) ?? 1) * (1 - hit.confidence));
    const classifierShare = 1 - (probabilities[classifierCategories.indexOf(hit.category)] ?? 0);
    // The rule is the source when it contributes more than the classifier to this category.
    if (1 - hit.confidence < classifierShare) sources.set(hit.category, 'rules');
  }

  const scored = [...disbelief.entries()]
    .map(([category, rest]) => ({ category, score: 1 - rest }))
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  const domain = rules.domain;
  if (!best || best.score <= 0) {
    return {
      category: null,
      confidence: rules.tokenConfidence,
      tier: rules.tokenTier,
      source: 'token_fallback',
      domain,
      overrides: [],
      alternatives: [],
    };
  }

  const category = categories.get(best.category) as RoutingCategory;
  const overrides: OverrideRecord[] = [];
  const source = sources.get(best.category) ?? 'local_classifier';
  const bounded = applyRuleBounds(category.tier, best.category, rules.hits);
  overrides.push(...bounded.overrides);
  const ruleDomain = rules.hits.find((hit) => hit.category === best.category && hit.domain)?.domain;

  return {
    category: best.category,
    confidence: best.score,
    tier: bounded.tier,
    source,
    domain: ruleDomain ?? domain,
    overrides,
    alternatives: scored.slice(1, 3).map(({ category: key, score }) => ({ category: key, score })),
  };
}
