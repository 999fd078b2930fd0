import type { RoutingDecision } from '../router.interface';

/** The `auto_routing` block of a non-streaming response body (DESIGN.md §3 step 11). */
export interface AutoRoutingInfo {
  category: string | null;
  tier: string;
  model_id: string | null;
  confidence: number;
  reason: string;
  overrides: { code: string; from: string; to: string; detail?: string }[];
  routing_ms: number;
}

export function toAutoRoutingInfo(decision: RoutingDecision): AutoRoutingInfo {
  return {
    category: decision.category,
    tier: decision.tier,
    model_id: decision.model?.id ?? null,
    confidence: decision.confidence,
    reason: decision.reason,
    overrides: decision.overrides.map((override) => ({ ...override })),
    routing_ms: decision.routingMs,
  };
}

/** What stored records keep of a decision (routing traces, suite results): ids, not objects. */
export function decisionSummary(decision: RoutingDecision): Pick<
  RoutingDecision,
  'category' | 'tier' | 'confidence' | 'source'
> & {
  model: string | null;
  providerId: string | null;
} {
  return {
    category: decision.category,
    tier: decision.tier,
    model: decision.model?.id ?? null,
    providerId: decision.model?.providerId ?? null,
    confidence: decision.confidence,
    source: decision.source,
  };
}
