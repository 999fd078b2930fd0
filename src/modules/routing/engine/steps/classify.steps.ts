import { applyRuleBounds, type Combined, combineEvidence } from '../combine';
import { recordedPrediction, type RecordedLlmAnswer, replayRules } from '../evidence';
import {
  buildClassifierSystemPrompt,
  buildClassifierUserPrompt,
  classifierLimitTokens,
  type LlmClassifierOutcome,
  runLlmClassifier,
} from '../llm-classifier';
import { textFeatures } from '../local-classifier';
import type { RoutingCategory } from '../routing.types';
import { applyRules, compileRuleSet } from '../rules';
import type { SignalTexts } from '../signals';
import { tierSignalsOf } from '../tier-model';
import type { RoutingRun } from './routing-run';

/** The category every fill-in-the-middle request goes to. */
export const FIM_CATEGORY_KEY = 'code_autocomplete';
const FIM_CONFIDENCE = 0.99;
/** An attached image makes the vision categories this much (1 + x) more likely than the text alone says. */
const VISION_PRIOR = 3;

/**
 * A short message after an earlier turn ("and now in French") says little by itself; the tier
 * model reads the earlier turn only weakly, so it stays out (the category classifier and the
 * previous turn decide, as before it existed).
 */
const SHORT_FOLLOW_UP_CHARS = 80;

function isShortFollowUp(texts: SignalTexts): boolean {
  return texts.previousUser.length > 0 && texts.lastUser.length < SHORT_FOLLOW_UP_CHARS;
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

/** Fill-in-the-middle: straight to the autocomplete category, nothing else is read. */
export function fimFastPathStep(run: RoutingRun): void {
  const { signals } = run;
  if (!signals.isFim) return;
  const category = run.categoryIndex.byKey.get(FIM_CATEGORY_KEY);
  run.decision = run.trace.run(
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
}

/** The rule set's keyword and role rules (a replay re-applies the recorded hits to this rule set). */
export function rulesStep(run: RoutingRun): void {
  const { signals, texts, replay } = run;
  if (signals.isFim) return;
  const { ruleSet } = run.context;
  const compiled = compileRuleSet(ruleSet);
  const rules = run.trace.run(
    'rules',
    {
      ruleSet: ruleSet.name,
      keywordRules: compiled.keywordRules.length,
      roleRules: compiled.roleRules.length,
    },
    () => (replay ? replayRules(signals, replay.ruleHits, compiled) : applyRules(signals, texts, compiled)),
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
  run.rules = rules;
  run.evidence.ruleHits = rules.hits.map((hit) => ({ kind: hit.kind, name: hit.name, matched: hit.matched }));
}

/** The trained category classifier (a replay uses the recorded ranking). */
export function localClassifierStep(run: RoutingRun): void {
  const { signals, texts, replay, context, categoryIndex } = run;
  if (signals.isFim) return;
  const classifier = run.registry.get(context.categories, context.trainingExamples);
  run.classifier = classifier;
  run.requestText = texts.lastUser || texts.system;
  const weights = context.ruleSet.weights;
  const prediction = run.trace.run(
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
              text: run.requestText,
              textFeatures: (run.features ??= textFeatures(run.requestText)),
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
  run.prediction = prediction;
  run.evidence.local = prediction?.ranking ?? null;
}

/** The tier model's reading of how demanding the request is. */
export function tierModelStep(run: RoutingRun): void {
  const { signals, texts, replay, context } = run;
  if (signals.isFim) return;
  const tierModel = run.registry.tierModel(context.categories, context.trainingExamples);
  const tierPrediction = run.trace.run(
    'tier_model',
    { examples: tierModel.stats.examples },
    () =>
      replay
        ? (replay.tierModel ?? null)
        : isShortFollowUp(texts)
          ? null
          : tierModel.predict(
              {
                lastUser: run.requestText,
                previousUser: texts.previousUser,
                system: texts.lastUser ? texts.system : '',
                signals: tierSignalsOf(signals),
              },
              run.features?.features,
            ),
    (result) => ({
      output: result ? { tier: result.tier } : { reason: 'short follow-up, or replay without a prediction' },
      confidence: result?.confidence,
    }),
  );
  run.tierPrediction = tierPrediction;
  run.evidence.tierModel = tierPrediction;
}

/** Rules, classifier and tier model together: category, tier, confidence. */
export function combineStep(run: RoutingRun): void {
  const { signals, rules, prediction, classifier } = run;
  if (signals.isFim || !rules || !classifier) return;
  run.decision = run.trace.run(
    'combine',
    { ruleHits: rules.hits.length, classifier: prediction?.category ?? null },
    () =>
      combineEvidence({
        rules,
        prediction,
        classifierCategories: classifier.categories,
        categories: run.categoryIndex.byKey,
        cues: signals.cues,
        tierPrediction: run.tierPrediction,
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
  run.overrides.push(...run.decision.overrides);
}

/**
 * Below the confidence threshold, asks the LLM classifier chain (a replay uses the recorded
 * answer). Returns a promise only when it asks, so the usual request awaits nothing here.
 */
export function llmClassifierStep(run: RoutingRun): Promise<void> | undefined {
  const { signals, replay, context, trace } = run;
  if (signals.isFim || !run.rules) return undefined;
  const confidence = run.decision.confidence;
  const threshold = context.ruleSet.classifier.confidenceThreshold;
  if (confidence >= threshold) {
    trace.skip('llm_classifier', `confidence ${confidence.toFixed(2)} ≥ ${threshold}`);
  } else if (replay && !replay.llm) {
    trace.skip('llm_classifier', 'replay: the request has no recorded LLM answer (never called again)');
  } else if (!replay && (!context.llmClassify || run.settings.classifierChain.length === 0)) {
    trace.skip('llm_classifier', 'no LLM classifier configured');
  } else {
    return askLlmClassifier(run);
  }
  return undefined;
}

async function askLlmClassifier(run: RoutingRun): Promise<void> {
  const { signals, texts, replay, context, settings, input, categoryIndex, trace } = run;
  const rules = run.rules as NonNullable<RoutingRun['rules']>;
  const { ruleSet } = context;
  let decision = run.decision;
  const chain = settings.classifierChain;
  const llmStarted = performance.now();
  const roleHint = rules.hits.find((hit) => hit.kind === 'role')?.name;
  const localGuess = decision.category
    ? { category: decision.category, confidence: decision.confidence }
    : undefined;
  const classify = context.llmClassify;
  const llm = replay?.llm
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
  run.llm = llm;
  const before = decision;
  if (llm.result) {
    const result = llm.result;
    const category = categoryIndex.byKey.get(result.category) as RoutingCategory;
    const bounded = applyRuleBounds(result.tier ?? category.tier, result.category, rules.hits);
    run.overrides.length = 0;
    run.overrides.push(...bounded.overrides);
    decision = {
      ...decision,
      category: result.category,
      confidence: result.confidence,
      tier: bounded.tier,
      source: 'llm_classifier',
      domain: result.domain ?? decision.domain,
    };
    run.decision = decision;
    run.classifierFrustration = result.frustrated;
    run.classifierLongOutput = result.longOutput;
  } else {
    run.overrides.push({
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
