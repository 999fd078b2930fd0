/**
 * The routing engine: one code path for production, the dry run, synthetic tests and replay.
 *
 *   signals → strictness gate → (FIM fast path | rules → local classifier → combine → LLM classifier)
 *   → overrides → session fill → cost mode and tier boost → strictness → selection
 *
 * Every stage is a pure function in its own file; this class only wires them, times them and
 * writes the trace. The only state it keeps is the cache of trained local classifiers.
 */
import { type Tier, TIERS } from '../../../common/tiers';
import type {
  DecisionSource,
  OverrideRecord,
  Router,
  RoutingContext,
  RoutingDecision,
  RoutingInput,
  RoutingSignals,
  SelectedModel,
  SelectionMethod,
  TraceStep,
  TraceStepName,
} from '../router.interface';
import { ClassifierRegistry, type Trainer } from './classifier-registry';
import { applyRuleBounds, combineEvidence, type Combined } from './combine';
import { applyCostMode } from './cost-mode';
import { recordedPrediction, replayRules, type RecordedLlmAnswer, type RoutingEvidence } from './evidence';
import {
  buildClassifierSystemPrompt,
  buildClassifierUserPrompt,
  classifierLimitTokens,
  runLlmClassifier,
  type LlmClassifierOutcome,
} from './llm-classifier';
import { textFeatures, type LocalClassifierStats, type TextFeatures } from './local-classifier';
import { applyOverrides, applySessionFill } from './overrides';
import type { Domain, ModelCandidate, RoutingCategory } from './routing.types';
import { applyRules, compileRuleSet, tierForTokens } from './rules';
import { findModel, scoringProfileFor, selectModel } from './selection';
import { resolveSettings } from './settings';
import { extractSignals, type SignalTexts } from './signals';
import { applyStrictness, isAutoModel, strictnessGate } from './strictness';
import { tierSignalsOf, type TierModelStats, type TierPrediction } from './tier-model';
import { trainInWorker } from './training-worker';

/** The category every fill-in-the-middle request goes to. */
export const FIM_CATEGORY_KEY = 'code_autocomplete';
const FIM_CONFIDENCE = 0.99;
/** An attached image makes the vision categories this much (1 + x) more likely than the text alone says. */
const VISION_PRIOR = 3;

export interface RoutingEngineOptions {
  registry?: ClassifierRegistry;
}

interface CategoryIndex {
  byKey: Map<string, RoutingCategory>;
  codeKeys: Set<string>;
  visionKeys: Set<string>;
  keys: Set<string>;
}

const categoryIndexes = new WeakMap<readonly RoutingCategory[], CategoryIndex>();

