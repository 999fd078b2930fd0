/**
 * The routing engine: one code path for production, the dry run, synthetic tests and replay.
 *
 *   signals → strictness gate → (FIM fast path | rules → local classifier → tier model → combine
 *   → LLM classifier) → overrides → session fill → cost mode and tier boost → strictness → selection
 *
 * Each of those is a step in `steps/` (the ordered list is `ROUTING_STEPS`) over one
 * `RoutingRun`; the decisions themselves are pure functions in their own files. The only state
 * this class keeps is the cache of trained local classifiers.
 */
import { TIERS } from '../../../common/tiers';
import type { Router, RoutingContext, RoutingDecision, RoutingInput } from '../router.interface';
import { ClassifierRegistry, type Trainer } from './classifier-registry';
import type { RoutingEvidence } from './evidence';
import type { LocalClassifierStats } from './local-classifier';
import type { ModelStore } from './model-store';
import type { ModelCandidate, RoutingCategory } from './routing.types';
import { buildDecision, ROUTING_STEPS, RoutingRun } from './steps';
import type { TierModelStats } from './tier-model';
import { trainInWorker } from './training-worker';

export { FIM_CATEGORY_KEY } from './steps';

export interface RoutingEngineOptions {
  registry?: ClassifierRegistry;
  /** Where trained models are kept between processes (ignored when `registry` is given). */
  store?: ModelStore;
}

/**
 * Requests that together reach every signal pattern, rule kind and classifier path: prose in
 * English and German, fenced code, a system prompt, tools and a tool result, an image and FIM.
 */
const WARM_UP_INPUTS: readonly RoutingInput[] = [
  {
    model: 'auto',
    messages: [{ role: 'user', content: 'Write a SQL query that lists the largest customers' }],
  },
  {
    model: 'auto',
    messages: [
      { role: 'system', content: 'You are a senior software engineer and code reviewer.' },
      { role: 'user', content: 'Bitte prüfe diesen Vertrag und übersetze ihn:\n```python\nprint(1)\n```' },
    ],
    tools: [{ type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } }],
  },
  {
    model: 'auto',
    messages: [
      { role: 'user', content: 'Fix the failing test' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 't1', type: 'function', function: { name: 'run_tests', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 't1', content: 'Traceback (most recent call last): AssertionError' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is wrong in this screenshot? Patient dosage, tax law, security.' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        ],
      },
    ],
  },
  { model: 'auto', prompt: 'def add(a, b):\n    return ', suffix: '\n\nprint(add(1, 2))' },
];
/** One synthetic model per tier, so selection and scoring are warmed up too. */
const WARM_UP_MODELS: readonly ModelCandidate[] = TIERS.map((tier, index) => ({
  id: `warm-up-${tier}`,
  providerId: 'warm-up',
  tier,
  contextWindow: 200_000,
  inputPricePer1M: 0.1 * (index + 1),
  outputPricePer1M: 0.4 * (index + 1),
  visible: true,
  capabilities: ['tools', 'vision'],
  benchmarks: {
    intelligence: 30 + index * 8,
    coding: 30 + index * 8,
    math: 30 + index * 8,
    speed: 90 - index * 8,
  },
}));
const WARM_UP_ROUNDS = 3;

export class RoutingEngine implements Router {
  private readonly registry: ClassifierRegistry;

  constructor(options: RoutingEngineOptions = {}) {
    this.registry = options.registry ?? new ClassifierRegistry(options.store ? { store: options.store } : {});
  }

  /**
   * Trains (or fetches) the local classifier for these categories. Call it at startup and whenever
   * categories or admin examples change, so no request pays for training.
   */
  prepare(
    categories: readonly RoutingCategory[],
    trainingExamples?: RoutingContext['trainingExamples'],
  ): LocalClassifierStats & { tierModel: TierModelStats } {
    const { stats } = this.registry.get(categories, trainingExamples);
    return { ...stats, tierModel: this.registry.tierModel(categories, trainingExamples).stats };
  }

  /**
   * Like {@link prepare}, but trains in a training process (`trainer`, default {@link trainInWorker}),
   * so the event loop stays free; requests routed with other arrays keep their models meanwhile.
   */
  async prepareInBackground(
    categories: readonly RoutingCategory[],
    trainingExamples?: RoutingContext['trainingExamples'],
    trainer: Trainer = trainInWorker,
  ): Promise<LocalClassifierStats & { tierModel: TierModelStats }> {
    const { classifier, tierModel } = await this.registry.prepareAsync(categories, trainingExamples, trainer);
    return { ...classifier.stats, tierModel: tierModel.stats };
  }

  /**
   * V8 compiles a regular expression when it first runs and again, to machine code, on a later
   * run; the engine's large signal and keyword patterns cost 100+ ms that way, which the first
   * requests of every pod would pay. A few dry runs at startup pay it instead.
   */
  async warmUp(context: Pick<RoutingContext, 'categories' | 'trainingExamples' | 'ruleSet'>): Promise<void> {
    const warmContext: RoutingContext = { ...context, models: WARM_UP_MODELS, dryRun: true };
    for (let round = 0; round < WARM_UP_ROUNDS; round += 1) {
      for (const input of WARM_UP_INPUTS) await this.route(input, warmContext);
    }
  }

  async route(input: RoutingInput, context: RoutingContext): Promise<RoutingDecision> {
    return this.run(input, context, null);
  }

  /**
   * Re-routes a logged request from its recorded evidence (no prompt text) through this context,
   * typically a proposed rule set. Same pipeline as {@link route}; see `evidence.ts` for what the
   * text-reading stages use instead of the prompt. The LLM classifier is never called.
   */
  replay(evidence: RoutingEvidence, context: RoutingContext): Promise<RoutingDecision> {
    const input: RoutingInput = { model: evidence.userModel ?? 'auto', max_tokens: evidence.maxTokens };
    return this.run(input, { ...context, llmClassify: undefined }, evidence);
  }

  private async run(
    input: RoutingInput,
    context: RoutingContext,
    replay: RoutingEvidence | null,
  ): Promise<RoutingDecision> {
    const run = new RoutingRun(input, context, replay, this.registry);
    for (const step of ROUTING_STEPS) {
      const pending = step(run);
      if (pending) await pending;
      if (run.outcome) return buildDecision(run, run.outcome);
    }
    throw new Error('The routing steps ended without a decision');
  }
}
