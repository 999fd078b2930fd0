import { BUILT_IN_CATEGORIES } from '../../data/categories.data';
import { DEFAULT_RULE_SET } from '../../data/default-rule-set.data';
import type { RoutingContext, RoutingInput } from '../../router.interface';
import { ClassifierRegistry } from '../classifier-registry';
import { tierModels } from '../testing/tier-models';
import { costModeStep, decidedCategoryStep, overridesStep, sessionFillStep } from './adjust.steps';
import {
  combineStep,
  FIM_CATEGORY_KEY,
  fimFastPathStep,
  llmClassifierStep,
  localClassifierStep,
  rulesStep,
  tierModelStep,
} from './classify.steps';
import { signalsStep, strictnessGateStep } from './gate.steps';
import { buildDecision, ROUTING_STEPS } from './index';
import { RoutingRun } from './routing-run';
import { selectionStep, strictnessStep } from './select.steps';

const MODELS = tierModels(() => ({ capabilities: ['tools', 'vision'] }));

const registry = new ClassifierRegistry();

function runFor(input: RoutingInput, overrides: Partial<RoutingContext> = {}): RoutingRun {
  const context = {
    ruleSet: DEFAULT_RULE_SET,
    categories: BUILT_IN_CATEGORIES,
    models: MODELS,
    ...overrides,
  };
  return new RoutingRun(input, context, null, registry);
}

const ask = (content: string, model = 'auto'): RoutingInput => ({
  model,
  messages: [{ role: 'user', content }],
});
const fim: RoutingInput = { model: 'auto', prompt: 'def add(a, b):\n    return ', suffix: '\n' };

describe('routing steps', () => {
  it('run in the documented order', () => {
    expect(ROUTING_STEPS.map((step) => step.name)).toEqual([
      'signalsStep',
      'strictnessGateStep',
      'fimFastPathStep',
      'rulesStep',
      'localClassifierStep',
      'tierModelStep',
      'combineStep',
      'llmClassifierStep',
      'decidedCategoryStep',
      'overridesStep',
      'sessionFillStep',
      'costModeStep',
      'strictnessStep',
      'selectionStep',
    ]);
  });

  it('signals: facts about the request and the tokens a model must hold', () => {
    const run = runFor({ ...ask('hello there'), max_tokens: 500 });
    signalsStep(run);
    expect(run.signals.messageCount).toBe(1);
    expect(run.requiredTokens).toBe(run.signals.tokens.total + 500);
    expect(run.trace.steps.map((s) => s.name)).toEqual(['signals']);
  });

  it('strictness gate: with strictness off, keeps the named model and decides', () => {
    const run = runFor(ask('hello', 'high-model'), { settings: { strictness: 'off' } });
    signalsStep(run);
    strictnessGateStep(run);
    expect(run.outcome).toMatchObject({ routed: false, model: { id: 'high-model' }, tier: 'high' });
    const auto = runFor(ask('hello'), { settings: { strictness: 'off' } });
    signalsStep(auto);
    strictnessGateStep(auto);
    expect(auto.outcome).toBeUndefined();
  });

  it('FIM: the fast path decides the category, the classification steps pass, the adjustments skip', () => {
    const run = runFor(fim);
    signalsStep(run);
    fimFastPathStep(run);
    rulesStep(run);
    localClassifierStep(run);
    tierModelStep(run);
    combineStep(run);
    expect(llmClassifierStep(run)).toBeUndefined();
    expect(run.decision).toMatchObject({ category: FIM_CATEGORY_KEY, source: 'fim_fast_path' });
    decidedCategoryStep(run);
    overridesStep(run);
    sessionFillStep(run);
    costModeStep(run);
    expect(run.costMode).toBe(DEFAULT_RULE_SET.costMode);
    expect(run.trace.steps.map((s) => (s.skipped ? `(${s.name})` : s.name))).toEqual([
      'signals',
      'fim_fast_path',
      '(overrides)',
      '(session_fill)',
      '(cost_mode)',
    ]);
  });

  it('classification: rules, classifier and tier model combine into a decision with recorded evidence', () => {
    const run = runFor(ask('Write a SQL query that lists the largest customers by revenue'));
    signalsStep(run);
    fimFastPathStep(run);
    expect(run.decision).toBeUndefined();
    rulesStep(run);
    localClassifierStep(run);
    tierModelStep(run);
    combineStep(run);
    expect(run.decision.category).toEqual(expect.any(String));
    expect(run.evidence.local).toEqual(run.prediction?.ranking);
    // No LLM classifier configured: skipped without a promise.
    expect(llmClassifierStep(run)).toBeUndefined();
    expect(run.trace.steps.at(-1)).toMatchObject({ name: 'llm_classifier', skipped: true });
  });

  it('LLM classifier: asked below the threshold, and its answer replaces the local decision', async () => {
    const run = runFor(ask('hm'), {
      ruleSet: {
        ...DEFAULT_RULE_SET,
        classifier: { ...DEFAULT_RULE_SET.classifier, confidenceThreshold: 1.01 },
      },
      settings: { classifierChain: [{ providerId: 'prov', model: 'judge' }] },
      llmClassify: () =>
        Promise.resolve({
          text: '{"category":"translation","confidence":0.9,"tier":"low"}',
          inputTokens: 10,
          outputTokens: 5,
          costUsd: 0.001,
        }),
    });
    for (const step of [signalsStep, rulesStep, localClassifierStep, tierModelStep, combineStep]) step(run);
    await llmClassifierStep(run);
    expect(run.decision).toMatchObject({ category: 'translation', source: 'llm_classifier' });
    expect(run.llm?.model).toBe('judge');
  });

  it('adjustments, strictness and selection: selection always decides', () => {
    const run = runFor(ask('Summarise this paragraph in one line'));
    for (const step of ROUTING_STEPS.slice(0, 9)) void step(run);
    overridesStep(run);
    sessionFillStep(run);
    costModeStep(run);
    strictnessStep(run);
    expect(run.outcome).toBeUndefined();
    selectionStep(run);
    expect(run.outcome).toMatchObject({ routed: true, model: { id: expect.stringMatching(/-model$/) } });
    const decision = buildDecision(run, run.outcome!);
    expect(decision.trace.steps.map((s) => s.name)).toContain('selection');
    expect(decision.reason).toContain(decision.model!.id);
  });
});
