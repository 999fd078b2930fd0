import { TIERS } from '../../../common/tiers';
import { BUILT_IN_CATEGORIES } from '../data/categories.data';
import { DEFAULT_RULE_SET } from '../data/default-rule-set.data';
import type { LlmClassify, RoutingContext, RoutingInput } from '../router.interface';
import { recordedPrediction, replayRules } from './evidence';
import { RoutingEngine } from './routing-engine';
import type { RuleSet } from './routing.types';
import { compileRuleSet } from './rules';
import { tierModels } from './testing/tier-models';

const MODELS = tierModels();

const engine = new RoutingEngine();
engine.prepare(BUILT_IN_CATEGORIES);

const context = (overrides: Partial<RoutingContext> = {}): RoutingContext => ({
  ruleSet: DEFAULT_RULE_SET,
  categories: BUILT_IN_CATEGORIES,
  models: MODELS,
  ...overrides,
});
const ask = (content: string, system?: string): RoutingInput => ({
  model: 'auto',
  messages: [...(system ? [{ role: 'system', content: system }] : []), { role: 'user', content }],
});

const PROMPTS = [
  'Write unit tests with Jest for this service class and cover the error cases',
  'hi there, how are you?',
  'Translate "good morning" into French',
  'Prove that the square root of two is irrational, step by step',
  'Review this contract clause for liability risks under German law',
  'Design a multi-region event-driven architecture for our payment platform',
];

describe('replay from recorded evidence', () => {
  it('reproduces every decision with the same rule set, without the prompt', async () => {
    for (const prompt of PROMPTS) {
      const original = await engine.route(ask(prompt), context());
      const replayed = await engine.replay(original.evidence, context());
      expect(JSON.stringify(original.evidence)).not.toContain(prompt);
      expect({ category: replayed.category, tier: replayed.tier, model: replayed.model?.id }).toEqual({
        category: original.category,
        tier: original.tier,
        model: original.model?.id,
      });
      expect(replayed.trace.steps.map((s) => s.name)).toEqual(original.trace.steps.map((s) => s.name));
    }
  });

  it('applies a proposed rule set: cost mode, boost and token thresholds', async () => {
    const original = await engine.route(ask(PROMPTS[0] as string), context());
    const boosted: RuleSet = { ...DEFAULT_RULE_SET, tierBoost: 2 };
    const replayed = await engine.replay(original.evidence, context({ ruleSet: boosted }));
    expect(TIERS.indexOf(replayed.tier)).toBe(TIERS.indexOf(original.tier) + 2);
    expect(replayed.overrides.map((o) => o.code)).toContain('tier_boost');
  });

  it('re-evaluates keyword rules from the keywords that matched and role rules by name', () => {
    const ruleSet: RuleSet = {
      ...DEFAULT_RULE_SET,
      keywordRules: [
        {
          name: 'k',
          keywords: ['contract', 'liability'],
          match: 'all',
          minMatches: 1,
          searchIn: 'user',
          tierMin: 'high',
        },
        { name: 'new', keywords: ['never-seen'], match: 'any', minMatches: 1, searchIn: 'user' },
      ],
      systemPromptRoles: [{ name: 'support', pattern: 'support', category: 'smalltalk' }],
    };
    const outcome = replayRules(
      { tokens: { total: 9000 }, domains: ['legal'] } as never,
      [
        { kind: 'keyword', name: 'old', matched: ['Contract', 'liability'] },
        { kind: 'role', name: 'support', matched: [] },
      ],
      compileRuleSet(ruleSet),
    );
    expect(outcome.hits.map((h) => h.name).sort()).toEqual(['k', 'support']);
    expect(outcome.tokenTier).toBe('medium');
    expect(outcome.domain).toBe('legal');
  });

  it('turns a recorded ranking into a prediction over the current categories', () => {
    const prediction = recordedPrediction(
      [
        { category: 'gone', probability: 0.5 },
        { category: 'b', probability: 0.3 },
      ],
      ['a', 'b'],
    );
    expect(prediction).toMatchObject({ category: 'b', confidence: 0.3, probabilities: [0, 0.3] });
    expect(recordedPrediction([], ['a'])).toBeNull();
  });

  it('uses the recorded LLM answer instead of calling the classifier again', async () => {
    let calls = 0;
    const llmClassify: LlmClassify = () => {
      calls += 1;
      return Promise.resolve({ text: '{"category":"research","confidence":0.9}', costUsd: 0.001 });
    };
    const withLlm = context({
      llmClassify,
      settings: { classifierChain: [{ model: 'clf' }] },
      ruleSet: {
        ...DEFAULT_RULE_SET,
        classifier: { ...DEFAULT_RULE_SET.classifier, confidenceThreshold: 1 },
      },
    });
    const original = await engine.route(ask('hmm, what about the thing from before'), withLlm);
    expect(calls).toBe(1);
    expect(original.evidence.llm).toMatchObject({ model: 'clf', category: 'research' });
    const replayed = await engine.replay(original.evidence, withLlm);
    expect(calls).toBe(1);
    expect(replayed).toMatchObject({ category: 'research', source: 'llm_classifier', tier: original.tier });
    expect(replayed.classifier.costUsd).toBe(0);
  });
});
