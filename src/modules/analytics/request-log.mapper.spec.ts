import { type GatewayRequestFacts, type GatewayRequestOutcome, toRequestLogRow } from './request-log.mapper';

const receivedAt = new Date('2026-01-01T00:00:00Z');
const facts: GatewayRequestFacts = {
  receivedAt,
  requestId: 'req-1',
  tenantSlug: 'team',
  tenant: { id: 't1', slug: 'team', promptLogging: true },
  key: { id: 'k1', prefix: 'omp-12345678' },
  user: 'ada',
  endpointLabel: 'chat',
  stream: true,
  requestedModel: 'auto',
  primary: { modelId: 'gpt-4o-mini' },
  route: {
    category: 'coding',
    tier: 'low',
    confidence: 0.9,
    reason: 'rule',
    overrides: ['tier_cap:high->low'],
    routingMs: 1.23456,
  },
  notes: ['soft budget'],
};
const served: GatewayRequestOutcome = {
  status: 'success',
  httpStatus: 200,
  target: { deployment: { modelId: 'gpt-4o-mini', providerId: 'p1', providerSlug: 'openai', tier: 'low' } },
  attempts: [
    { provider: 'azure', model: 'gpt-4o-mini', outcome: 'timeout', ms: 10.123 },
    { provider: 'openai', model: 'gpt-4o-mini', outcome: 'ok', status: 200, ms: 20.456 },
  ],
  upstreamMs: 30.5791,
  ttftMs: 12.345,
  usage: { input: 10, output: 5, cachedInput: 4, estimated: false },
  cost: { cost_usd: 0.01, baseline_model: 'gpt-4o', baseline_cost_usd: 0.05, saved_usd: 0.04 },
};

describe('toRequestLogRow', () => {
  it('maps a served request, rounding times to 0.01 ms', () => {
    const row = toRequestLogRow(facts, served, 40.123, 9.5444);
    expect(row._id).toBeDefined();
    expect(row).toMatchObject({
      timestamp: receivedAt,
      tenantId: 't1',
      tenantSlug: 'team',
      keyPrefix: 'omp-12345678',
      endpoint: 'chat',
      requestedModel: 'auto',
      routedModel: 'gpt-4o-mini',
      providerSlug: 'openai',
      autoRouted: true,
      category: 'coding',
      tier: 'low',
      routingMs: 1.23,
      inputTokens: 10,
      cachedInputTokens: 4,
      costUsd: 0.01,
      savedUsd: 0.04,
      latencyMs: 40.12,
      overheadMs: 9.54,
      upstreamMs: 30.58,
      ttftMs: 12.35,
      status: 'success',
      fallback: true,
      routingTraceId: 'req-1',
      promptLogged: true,
      notes: ['soft budget'],
    });
    expect(row.attempts?.map((a) => a.ms)).toEqual([10.12, 20.46]);
    // Stored in the schema's field order.
    expect(Object.keys(row)).toEqual([
      '_id',
      'timestamp',
      'requestId',
      'tenantId',
      'tenantSlug',
      'keyId',
      'keyPrefix',
      'user',
      'endpoint',
      'stream',
      'requestedModel',
      'routedModel',
      'providerId',
      'providerSlug',
      'autoRouted',
      'category',
      'tier',
      'confidence',
      'routingReason',
      'overrides',
      'routingMs',
      'inputTokens',
      'outputTokens',
      'cachedInputTokens',
      'costUsd',
      'baselineModel',
      'baselineCostUsd',
      'savedUsd',
      'latencyMs',
      'overheadMs',
      'upstreamMs',
      'ttftMs',
      'status',
      'httpStatus',
      'attempts',
      'fallback',
      'routingTraceId',
      'notes',
      'promptLogged',
    ]);
  });

  it('leaves fields at their default (null, false, 0, empty) out, as stored', () => {
    const row = toRequestLogRow(
      {
        receivedAt,
        requestId: 'r2',
        endpointLabel: 'messages',
        stream: false,
        requestedModel: '',
        notes: [],
      },
      { status: 'error', httpStatus: 401, errorType: 'authentication_error', attempts: [], upstreamMs: 0 },
      1,
      1,
    );
    const { _id, ...rest } = row;
    expect(_id).toBeDefined();
    expect(rest).toEqual({
      timestamp: receivedAt,
      requestId: 'r2',
      endpoint: 'messages',
      latencyMs: 1,
      overheadMs: 1,
      status: 'error',
      httpStatus: 401,
      errorType: 'authentication_error',
    });
  });
});
