import { TIERS } from '../../../common/tiers';
import { applyRuleBounds, applyTierModel, combineEvidence } from './combine';
import type { LocalPrediction } from './local-classifier';
import type { RoutingCategory } from './routing.types';
import type { RuleHit, RuleOutcome } from './rules';
import type { TierPrediction } from './tier-model';

const categories = new Map<string, RoutingCategory>(
  (
    [
      ['smalltalk', 'minimal'],
      ['debugging', 'medium'],
      ['security_review', 'high'],
      ['chat_title', 'micro'],
    ] as const
  ).map(([key, tier]) => [key, { key, name: key, description: key, tier, examples: [] }]),
);
const keys = [...categories.keys()];

function prediction(probabilities: number[]): LocalPrediction {
  const best = probabilities.indexOf(Math.max(...probabilities));
  return {
    category: keys[best] as string,
    confidence: probabilities[best] as number,
    ranking: [],
    probabilities,
    similarity: 0.3,
  };
}

function rules(hits: RuleHit[] = []): RuleOutcome {
  return { hits, tokenTier: 'low', tokenConfidence: 0.28, domain: null };
}

describe('combineEvidence', () => {
  it('a flat prediction without content evidence is no category: the token tier decides', () => {
    const flat = { ...prediction([0.25, 0.25, 0.25, 0.25]), evidence: 0 };
    const result = combineEvidence({
      rules: rules(),
      prediction: flat,
      classifierCategories: keys,
      categories,
    });
    expect(result).toMatchObject({ category: null, source: 'token_fallback', tier: 'low', confidence: 0.28 });
  });

  it('a flat prediction still lets a keyword rule decide, and a signal prior still counts', () => {
    const flat = { ...prediction([0.25, 0.25, 0.25, 0.25]), evidence: 0 };
    const hit: RuleHit = {
      kind: 'keyword',
      name: 'security',
      category: 'security_review',
      confidence: 0.6,
      matched: [],
    };
    const ruled = combineEvidence({
      rules: rules([hit]),
      prediction: flat,
      classifierCategories: keys,
      categories,
    });
    expect(ruled).toMatchObject({ category: 'security_review', confidence: 0.6, source: 'rules' });
    const boosted = { ...prediction([0.1, 0.7, 0.1, 0.1]), evidence: 0 };
    const primed = combineEvidence({
      rules: rules(),
      prediction: boosted,
      classifierCategories: keys,
      categories,
    });
    expect(primed.category).toBe('debugging');
  });

  it('takes the classifier answer and the category tier when no rule matched', () => {
    const result = combineEvidence({
      rules: rules(),
      prediction: prediction([0.1, 0.8, 0.05, 0.05]),
      classifierCategories: keys,
      categories,
    });
    expect(result).toMatchObject({
      category: 'debugging',
      tier: 'medium',
      source: 'local_classifier',
      confidence: 0.8,
    });
  });

  it('combines agreeing evidence as a noisy-or', () => {
    const hit: RuleHit = {
      kind: 'keyword',
      name: 'Sec',
      category: 'security_review',
      confidence: 0.6,
      matched: ['xss', 'csrf'],
    };
    const result = combineEvidence({
      rules: rules([hit]),
      prediction: prediction([0.1, 0.4, 0.5, 0]),
      classifierCategories: keys,
      categories,
    });
    expect(result.category).toBe('security_review');
    expect(result.source).toBe('rules');
    expect(result.confidence).toBeCloseTo(1 - 0.4 * 0.5, 6);
  });

  it('lets a confident classifier outvote a weak rule but keeps the rule floor', () => {
    const hit: RuleHit = {
      kind: 'role',
      name: 'Security reviewer',
      category: 'security_review',
      tierMin: 'high',
      confidence: 0.3,
      matched: [],
    };
    const result = combineEvidence({
      rules: rules([hit]),
      prediction: prediction([0.02, 0.95, 0.02, 0.01]),
      classifierCategories: keys,
      categories,
    });
    expect(result.category).toBe('debugging');
    expect(result.tier).toBe('high');
    expect(result.overrides).toEqual([
      { code: 'rule_tier_min', from: 'medium', to: 'high', detail: 'Security reviewer' },
    ]);
  });

  it('falls back to the token tier when there is no evidence at all', () => {
    const result = combineEvidence({
      rules: rules(),
      prediction: null,
      classifierCategories: [],
      categories,
    });
    expect(result).toMatchObject({ category: null, tier: 'low', source: 'token_fallback', confidence: 0.28 });
  });
});

