import {
  type CompactRequestLog,
  type GatewayRequestFacts,
  type GatewayRequestOutcome,
  toRequestLogRow,
} from '../request-log.mapper';
import type { RequestAttempt, RequestStatus } from '../request-log.schema';

/** A deterministic generator (mulberry32), so a failing comparison can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const STRINGS = [
  'a',
  'team',
  'omp-1a2b3c4d',
  'gpt-4o-mini',
  'ünïcödé',
  '日本語のモデル',
  'emoji 🚀',
  '',
  'x'.repeat(70),
];
const NUMBERS = [0, -0, 1, -1, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 0.1, 1e-9, 12.34, 1e21, Number.NaN, 2 ** 53];

/**
 * Request-log rows as the gateway builds them (`toRequestLogRow` of random request facts and
 * outcomes): every optional field present or not, odd strings (non-ASCII, empty, long), odd
 * numbers (-0, NaN, int32 limits, large), errors, attempts with and without a status, several
 * tenants, hours and days. For comparing two implementations of what is stored or folded.
 */
export function randomGatewayRows(count: number, seed = 1): CompactRequestLog[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const maybe = <T>(value: () => T, p = 0.5): T | undefined => (random() < p ? value() : undefined);
  const str = (): string => pick(STRINGS);
  const num = (): number => (random() < 0.7 ? Math.round(random() * 100_000) / 100 : pick(NUMBERS));
  const rows: CompactRequestLog[] = [];
  const base = Date.UTC(2026, 11, 7, 22, 30);
  for (let i = 0; i < count; i++) {
    const tenant = maybe(
      () => ({ id: pick(['t1', 't2', 't3']), slug: str(), promptLogging: random() < 0.3 }),
      0.9,
    );
    const status: RequestStatus = pick(['success', 'success', 'success', 'error', 'aborted']);
    const attempts: RequestAttempt[] = Array.from({ length: Math.floor(random() * 3) }, () => {
      const attempt: RequestAttempt = {
        provider: pick(['openai', 'azure', 'mock']),
        model: str(),
        outcome: pick(['ok', 'timeout', 'server', 'circuit_open']),
        ms: num(),
      };
      if (random() < 0.5) attempt.status = pick([200, 429, 500]);
      // Attempts are spread into the row: a member set to undefined is stored as null.
      if (random() < 0.1) (attempt as { status?: number }).status = undefined;
      return attempt;
    });
    const facts: GatewayRequestFacts = {
      receivedAt: new Date(base + Math.floor(random() * 3 * 3_600_000)),
      requestId: `req-${i}-${str()}`,
      tenantSlug: maybe(str, 0.2),
      tenant,
      key: maybe(() => ({ id: pick(['k1', 'k2']), prefix: str() }), 0.8),
      user: maybe(str),
      sessionId: maybe(str, 0.3),
      endpointLabel: pick(['chat', 'completions', 'embeddings', 'messages']),
      stream: random() < 0.4,
      requestedModel: pick(['auto', 'gpt-4o-mini', '', 'm']),
      primary: maybe(() => ({ modelId: str() }), 0.8),
      route: maybe(() => ({
        category: random() < 0.8 ? pick(['coding', 'chat', 'math']) : null,
        tier: random() < 0.8 ? pick(['low', 'medium', 'high']) : null,
        confidence: random() < 0.8 ? num() : null,
        reason: str(),
        overrides: random() < 0.3 ? [str(), str()] : [],
        routingMs: num(),
        traceId: maybe(str, 0.3),
      })),
      contextFallback: maybe(() => ({ original_model: str(), fallback_model: str(), reason: str() }), 0.1),
      notes: random() < 0.2 ? [str()] : [],
    };
    const outcome: GatewayRequestOutcome = {
      status,
      httpStatus: status === 'success' ? 200 : pick([0, 400, 429, 499, 500, 502]),
      errorType:
        status === 'success' ? undefined : maybe(() => pick(['rate_limit', 'upstream_error', 'timeout'])),
      errorCode: maybe(str, 0.2),
      errorMessage:
        status === 'success' ? undefined : maybe(() => str().repeat(1 + Math.floor(random() * 200))),
      target: maybe(
        () => ({
          deployment: {
            modelId: str(),
            providerId: pick(['p1', 'p2']),
            providerSlug: str(),
            tier: random() < 0.7 ? pick(['low', 'high']) : null,
          },
        }),
        0.8,
      ),
      attempts,
      upstreamMs: num(),
      ttftMs: maybe(num, 0.4),
      usage: maybe(
        () => ({
          input: Math.floor(random() * 5000),
          output: Math.floor(random() * 2000),
          cachedInput: maybe(() => Math.floor(random() * 100)),
          estimated: random() < 0.2,
        }),
        0.8,
      ),
      cost: maybe(
        () => ({
          cost_usd: num() / 1000,
          baseline_model: str(),
          baseline_cost_usd: num() / 1000,
          saved_usd: num() / 1000 - 10,
        }),
        0.8,
      ),
    };
    rows.push(toRequestLogRow(facts, outcome, num(), num()));
  }
  return rows;
}
