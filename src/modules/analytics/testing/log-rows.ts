import { Types } from 'mongoose';

import type { RequestLog } from '../request-log.schema';

/**
 * A request-log row for unit specs: a successful, non-streamed chat request of tenant `t1`, user
 * alice, model `m` at tier low; `overrides` set any field.
 */
export function requestLogRow(overrides: Partial<RequestLog> = {}): RequestLog & { _id: Types.ObjectId } {
  return {
    _id: new Types.ObjectId(),
    timestamp: new Date('2025-01-15T10:00:00Z'),
    requestId: 'r',
    tenantId: 't1',
    tenantSlug: 'team',
    keyId: 'k',
    keyPrefix: 'omp-1',
    user: 'alice',
    sessionId: null,
    endpoint: 'chat',
    stream: false,
    requestedModel: 'm',
    routedModel: 'm',
    providerId: 'p',
    providerSlug: 'p',
    autoRouted: false,
    category: 'coding',
    tier: 'low',
    confidence: null,
    routingReason: null,
    overrides: [],
    routingMs: null,
    inputTokens: 10,
    outputTokens: 5,
    usageEstimated: false,
    costUsd: 0.001,
    baselineModel: 'm',
    baselineCostUsd: 0.001,
    savedUsd: 0,
    latencyMs: 12,
    overheadMs: 1,
    upstreamMs: 11,
    ttftMs: null,
    status: 'success',
    httpStatus: 200,
    errorType: null,
    errorCode: null,
    errorMessage: null,
    attempts: [],
    fallback: false,
    contextFallback: null,
    routingTraceId: null,
    notes: [],
    promptLogged: false,
    ...overrides,
  };
}
