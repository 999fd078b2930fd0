import type { RoutingDecisionDto } from '../dto/routing-decision.dto';
import type { RoutingDecision } from '../router.interface';

/** The API view of a decision (dry run and suite runs). */
export function toDecisionDto(decision: RoutingDecision): RoutingDecisionDto {
  return {
    routed: decision.routed,
    category: decision.category,
    categoryName: decision.categoryName,
    tier: decision.tier,
    model: decision.model ? { ...decision.model } : null,
    confidence: decision.confidence,
    source: decision.source,
    selectionMethod: decision.selectionMethod,
    domain: decision.domain,
    reason: decision.reason,
    overrides: decision.overrides.map((o) => ({ ...o })),
    systemPrompt: decision.systemPrompt,
    signals: { ...decision.signals },
    classifier: {
      model: decision.classifier.model,
      attempts: decision.classifier.attempts,
      inputTokens: decision.classifier.inputTokens,
      outputTokens: decision.classifier.outputTokens,
      costUsd: decision.classifier.costUsd,
    },
    routingMs: decision.routingMs,
    steps: decision.trace.steps.map((step) => ({ ...step })),
  };
}
