import { BUILT_IN_CATEGORIES } from '../data/categories.data';
import { DEFAULT_RULE_SET } from '../data/default-rule-set.data';
import type {
  LlmClassify,
  RoutingContext,
  RoutingDecision,
  RoutingInput,
  RoutingMessage,
} from '../router.interface';
import { toAutoRoutingInfo } from './decision-view';
import { buildLongConversation } from './evaluation';
import { featureWork } from './local-classifier';
import { RoutingEngine } from './routing-engine';
import { extractSignals } from './signals';
import { tierModels } from './testing/tier-models';

const MODELS = tierModels((_tier, index) => ({
  providerSlug: 'acme',
  capabilities: ['tools', 'vision'],
  benchmarks: {
    intelligence: 30 + index * 8,
    coding: 30 + index * 8,
    math: 30 + index * 8,
    speed: 90 - index * 8,
  },
}));

const engine = new RoutingEngine();
engine.prepare(BUILT_IN_CATEGORIES);

function context(overrides: Partial<RoutingContext> = {}): RoutingContext {
  return { ruleSet: DEFAULT_RULE_SET, categories: BUILT_IN_CATEGORIES, models: MODELS, ...overrides };
}

function ask(content: string, extra: Partial<RoutingInput> = {}): RoutingInput {
  return { model: 'auto', messages: [{ role: 'user', content }], ...extra };
}

const stepNames = (decision: RoutingDecision) =>
  decision.trace.steps.map((step) => (step.skipped ? `(${step.name})` : step.name));