describe('applyRuleBounds', () => {
  const title: RuleHit = {
    kind: 'keyword',
    name: 'Title',
    category: 'chat_title',
    tierMax: 'micro',
    confidence: 0.9,
    matched: [],
  };
  const floor: RuleHit = { kind: 'keyword', name: 'Floor', tierMin: 'low', confidence: 0.5, matched: [] };

  it('caps only when the capping rule chose the category', () => {
    expect(applyRuleBounds('minimal', 'chat_title', [title]).tier).toBe('micro');
    expect(applyRuleBounds('advanced', 'research', [title]).tier).toBe('advanced');
  });

  it('lets floors win over caps and records both in order', () => {
    const result = applyRuleBounds('medium', 'chat_title', [title, floor]);
    expect(result.tier).toBe('low');
    expect(result.overrides.map((override) => [override.code, override.from, override.to])).toEqual([
      ['rule_tier_max', 'medium', 'micro'],
      ['rule_tier_min', 'micro', 'low'],
    ]);
  });
});

describe('applyTierModel', () => {
  const decided = {
    category: 'smalltalk',
    confidence: 0.2,
    tier: 'minimal' as const,
    source: 'local_classifier' as const,
    domain: null,
    overrides: [],
    alternatives: [],
  };
  const sure = (tier: (typeof TIERS)[number]): TierPrediction => ({
    probabilities: TIERS.map((t) => (t === tier ? 1 : 0)),
    tier,
    confidence: 1,
  });

  it('raises an unsure decision that is probably below the band as far as needed, and records it', () => {
    // Sure of "advanced": its band is medium…high, so medium is the lowest tier that is not below it.
    const result = applyTierModel(decided, sure('advanced'));
    expect(result.tier).toBe('medium');
    expect(result.overrides).toEqual([
      expect.objectContaining({ code: 'tier_model_floor', from: 'minimal', to: 'medium' }),
    ]);
  });

  it('raises only as far as P(below the band) allows, never past the model’s tier', () => {
    // 40 % critical keeps every tier below high at risk (critical's band starts at high): high.
    // With 20 % critical the risk at the decided tier is acceptable: no floor.
    const split: TierPrediction = {
      probabilities: TIERS.map((t) => (t === 'critical' ? 0.4 : t === 'low' ? 0.6 : 0)),
      tier: 'high',
      confidence: 0.4,
    };
    expect(applyTierModel(decided, split).tier).toBe('high');
    const mostlyLow: TierPrediction = {
      probabilities: TIERS.map((t) => (t === 'critical' ? 0.2 : t === 'low' ? 0.8 : 0)),
      tier: 'low',
      confidence: 0.8,
    };
    expect(applyTierModel(decided, mostlyLow).tier).toBe('minimal');
  });

  it('does not floor on a distribution spread thin over every tier', () => {
    const thin: TierPrediction = {
      probabilities: TIERS.map((t) => (t === 'micro' ? 0.02 : 0.14)),
      tier: 'high',
      confidence: 0.56,
    };
    expect(applyTierModel(decided, thin).tier).toBe('minimal');
  });

  it('lowers an unsure decision that is probably above the band', () => {
    const result = applyTierModel({ ...decided, tier: 'high' }, sure('low'));
    expect(result.tier).toBe('low');
    expect(result.overrides[0]?.code).toBe('tier_model_cap');
  });

  it('leaves a confident decision and one inside the predicted band alone', () => {
    expect(applyTierModel({ ...decided, confidence: 0.9 }, sure('advanced')).tier).toBe('minimal');
    expect(applyTierModel({ ...decided, confidence: 0.9, tier: 'high' }, sure('low')).tier).toBe('high');
    expect(applyTierModel(decided, sure('low')).tier).toBe('minimal');
  });

  it('never takes the tier below a rule’s tierMin', () => {
    const hit: RuleHit = { kind: 'keyword', name: 'floor', matched: [], confidence: 0, tierMin: 'high' };
    const result = combineEvidence({
      rules: rules([hit]),
      prediction: prediction([0.1, 0.1, 0.1, 0.3]), // unsure: the tier model may act
      classifierCategories: keys,
      categories,
      tierPrediction: sure('micro'),
    });
    expect(result.tier).toBe('high');
    expect(result.overrides.map((override) => override.code)).toEqual([
      'rule_tier_min',
      'tier_model_cap',
      'rule_tier_min',
    ]);
  });
});
