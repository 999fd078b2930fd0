import { BUILT_IN_CATEGORIES } from '../data/categories.data';
import { DEFAULT_RULE_SET } from '../data/default-rule-set.data';
import { RoutingEngine } from '../engine/routing-engine';
import { compactTrace, TRACE_MAX_CHARS } from './compact-trace';

const engine = new RoutingEngine();
const models = [
  {
    id: 'm',
    providerId: 'p',
    tier: 'medium' as const,
    contextWindow: 128_000,
    inputPricePer1M: 1,
    outputPricePer1M: 2,
    visible: true,
  },
];

describe('compactTrace', () => {
  it('keeps every step, the decision and the evidence, without prompt text', async () => {
    const prompt = 'Please debug this secret-function that throws a TypeError on null input';
    const decision = await engine.route(
      { model: 'auto', messages: [{ role: 'user', content: prompt }] },
      { ruleSet: DEFAULT_RULE_SET, categories: BUILT_IN_CATEGORIES, models },
    );
    const trace = compactTrace(decision);
    expect(trace.steps.map((s) => s.name)).toEqual(decision.trace.steps.map((s) => s.name));
    expect(trace).toMatchObject({ category: decision.category, tier: decision.tier, model: 'm' });
    expect(trace.evidence.signals).toEqual(decision.signals);
    const json = JSON.stringify(trace);
    expect(json).not.toContain('secret-function');
    expect(json.length).toBeLessThanOrEqual(TRACE_MAX_CHARS);
  });

  it('stays under the size limit whatever the steps contain', async () => {
    const decision = await engine.route(
      { model: 'auto', messages: [{ role: 'user', content: 'hello' }] },
      { ruleSet: DEFAULT_RULE_SET, categories: BUILT_IN_CATEGORIES, models },
    );
    const huge = {
      ...decision,
      trace: {
        dryRun: false,
        steps: Array.from({ length: 40 }, () => ({
          name: 'rules' as const,
          input: { big: 'x'.repeat(10_000), list: Array.from({ length: 100 }, (_, i) => ({ i })) },
          output: { deep: { a: { b: { c: { d: { e: 1 } } } } } },
          durationUs: 1,
        })),
      },
    };
    const trace = compactTrace(huge);
    expect(JSON.stringify(trace).length).toBeLessThanOrEqual(TRACE_MAX_CHARS);
    expect(trace.truncated).toBe(true);
    expect(trace.steps).toHaveLength(40);
  });
});
