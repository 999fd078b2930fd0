import { Types } from 'mongoose';

import type { RequestAttempt, RequestLogRecord, RequestStatus } from './request-log.schema';

/**
 * What the gateway knows about one finished request, as analytics reads it: the request's facts
 * (its context, passed as is) and how it ended. Structural types only, so the gateway hands over
 * its own objects without copying them and without knowing the request-log schema.
 */
export interface GatewayRequestFacts {
  readonly receivedAt: Date;
  readonly requestId: string;
  /** The tenant slug of the URL (`/api/:tenant/v1`), when there was one. */
  readonly tenantSlug?: string;
  readonly tenant?: { readonly id: string; readonly slug: string; readonly promptLogging: boolean };
  readonly key?: { readonly id: string; readonly prefix: string };
  readonly user?: string;
  readonly sessionId?: string;
  /** `chat`, `completions`, `embeddings` or an ingress's endpoint (`messages`). */
  readonly endpointLabel: string;
  readonly stream: boolean;
  readonly requestedModel: string;
  /** The model the request resolved to before dispatch (when it got that far). */
  readonly primary?: { readonly modelId: string };
  readonly route?: {
    readonly category: string | null;
    readonly tier: string | null;
    readonly confidence: number | null;
    readonly reason: string;
    readonly overrides: string[];
    readonly routingMs: number;
    readonly traceId?: string;
  };
  readonly contextFallback?: { original_model: string; fallback_model: string; reason: string };
  readonly notes: string[];
}

/** How the request ended. */
export interface GatewayRequestOutcome {
  readonly status: RequestStatus;
  readonly httpStatus: number;
  readonly errorType?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** The deployment that served (or last failed) the request. */
  readonly target?: {
    readonly deployment: {
      readonly modelId: string;
      readonly providerId: string;
      readonly providerSlug: string;
      readonly tier: string | null;
    };
  };
  readonly attempts: readonly RequestAttempt[];
  readonly upstreamMs: number;
  readonly ttftMs?: number;
  readonly usage?: {
    readonly input: number;
    readonly output: number;
    readonly cachedInput?: number;
    readonly estimated: boolean;
  };
  readonly cost?: {
    readonly cost_usd: number;
    readonly baseline_model: string;
    readonly baseline_cost_usd: number;
    readonly saved_usd: number;
  };
}

/** The model a request is counted under in metrics and logs: served, resolved, asked for, or `none`. */
export function requestModelLabel(facts: GatewayRequestFacts, outcome: GatewayRequestOutcome): string {
  return outcome.target?.deployment.modelId ?? facts.primary?.modelId ?? (facts.requestedModel || 'none');
}

/** The request-log row of one gateway request (analytics owns this mapping and the schema). */
export function toRequestLogRow(
  facts: GatewayRequestFacts,
  outcome: GatewayRequestOutcome,
  totalMs: number,
  overheadMs: number,
): RequestLogRecord {
  const deployment = outcome.target?.deployment;
  const route = facts.route;
  const usage = outcome.usage;
  const cost = outcome.cost;
  const attempts = outcome.attempts;
  const promptLogged = facts.tenant?.promptLogging === true && outcome.status !== 'aborted';
  return {
    _id: new Types.ObjectId(),
    timestamp: facts.receivedAt,
    requestId: facts.requestId,
    tenantId: facts.tenant?.id ?? null,
    tenantSlug: facts.tenant?.slug ?? facts.tenantSlug ?? null,
    keyId: facts.key?.id ?? null,
    keyPrefix: facts.key?.prefix ?? null,
    user: facts.user ?? null,
    sessionId: facts.sessionId ?? null,
    endpoint: facts.endpointLabel,
    stream: facts.stream,
    requestedModel: facts.requestedModel || null,
    routedModel: deployment?.modelId ?? (facts.primary ? requestModelLabel(facts, outcome) : null),
    providerId: deployment?.providerId ?? null,
    providerSlug: deployment?.providerSlug ?? null,
    autoRouted: route !== undefined,
    category: route?.category ?? null,
    tier: route?.tier ?? deployment?.tier ?? null,
    confidence: route?.confidence ?? null,
    routingReason: route?.reason ?? null,
    overrides: route?.overrides ?? [],
    routingMs: route ? round2(route.routingMs) : null,
    inputTokens: usage?.input ?? 0,
    outputTokens: usage?.output ?? 0,
    cachedInputTokens: usage?.cachedInput ?? 0,
    usageEstimated: usage?.estimated ?? false,
    costUsd: cost?.cost_usd ?? 0,
    baselineModel: cost?.baseline_model ?? null,
    baselineCostUsd: cost?.baseline_cost_usd ?? 0,
    savedUsd: cost?.saved_usd ?? 0,
    latencyMs: round2(totalMs),
    overheadMs: round2(overheadMs),
    upstreamMs: round2(outcome.upstreamMs),
    ttftMs: outcome.ttftMs === undefined ? null : round2(outcome.ttftMs),
    status: outcome.status,
    httpStatus: outcome.httpStatus,
    errorType: outcome.errorType ?? null,
    errorCode: outcome.errorCode ?? null,
    errorMessage: outcome.errorMessage?.slice(0, 1000) ?? null,
    attempts: attempts.map((a) => ({ ...a, ms: round2(a.ms) })),
    fallback:
      facts.contextFallback !== undefined || attempts.filter((a) => a.outcome !== 'circuit_open').length > 1,
    contextFallback: facts.contextFallback ?? null,
    routingTraceId: route?.traceId ?? (route ? facts.requestId : null),
    notes: facts.notes,
    promptLogged,
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