function indexCategories(categories: readonly RoutingCategory[]): CategoryIndex {
  const cached = categoryIndexes.get(categories);
  if (cached) return cached;
  const byKey = new Map<string, RoutingCategory>();
  const codeKeys = new Set<string>();
  const visionKeys = new Set<string>();
  for (const category of categories) {
    if (category.enabled === false) continue;
    byKey.set(category.key, category);
    const profile = scoringProfileFor(category);
    if (profile === 'coding' || profile === 'design') codeKeys.add(category.key);
    if (category.requiresVision === true) visionKeys.add(category.key);
  }
  const index = { byKey, codeKeys, visionKeys, keys: new Set(byKey.keys()) };
  categoryIndexes.set(categories, index);
  return index;
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

/**
 * A short message after an earlier turn ("and now in French") says little by itself; the tier
 * model reads the earlier turn only weakly, so it stays out (the category classifier and the
 * previous turn decide, as before it existed).
 */
const SHORT_FOLLOW_UP_CHARS = 80;

function isShortFollowUp(texts: SignalTexts): boolean {
  return texts.previousUser.length > 0 && texts.lastUser.length < SHORT_FOLLOW_UP_CHARS;
}

const NO_TEXTS: SignalTexts = { system: '', lastUser: '', previousUser: '' };

/** What {@link RoutingDecision.evidence} is built from. */
interface Recorded {
  input: RoutingInput;
  ruleHits: RoutingEvidence['ruleHits'];
  local: RoutingEvidence['local'];
  tierModel: RoutingEvidence['tierModel'];
}

/** A recorded LLM answer in the shape of a live classifier outcome (nothing is called or paid). */
function recordedLlmOutcome(answer: RecordedLlmAnswer, known: ReadonlySet<string>): LlmClassifierOutcome {
  const { model, ...result } = answer;
  return {
    result: known.has(result.category) ? result : null,
    attempts: [],
    model,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    promptChars: 0,
  };
}

class Trace {
  readonly steps: TraceStep[] = [];

  run<T>(
    name: TraceStepName,
    input: Record<string, unknown>,
    body: () => T,
    describe: (result: T) => Omit<TraceStep, 'name' | 'input' | 'durationUs'>,
  ): T {
    const started = performance.now();
    const result = body();
    const durationUs = Math.round((performance.now() - started) * 1000);
    this.steps.push({ name, input, durationUs, ...describe(result) });
    return result;
  }

  skip(name: TraceStepName, reason: string): void {
    this.steps.push({ name, input: {}, output: { reason }, skipped: true, durationUs: 0 });
  }
}

function signalSummary(signals: RoutingSignals): Record<string, unknown> {
  return {
    tokens: signals.tokens.total,
    messages: signals.messageCount,
    turns: signals.conversationTurns,
    images: signals.imageCount,
    tools: signals.toolCount,
    fim: signals.fimReason,
    agent: signals.isAgent,
    toolContinuation: signals.isToolContinuation,
    domains: signals.domains,
    codeLanguages: signals.codeLanguages,
    frustration: signals.frustration,
    longOutput: signals.longOutputRequested,
    language: signals.language,
  };
}

function usableUserModel(
  models: readonly ModelCandidate[],
  reference: string,
  requiredTokens: number,
): ModelCandidate | null {
  const matches = findModel(models, reference)
    .filter((model) => model.visible && model.contextWindow >= requiredTokens)
    .sort((a, b) => (b.priority ?? 50) - (a.priority ?? 50));
  return matches[0] ?? null;
}

export class RoutingEngine implements Router {
  private readonly registry: ClassifierRegistry;

  constructor(options: RoutingEngineOptions = {}) {
    this.registry = options.registry ?? new ClassifierRegistry();
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
   * Like {@link prepare}, but trains in a worker thread (`trainer`, default {@link trainInWorker}),
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
    const started = performance.now();
    const trace = new Trace();
    const settings = resolveSettings(context.settings);
    const { ruleSet } = context;

    const { signals, texts } = trace.run(
      'signals',
      {
        messages: input.messages?.length ?? (input.prompt !== undefined ? 1 : 0),
        tools: input.tools?.length ?? 0,
      },
      () => (replay ? { signals: replay.signals, texts: NO_TEXTS } : extractSignals(input)),
      (result) => ({ output: signalSummary(result.signals) }),
    );
    const requiredTokens =
      signals.tokens.total +
      (input.max_completion_tokens ?? input.max_tokens ?? settings.outputReserveTokens);
    const userModel = isAutoModel(input.model) ? null : input.model;
    const categoryIndex = indexCategories(context.categories);
    const recorded: Recorded = { input, ruleHits: [], local: null, tierModel: null };

    // Strictness off / fim_only: keep the user's model without looking at the content.
    const gate = trace.run(
      'strictness_gate',
      { strictness: settings.strictness, userModel, fim: signals.isFim },
      () => strictnessGate(userModel, settings.strictness, signals.isFim),
      (code) => ({ output: { keepUserModel: code !== null, code } }),
    );
    if (gate && userModel) {
      const candidate = usableUserModel(context.models, userModel, requiredTokens);
      const tier = candidate?.tier ?? 'medium';
      return this.finish({
        started,
        trace,
        context,
        recorded,
        signals,
        routed: false,
        category: null,
        tier,
        model: {
          id: candidate?.id ?? userModel,
          providerId: candidate?.providerId ?? null,
          providerSlug: candidate?.providerSlug,
          tier: candidate?.tier,
        },
        confidence: 1,
        source: 'user_model',
        selectionMethod: 'user_model',
        domain: null,
        overrides: [{ code: gate, from: tier, to: tier, detail: `kept ${userModel}` }],
        llm: null,
      });
    }

    const overrides: OverrideRecord[] = [];
    let decision: Combined;
    let llm: LlmClassifierOutcome | null = null;
    let classifierFrustration = false;
    let classifierLongOutput = false;

    if (signals.isFim) {
      const category = categoryIndex.byKey.get(FIM_CATEGORY_KEY);
      decision = trace.run(
        'fim_fast_path',
        { reason: signals.fimReason },
        (): Combined => ({
          category: FIM_CATEGORY_KEY,
          confidence: FIM_CONFIDENCE,
          tier: category?.tier ?? 'micro',
          source: 'fim_fast_path',
          domain: null,
          overrides: [],
          alternatives: [],
        }),
        (result) => ({
          output: { category: result.category, tier: result.tier },
          confidence: result.confidence,
        }),
      );
    } else {
      const compiled = compileRuleSet(ruleSet);
      const rules = trace.run(
        'rules',
        {
          ruleSet: ruleSet.name,
          keywordRules: compiled.keywordRules.length,
          roleRules: compiled.roleRules.length,
        },
        () =>
          replay ? replayRules(signals, replay.ruleHits, compiled) : applyRules(signals, texts, compiled),
        (result) => ({
          output: {
            hits: result.hits.map((hit) => ({
              kind: hit.kind,
              name: hit.name,
              ...(hit.category ? { category: hit.category } : {}),
              ...(hit.tierMin ? { tierMin: hit.tierMin } : {}),
              ...(hit.tierMax ? { tierMax: hit.tierMax } : {}),
              matched: hit.matched,
              confidence: hit.confidence,
            })),
            tokenTier: result.tokenTier,
            domain: result.domain,
            ...(compiled.skipped.length > 0 ? { skippedRules: compiled.skipped } : {}),
          },
        }),
      );

      recorded.ruleHits = rules.hits.map((hit) => ({ kind: hit.kind, name: hit.name, matched: hit.matched }));

      const classifier = this.registry.get(context.categories, context.trainingExamples);
      // The features of the request text, computed once for the category classifier and the tier model.
      const requestText = texts.lastUser || texts.system;
      let shared: TextFeatures | undefined;
      const weights = ruleSet.weights;
      const prediction = trace.run(
        'local_classifier',
        {
          categories: classifier.categories.length,
          examples: classifier.stats.examples,
          hasCode: signals.hasCode,
        },
        () =>
          classifier.categories.length === 0
            ? null
            : replay
              ? replay.local && recordedPrediction(replay.local, classifier.categories)
              : classifier.classify({
                  text: requestText,
                  textFeatures: (shared ??= textFeatures(requestText)),
                  context: texts.previousUser,
                  contextWeight: weights.conversationTurns,
                  boosts: [
                    ...(signals.hasCode
                      ? [{ categories: categoryIndex.codeKeys, factor: weights.codeLanguage }]
                      : []),
                    ...(signals.hasImages
                      ? [{ categories: categoryIndex.visionKeys, factor: VISION_PRIOR }]
                      : []),
                  ],
                }),
        (result) => ({
          output: result
            ? {
                category: result.category,
                ranking: result.ranking,
                ...(result.correction ? { correction: result.correction } : {}),
              }
            : { reason: 'no categories' },
          confidence: result?.confidence,
        }),
      );

      recorded.local = prediction?.ranking ?? null;

      const tierModel = this.registry.tierModel(context.categories, context.trainingExamples);
      const tierPrediction: TierPrediction | null = trace.run(
        'tier_model',
        { examples: tierModel.stats.examples },
        () =>
          replay
            ? (replay.tierModel ?? null)
            : isShortFollowUp(texts)
              ? null
              : tierModel.predict(
                  {
                    lastUser: requestText,
                    previousUser: texts.previousUser,
                    system: texts.lastUser ? texts.system : '',
                    signals: tierSignalsOf(signals),
                  },
                  shared?.features,
                ),
        (result) => ({
          output: result
            ? { tier: result.tier }
            : { reason: 'short follow-up, or replay without a prediction' },
          confidence: result?.confidence,
        }),
      );
      recorded.tierModel = tierPrediction;

      decision = trace.run(
        'combine',
        { ruleHits: rules.hits.length, classifier: prediction?.category ?? null },
        () =>
          combineEvidence({
            rules,
            prediction,
            classifierCategories: classifier.categories,
            categories: categoryIndex.byKey,
            cues: signals.cues,
            tierPrediction,
          }),
        (result) => ({
          output: {
            category: result.category,
            tier: result.tier,
            source: result.source,
            alternatives: result.alternatives,
          },
          confidence: result.confidence,
        }),
      );
      overrides.push(...decision.overrides);

      const threshold = ruleSet.classifier.confidenceThreshold;
      const chain = settings.classifierChain;
      if (decision.confidence >= threshold) {
        trace.skip('llm_classifier', `confidence ${decision.confidence.toFixed(2)} ≥ ${threshold}`);
      } else if (replay && !replay.llm) {
        trace.skip('llm_classifier', 'replay: the request has no recorded LLM answer (never called again)');
      } else if (!replay && (!context.llmClassify || chain.length === 0)) {
        trace.skip('llm_classifier', 'no LLM classifier configured');
      } else {
        const llmStarted = performance.now();
        const roleHint = rules.hits.find((hit) => hit.kind === 'role')?.name;
        const localGuess = decision.category
          ? { category: decision.category, confidence: decision.confidence }
          : undefined;
        const classify = context.llmClassify;
        llm = replay?.llm
          ? recordedLlmOutcome(replay.llm, categoryIndex.keys)
          : await runLlmClassifier({
              chain,
              classify: classify as NonNullable<typeof classify>,
              system: buildClassifierSystemPrompt(context.categories),
              userPromptFor: (endpoint) =>
                buildClassifierUserPrompt({
                  strategy: ruleSet.classifier.strategy,
                  input,
                  signals,
                  system: texts.system,
                  lastUser: texts.lastUser,
                  limitTokens: classifierLimitTokens(ruleSet.classifier.contextLimitTokens, endpoint),
                  roleHint,
                  localGuess,
                }),
              knownCategories: categoryIndex.keys,
              models: context.models,
              timeoutMs: settings.classifierTimeoutMs,
            });
        const before = decision;
        if (llm.result) {
          const result = llm.result;
          const category = categoryIndex.byKey.get(result.category) as RoutingCategory;
          const bounded = applyRuleBounds(result.tier ?? category.tier, result.category, rules.hits);
          overrides.length = 0;
          overrides.push(...bounded.overrides);
          decision = {
            ...decision,
            category: result.category,
            confidence: result.confidence,
            tier: bounded.tier,
            source: 'llm_classifier',
            domain: result.domain ?? decision.domain,
          };
          classifierFrustration = result.frustrated;
          classifierLongOutput = result.longOutput;
        } else {
          overrides.push({
            code: 'classifier_fallback',
            from: decision.tier,
            to: decision.tier,
            detail: 'LLM classifier chain failed; kept the local decision',
          });
        }
        trace.steps.push({
          name: 'llm_classifier',
          input: {
            strategy: ruleSet.classifier.strategy,
            chain: chain.map((endpoint) => endpoint.model),
            promptChars: llm.promptChars,
            localCategory: before.category,
          },
          output: {
            category: llm.result?.category ?? null,
            tier: llm.result?.tier ?? null,
            attempts: llm.attempts,
            costUsd: llm.costUsd,
          },
          confidence: llm.result?.confidence,
          durationUs: Math.round((performance.now() - llmStarted) * 1000),
        });
      }
    }

    const category = decision.category ? (categoryIndex.byKey.get(decision.category) ?? null) : null;
    let tier = decision.tier;
    const tokenTier = tierForTokens(signals.tokens.total, ruleSet.tokenThresholds);

    if (signals.isFim) {
      // Autocomplete is latency-bound: no upgrades, no cost-mode shifts.
      trace.skip('overrides', 'fill-in-the-middle fast path');
      trace.skip('session_fill', 'fill-in-the-middle fast path');
      trace.skip('cost_mode', 'fill-in-the-middle fast path');
    } else {
      const changed = trace.run(
        'overrides',
        { tier, confidence: decision.confidence, domain: decision.domain },
        () =>
          applyOverrides(
            {
              tier,
              category: decision.category,
              categoryRequiresVision: category?.requiresVision === true,
              confidence: decision.confidence,
              domain: decision.domain,
              signals,
              tokenTier,
              classifierFrustration,
              classifierLongOutput,
            },
            settings.overrides,
          ),
        (result) => ({
          output: { tier: result.tier, applied: result.overrides.map((override) => override.code) },
        }),
      );
      tier = changed.tier;
      overrides.push(...changed.overrides);

      const filled = trace.run(
        'session_fill',
        { tier, previousFill: context.previousSessionFill ?? null },
        () => applySessionFill(tier, context.previousSessionFill, settings.overrides),
        (result) => ({ output: { tier: result.tier, applied: result.overrides.length > 0 } }),
      );
      tier = filled.tier;
      overrides.push(...filled.overrides);
    }

    const cost = signals.isFim
      ? { tier, costMode: context.budget?.costMode ?? ruleSet.costMode, overrides: [] }
      : trace.run(
          'cost_mode',
          { tier, costMode: context.budget?.costMode ?? ruleSet.costMode, tierBoost: ruleSet.tierBoost },
          () => applyCostMode(tier, ruleSet, context.budget),
          (result) => ({ output: { tier: result.tier, costMode: result.costMode } }),
        );
    tier = cost.tier;
    overrides.push(...cost.overrides);

    const userCandidate = userModel ? usableUserModel(context.models, userModel, requiredTokens) : null;
    const strictness = trace.run(
      'strictness',
      { strictness: settings.strictness, userModel, userModelTier: userCandidate?.tier ?? null, tier },
      () =>
        applyStrictness({
          userModel,
          userCandidate,
          strictness: settings.strictness,
          isFim: signals.isFim,
          categoryTier: category?.tier ?? null,
          decidedTier: tier,
          smartKeepMinTier: settings.smartKeepMinTier,
          tierCap: settings.tierCapToUserModel,
        }),
      (result) => ({ output: { keepUserModel: result.keepUserModel, code: result.override?.code ?? null } }),
    );
    if (strictness.keepUserModel && userCandidate && strictness.override) {
      overrides.push(strictness.override);
      return this.finish({
        started,
        trace,
        context,
        recorded,
        signals,
        routed: false,
        category,
        tier: userCandidate.tier,
        model: {
          id: userCandidate.id,
          providerId: userCandidate.providerId,
          providerSlug: userCandidate.providerSlug,
          tier: userCandidate.tier,
        },
        confidence: decision.confidence,
        source: 'user_model',
        selectionMethod: 'user_model',
        domain: decision.domain,
        overrides,
        llm,
      });
    }

    const selection = trace.run(
      'selection',
      {
        tier,
        costMode: cost.costMode,
        requiredTokens,
        candidates: context.models.length,
        defaultModel: category?.defaultModel ?? null,
      },
      () =>
        selectModel({
          tier,
          category,
          costMode: cost.costMode,
          requiredTokens,
          needsVision: signals.hasImages,
          needsTools: signals.hasTools,
          blockedTiers: context.budget?.blockedTiers,
          models: context.models,
        }),
      (result) => ({
        output: {
          model: result.model?.id ?? null,
          providerId: result.model?.providerId ?? null,
          tier: result.tier,
          method: result.method,
          ranking: result.ranking,
          notes: result.notes,
        },
      }),
    );
    overrides.push(...selection.overrides);
    const chosen = selection.model;
    return this.finish({
      started,
      trace,
      context,
      recorded,
      signals,
      routed: true,
      category,
      tier: selection.tier,
      model: chosen
        ? {
            id: chosen.id,
            providerId: chosen.providerId,
            providerSlug: chosen.providerSlug,
            tier: chosen.tier,
          }
        : null,
      confidence: decision.confidence,
      source: decision.source,
      selectionMethod: selection.method,
      domain: decision.domain,
      overrides,
      llm,
    });
  }

  private finish(parts: {
    started: number;
    trace: Trace;
    context: RoutingContext;
    recorded: Recorded;
    signals: RoutingSignals;
    routed: boolean;
    category: RoutingCategory | null;
    tier: Tier;
    model: SelectedModel | null;
    confidence: number;
    source: DecisionSource;
    selectionMethod: SelectionMethod;
    domain: Domain | null;
    overrides: OverrideRecord[];
    llm: LlmClassifierOutcome | null;
  }): RoutingDecision {
    const { category, llm } = parts;
    const routingMs = performance.now() - parts.started;
    const reason = describeDecision(parts);
    return {
      routed: parts.routed,
      category: category?.key ?? null,
      categoryName: category?.name ?? null,
      tier: parts.tier,
      model: parts.model,
      confidence: Math.round(parts.confidence * 1000) / 1000,
      source: parts.source,
      selectionMethod: parts.selectionMethod,
      domain: parts.domain,
      reason,
      overrides: parts.overrides,
      systemPrompt: parts.routed && !parts.signals.isFim ? (category?.systemPrompt ?? null) : null,
      signals: parts.signals,
      classifier: {
        strategy: llm ? parts.context.ruleSet.classifier.strategy : null,
        model: llm?.model ?? null,
        attempts: llm?.attempts.length ?? 0,
        inputTokens: llm?.inputTokens ?? 0,
        outputTokens: llm?.outputTokens ?? 0,
        costUsd: llm?.costUsd ?? 0,
      },
      routingMs: Math.round(routingMs * 1000) / 1000,
      trace: { dryRun: parts.context.dryRun === true, steps: parts.trace.steps },
      evidence: {
        signals: parts.signals,
        userModel: isAutoModel(parts.recorded.input.model) ? null : parts.recorded.input.model,
        maxTokens: parts.recorded.input.max_completion_tokens ?? parts.recorded.input.max_tokens ?? null,
        ruleHits: parts.recorded.ruleHits,
        local: parts.recorded.local,
        ...(parts.recorded.tierModel ? { tierModel: parts.recorded.tierModel } : {}),
        llm: llm?.result ? { model: llm.model, ...llm.result } : null,
      },
    };
  }
}

function describeDecision(parts: {
  routed: boolean;
  category: RoutingCategory | null;
  tier: Tier;
  model: SelectedModel | null;
  confidence: number;
  source: DecisionSource;
  selectionMethod: SelectionMethod;
  overrides: readonly OverrideRecord[];
}): string {
  const what = parts.category ? `${parts.category.key} (${parts.category.tier})` : 'no category';
  const head = `${parts.source}: ${what}, confidence ${parts.confidence.toFixed(2)}`;
  const changes =
    parts.overrides.length > 0
      ? `; ${parts.overrides.map((override) => `${override.code} ${override.from}→${override.to}`).join(', ')}`
      : '';
  const tail = parts.model
    ? `; ${parts.routed ? parts.selectionMethod : 'kept'} ${parts.model.id} at ${parts.tier}`
    : `; no usable model at ${parts.tier}`;
  return `${head}${changes}${tail}`;
}