describe('RoutingEngine', () => {
  it('routes a coding request end to end and explains every step', async () => {
    const decision = await engine.route(
      ask('Write unit tests with Jest for this service class and cover the error cases'),
      context(),
    );
    expect(decision).toMatchObject({
      routed: true,
      category: 'code_intermediate',
      tier: 'medium',
      model: { id: 'medium-model', providerId: 'prov', providerSlug: 'acme' },
      source: 'local_classifier',
      selectionMethod: 'benchmark_balanced',
    });
    expect(decision.systemPrompt).toContain('software engineer');
    expect(stepNames(decision)).toEqual([
      'signals',
      'strictness_gate',
      'rules',
      'local_classifier',
      'tier_model',
      'combine',
      '(llm_classifier)',
      'overrides',
      'session_fill',
      'cost_mode',
      'strictness',
      'selection',
    ]);
    expect(decision.routingMs).toBeGreaterThan(0);
    expect(decision.reason).toContain('code_intermediate');
    for (const step of decision.trace.steps) expect(step.durationUs).toBeGreaterThanOrEqual(0);
  });

  it('keeps prompt text out of the trace and signals', async () => {
    const secret = 'my-very-private-prompt-text';
    const decision = await engine.route(ask(`Translate ${secret} into German`), context());
    expect(
      JSON.stringify({ trace: decision.trace, signals: decision.signals, reason: decision.reason }),
    ).not.toContain(secret);
  });

  it('sends fill-in-the-middle requests to autocomplete without classifiers or upgrades', async () => {
    const decision = await engine.route(
      {
        model: 'auto',
        prompt: 'def add(a, b):\n    return ',
        suffix: '\n\nprint(add(1, 2))',
        tools: [{ type: 'function' }],
      },
      context({ ruleSet: { ...DEFAULT_RULE_SET, costMode: 'quality', tierBoost: 2 } }),
    );
    expect(decision).toMatchObject({
      category: 'code_autocomplete',
      tier: 'micro',
      source: 'fim_fast_path',
      model: { id: 'micro-model' },
      systemPrompt: null,
    });
    expect(decision.overrides).toEqual([]);
    expect(stepNames(decision)).toEqual([
      'signals',
      'strictness_gate',
      'fim_fast_path',
      '(overrides)',
      '(session_fill)',
      '(cost_mode)',
      'strictness',
      'selection',
    ]);
  });

  it('lets a keyword rule decide and escalate security reviews', async () => {
    const decision = await engine.route(
      ask('Check this login handler for SQL injection and XSS vulnerabilities'),
      context(),
    );
    expect(decision).toMatchObject({ category: 'security_review', tier: 'high', domain: 'security' });
    const rules = decision.trace.steps.find((step) => step.name === 'rules');
    expect(rules?.output.hits).toEqual([
      expect.objectContaining({
        name: 'Security review',
        matched: ['vulnerabilities', 'sql injection', 'injection', 'xss'],
      }),
    ]);
    // The same words in a request the classifier reads differently: the rule still decides.
    const reworded = await engine.route(
      ask('Quick one: SQL injection and XSS, which vulnerabilities matter in my Flask app?'),
      context(),
    );
    expect(reworded).toMatchObject({ category: 'security_review', tier: 'high' });
  });

  describe('LLM classifier', () => {
    const answer = (text: string): LlmClassify =>
      jest.fn(async () => ({ text, inputTokens: 800, outputTokens: 40, costUsd: 0.0004 }));

    it('is not asked when the local decision is confident', async () => {
      const classify = answer('{"category":"medical","confidence":0.9}');
      const decision = await engine.route(
        ask('Check this login handler for SQL injection and XSS vulnerabilities'),
        context({ llmClassify: classify, settings: { classifierChain: [{ model: 'classifier' }] } }),
      );
      expect(classify).not.toHaveBeenCalled();
      expect(decision.classifier.costUsd).toBe(0);
      expect(decision.trace.steps.find((step) => step.name === 'llm_classifier')?.skipped).toBe(true);
    });

    it('decides below the threshold and its cost is added to the decision', async () => {
      const classify = answer(
        '```json\n{"category":"reasoning_deep","confidence":0.82,"tier":"advanced"}\n```',
      );
      const decision = await engine.route(
        ask('hmm, what do you make of this?'),
        context({ llmClassify: classify, settings: { classifierChain: [{ model: 'classifier' }] } }),
      );
      expect(classify).toHaveBeenCalledTimes(1);
      expect(decision).toMatchObject({
        category: 'reasoning_deep',
        tier: 'advanced',
        source: 'llm_classifier',
        confidence: 0.82,
      });
      expect(decision.classifier).toEqual({
        strategy: 'truncate',
        model: 'classifier',
        attempts: 1,
        inputTokens: 800,
        outputTokens: 40,
        costUsd: 0.0004,
      });
    });

    it('keeps the local decision when every classifier fails', async () => {
      const classify: LlmClassify = jest.fn(async () => ({ text: 'sorry, I cannot help' }));
      const decision = await engine.route(
        ask('hmm, what do you make of this?'),
        context({ llmClassify: classify, settings: { classifierChain: [{ model: 'a' }, { model: 'b' }] } }),
      );
      expect(classify).toHaveBeenCalledTimes(2);
      // The local decision: for this content-free text, no category (the token tier decides).
      const local = await engine.route(ask('hmm, what do you make of this?'), context());
      expect(decision).toMatchObject({ source: local.source, category: local.category, tier: local.tier });
      expect(decision.source).not.toBe('llm_classifier');
      expect(decision.overrides.map((override) => override.code)).toContain('classifier_fallback');
    });
  });

  describe('overrides and adjustments', () => {
    it('records overrides in order and never lowers a high tier for low confidence', async () => {
      const decision = await engine.route(
        ask('Is it safe to take ibuprofen with my blood thinner medication? My doctor is unavailable.'),
        context(),
      );
      expect(decision.category).toBe('medical');
      expect(decision.tier).toBe('critical');
      expect(decision.overrides.every((override) => override.code !== 'low_confidence_floor')).toBe(true);
    });

    it('upgrades requests with tools and images', async () => {
      const decision = await engine.route(
        {
          model: 'auto',
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'Say hello to the team' },
                { type: 'image_url', image_url: { url: 'x' } },
              ],
            },
          ],
          tools: [{ type: 'function', function: { name: 'post' } }],
        },
        context(),
      );
      const codes = decision.overrides.map((override) => override.code);
      expect(codes.indexOf('vision_upgrade')).toBeLessThan(codes.indexOf('tool_call_upgrade'));
      expect(decision.tier).toBe('medium');
    });

    it('applies session fill, cost mode and tier boost, clamped', async () => {
      const decision = await engine.route(
        ask('Hello there!'),
        context({
          previousSessionFill: 0.9,
          ruleSet: { ...DEFAULT_RULE_SET, costMode: 'quality', tierBoost: 2 },
        }),
      );
      expect(decision.overrides.map((override) => override.code)).toEqual([
        'session_fill_upgrade',
        'cost_quality',
        'tier_boost',
      ]);
      expect(decision.tier).toBe('high');
      const clamped = await engine.route(
        ask('Prove that there are infinitely many primes'),
        context({ ruleSet: { ...DEFAULT_RULE_SET, tierBoost: 2 } }),
      );
      expect(clamped.tier).toBe('critical');
    });

    it('obeys the budget guard: forced economy and blocked tiers', async () => {
      const decision = await engine.route(
        ask('Design a globally distributed key-value store with tunable consistency'),
        context({
          budget: {
            costMode: 'economy',
            blockedTiers: ['advanced', 'high', 'ultra', 'critical'],
            source: 'budget_guard',
          },
        }),
      );
      expect(decision.tier).toBe('medium');
      expect(decision.overrides.map((override) => override.code)).toContain('budget_cost_mode');
      expect(decision.selectionMethod).toBe('benchmark_economy');
    });
  });

  describe('strictness', () => {
    const userModel = 'high-model';

    it('off keeps the asked model without classifying', async () => {
      const decision = await engine.route(ask('Hello!', { model: userModel }), context());
      expect(decision).toMatchObject({
        routed: false,
        category: null,
        model: { id: userModel, providerId: 'prov' },
        tier: 'high',
        source: 'user_model',
      });
      expect(decision.overrides).toEqual([
        { code: 'strictness_off', from: 'high', to: 'high', detail: `kept ${userModel}` },
      ]);
      expect(stepNames(decision)).toEqual(['signals', 'strictness_gate']);
    });

    it('keeps an unknown model id for the gateway to resolve', async () => {
      const decision = await engine.route(ask('Hello!', { model: 'someone/else' }), context());
      expect(decision.model).toEqual({
        id: 'someone/else',
        providerId: null,
        providerSlug: undefined,
        tier: undefined,
      });
    });

    it('fim_only routes only autocomplete', async () => {
      const settings = { strictness: 'fim_only' as const };
      expect((await engine.route(ask('Hello!', { model: userModel }), context({ settings }))).routed).toBe(
        false,
      );
      const fim = await engine.route(
        { model: userModel, prompt: 'const x = ', suffix: ';' },
        context({ settings }),
      );
      expect(fim).toMatchObject({
        routed: true,
        category: 'code_autocomplete',
        model: { id: 'micro-model' },
      });
    });

    it('smart re-routes trivial requests and keeps the model for substantial ones', async () => {
      const settings = { strictness: 'smart' as const };
      const trivial = await engine.route(
        ask('Hi, thanks a lot!', { model: userModel }),
        context({ settings }),
      );
      expect(trivial.routed).toBe(true);
      expect(trivial.model?.id).not.toBe(userModel);
      const substantial = await engine.route(
        ask('Design a rate limiter that works across many gateway pods', { model: userModel }),
        context({ settings }),
      );
      expect(substantial).toMatchObject({ routed: false, model: { id: userModel }, systemPrompt: null });
      expect(substantial.overrides.at(-1)?.code).toBe('strictness_smart');
    });

    it('all routes everything but caps the tier at the asked model', async () => {
      const settings = { strictness: 'all' as const };
      const cheap = await engine.route(
        ask('Prove that the square root of 2 is irrational', { model: 'low-model' }),
        context({ settings }),
      );
      expect(cheap).toMatchObject({ routed: false, model: { id: 'low-model' }, tier: 'low' });
      expect(cheap.overrides.at(-1)?.code).toBe('tier_cap');
      const routed = await engine.route(ask('Hi!', { model: userModel }), context({ settings }));
      expect(routed.routed).toBe(true);
    });
  });

  it('returns no model (and says why) when nothing fits the window', async () => {
    const decision = await engine.route(
      ask('Hello'),
      context({ models: MODELS.map((model) => ({ ...model, contextWindow: 10 })) }),
    );
    expect(decision.model).toBeNull();
    expect(decision.selectionMethod).toBe('none');
    expect(decision.reason).toContain('no usable model');
  });

  it('gives the same decision for a dry run as for production', async () => {
    const input = ask('Compare Postgres and MySQL for a small web shop');
    const live = await engine.route(input, context());
    const dry = await engine.route(input, context({ dryRun: true }));
    expect(dry.trace.dryRun).toBe(true);
    const strip = (decision: RoutingDecision) => ({
      ...decision,
      routingMs: 0,
      trace: decision.trace.steps.map((step) => step.name),
    });
    expect(strip(dry)).toEqual(strip(live));
  });

  it('warms up without side effects: later decisions are the same as without it', async () => {
    const input = ask('Refactor this service and add integration tests', { max_tokens: 4000 });
    const cold = new RoutingEngine();
    const before = await cold.route(input, context());
    const warmed = new RoutingEngine();
    await warmed.warmUp({ categories: BUILT_IN_CATEGORIES, ruleSet: DEFAULT_RULE_SET });
    const after = await warmed.route(input, context());
    const strip = (decision: RoutingDecision) => ({ ...decision, routingMs: 0, trace: null });
    expect(strip(after)).toEqual(strip(before));
  });

  it('decides on a 100k-token conversation quickly', async () => {
    const input = buildLongConversation(100_000);
    await engine.route(input, context());
    let best = Infinity;
    for (let run = 0; run < 5; run += 1) {
      const started = performance.now();
      const decision = await engine.route(input, context());
      best = Math.min(best, performance.now() - started);
      expect(decision.signals.tokens.total).toBeGreaterThanOrEqual(100_000);
    }
    expect(best).toBeLessThan(50);
  });
});

