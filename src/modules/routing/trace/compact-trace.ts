import { decisionSummary } from '../engine/decision-view';
import type { RoutingDecision, RoutingEvidence, TraceStep } from '../router.interface';
import type { StoredRoutingTrace } from './routing-trace.types';

/** A stored trace never exceeds this many characters of JSON. */
export const TRACE_MAX_CHARS = 16_000;
const MAX_ARRAY = 8;
const MAX_STRING = 300;
const MAX_DEPTH = 4;
const MAX_RULE_HITS = 20;
const MAX_MATCHED = 10;

/** Caps arrays, strings and nesting of a free-form step value. */
function bound(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value * 10_000) / 10_000 : null;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) return value.slice(0, MAX_ARRAY).map((item) => bound(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = bound(item, depth + 1);
  return out;
}

function boundEvidence(evidence: RoutingEvidence): RoutingEvidence {
  return {
    ...evidence,
    ruleHits: evidence.ruleHits.slice(0, MAX_RULE_HITS).map((hit) => ({
      kind: hit.kind,
      name: hit.name.slice(0, MAX_STRING),
      matched: hit.matched.slice(0, MAX_MATCHED).map((keyword) => keyword.slice(0, MAX_STRING)),
    })),
    local: evidence.local?.slice(0, MAX_ARRAY) ?? null,
  };
}

/**
 * The decision as stored with the request log: every step bounded, the evidence replay needs, no
 * prompt text (the engine's trace and evidence contain none). When the JSON would exceed
 * {@link TRACE_MAX_CHARS}, step inputs and outputs are dropped (names, timings and confidences stay).
 */
export function compactTrace(decision: RoutingDecision): StoredRoutingTrace {
  const steps = decision.trace.steps.map((step): TraceStep => ({
    name: step.name,
    input: bound(step.input) as Record<string, unknown>,
    output: bound(step.output) as Record<string, unknown>,
    ...(step.confidence !== undefined ? { confidence: Math.round(step.confidence * 1000) / 1000 } : {}),
    ...(step.skipped ? { skipped: true } : {}),
    durationUs: step.durationUs,
  }));
  const trace: StoredRoutingTrace = {
    routed: decision.routed,
    ...decisionSummary(decision),
    selectionMethod: decision.selectionMethod,
    domain: decision.domain,
    reason: decision.reason.slice(0, 1000),
    overrides: decision.overrides.slice(0, 30).map((o) => ({ ...o, detail: o.detail?.slice(0, MAX_STRING) })),
    routingMs: decision.routingMs,
    classifier: {
      model: decision.classifier.model,
      attempts: decision.classifier.attempts,
      costUsd: decision.classifier.costUsd,
    },
    steps,
    evidence: boundEvidence(decision.evidence),
    truncated: false,
  };
  if (JSON.stringify(trace).length <= TRACE_MAX_CHARS) return trace;
  return {
    ...trace,
    steps: steps.map((step) => ({ ...step, input: {}, output: {} })),
    evidence: { ...trace.evidence, ruleHits: trace.evidence.ruleHits.slice(0, 5) },
    truncated: true,
  };
}
