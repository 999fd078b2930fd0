import type { RoutingDecision } from '../../router.interface';
import { isAutoModel } from '../strictness';
import type { RoutingRun, RunOutcome } from './routing-run';

/** The engine's answer: the deciding step's outcome, with the run's signals, trace and evidence. */
export function buildDecision(run: RoutingRun, outcome: RunOutcome): RoutingDecision {
  const { category, llm } = outcome;
  const { input, context, signals, evidence } = run;
  const routingMs = performance.now() - run.started;
  return {
    routed: outcome.routed,
    category: category?.key ?? null,
    categoryName: category?.name ?? null,
    tier: outcome.tier,
    model: outcome.model,
    confidence: Math.round(outcome.confidence * 1000) / 1000,
    source: outcome.source,
    selectionMethod: outcome.selectionMethod,
    domain: outcome.domain,
    reason: describeDecision(outcome),
    overrides: outcome.overrides,
    systemPrompt: outcome.routed && !signals.isFim ? (category?.systemPrompt ?? null) : null,
    signals,
    classifier: {
      strategy: llm ? context.ruleSet.classifier.strategy : null,
      model: llm?.model ?? null,
      attempts: llm?.attempts.length ?? 0,
      inputTokens: llm?.inputTokens ?? 0,
      outputTokens: llm?.outputTokens ?? 0,
      costUsd: llm?.costUsd ?? 0,
    },
    routingMs: Math.round(routingMs * 1000) / 1000,
    trace: { dryRun: context.dryRun === true, steps: run.trace.steps },
    evidence: {
      signals,
      userModel: isAutoModel(input.model) ? null : input.model,
      maxTokens: input.max_completion_tokens ?? input.max_tokens ?? null,
      ruleHits: evidence.ruleHits,
      local: evidence.local,
      ...(evidence.tierModel ? { tierModel: evidence.tierModel } : {}),
      llm: llm?.result ? { model: llm.model, ...llm.result } : null,
    },
  };
}

/** One line for the log and the console: source, category, confidence, overrides, model. */
function describeDecision(outcome: RunOutcome): string {
  const what = outcome.category ? `${outcome.category.key} (${outcome.category.tier})` : 'no category';
  const head = `${outcome.source}: ${what}, confidence ${outcome.confidence.toFixed(2)}`;
  const changes =
    outcome.overrides.length > 0
      ? `; ${outcome.overrides.map((override) => `${override.code} ${override.from}→${override.to}`).join(', ')}`
      : '';
  const tail = outcome.model
    ? `; ${outcome.routed ? outcome.selectionMethod : 'kept'} ${outcome.model.id} at ${outcome.tier}`
    : `; no usable model at ${outcome.tier}`;
  return `${head}${changes}${tail}`;
}