describe('work per decision', () => {
  /**
   * A worst case for the text analysis: a long system prompt, many long turns with long words
   * (most character n-grams per character), a huge latest message and many tool definitions.
   */
  function worstCase(scale: number): RoutingInput {
    const words = 'verfassungsbeschwerde interoperability antidisestablishment ';
    const long = (chars: number): string => words.repeat(Math.ceil(chars / words.length));
    const messages: RoutingMessage[] = [{ role: 'system', content: long(50_000 * scale) }];
    for (let turn = 0; turn < 100 * scale; turn += 1) {
      messages.push({ role: 'user', content: long(4_000) });
      messages.push({ role: 'assistant', content: long(4_000) });
    }
    messages.push({ role: 'user', content: long(200_000 * scale) });
    const tools = Array.from({ length: 50 * scale }, (_, index) => ({
      type: 'function',
      function: { name: `tool_${index}`, description: long(500), parameters: { type: 'object' } },
    }));
    return { model: 'auto', messages, tools };
  }

  it('analyses a bounded window of the text, however long the request (counted, not timed)', async () => {
    const updatesOf = async (input: RoutingInput): Promise<number> => {
      const before = featureWork.updates;
      await engine.route(input, context());
      return featureWork.updates - before;
    };
    const small = await updatesOf(worstCase(1));
    const large = await updatesOf(worstCase(4));
    // Both local models read the head and tail of the latest message and of the turn before it
    // (≤ 1 000 characters each) and ≤ 1 200 characters of the system prompt: at most five feature
    // updates per character with character n-grams, two without.
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThanOrEqual(5 * (1_000 + 1_000) + 2 * (1_000 + 1_200));
    expect(large).toBe(small);

    // Every pattern (signals, task cues, keyword rules) runs on these capped texts only.
    const { texts, signals } = extractSignals(worstCase(4));
    expect(texts.lastUser.length).toBeLessThanOrEqual(6_000 + 10); // head, tail and the joint between them
    expect(texts.system.length).toBeLessThanOrEqual(4_000);
    expect(texts.previousUser.length).toBeLessThanOrEqual(1_500 + 10);
    // The size itself stays a signal.
    expect(signals.tokens.total).toBeGreaterThan(100_000);
  });
});

describe('toAutoRoutingInfo', () => {
  it('maps a decision to the response body block', async () => {
    const decision = await engine.route(ask('Translate "good night" into French'), context());
    expect(toAutoRoutingInfo(decision)).toEqual({
      category: 'translation',
      tier: decision.tier,
      model_id: decision.model?.id,
      confidence: decision.confidence,
      reason: decision.reason,
      overrides: decision.overrides,
      routing_ms: decision.routingMs,
    });
  });
});
