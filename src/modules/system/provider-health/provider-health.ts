import type { PodHeartbeat } from '../pods/pod-heartbeat.repository';

export type ModelHealthStatus = 'healthy' | 'degraded' | 'down';

export interface ModelHealth {
  provider: string;
  model: string;
  status: ModelHealthStatus;
  /** Circuit state per live pod that has one for this model (absent pods count as closed). */
  breakers: { podId: string; state: 'closed' | 'open' | 'half_open'; failures: number }[];
  openOnPods: number;
  /** Upstream calls in the last 15 minutes, all live pods together. */
  calls: number;
  failures: number;
  errorRate: number;
  avgLatencyMs: number | null;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
}

/** A model whose error rate reaches this share in the window is degraded. */
export const DEGRADED_ERROR_RATE = 0.2;

/**
 * Health per provider model from the live pods' heartbeats: breaker states across pods and the
 * pods' own upstream statistics. `down`: the circuit is open on every pod reporting the model and
 * nothing succeeded in the window; `degraded`: a circuit is not closed somewhere, or the error
 * rate reaches 20 %.
 */
export function summarizeProviderHealth(livePods: readonly PodHeartbeat[]): ModelHealth[] {
  const byModel = new Map<string, ModelHealth & { latencyMsSum: number; reporting: Set<string> }>();
  const entry = (provider: string, model: string) => {
    const key = `${provider}\u0000${model}`;
    let health = byModel.get(key);
    if (!health) {
      health = {
        provider,
        model,
        status: 'healthy',
        breakers: [],
        openOnPods: 0,
        calls: 0,
        failures: 0,
        errorRate: 0,
        avgLatencyMs: null,
        lastSuccessAt: null,
        lastFailureAt: null,
        latencyMsSum: 0,
        reporting: new Set(),
      };
      byModel.set(key, health);
    }
    return health;
  };

  for (const pod of livePods) {
    for (const upstream of pod.upstreams ?? []) {
      const health = entry(upstream.provider, upstream.model);
      health.reporting.add(pod._id);
      health.calls += upstream.calls;
      health.failures += upstream.failures;
      health.latencyMsSum += upstream.latencyMsSum;
      health.lastSuccessAt = latest(health.lastSuccessAt, upstream.lastSuccessAt);
      health.lastFailureAt = latest(health.lastFailureAt, upstream.lastFailureAt);
    }
    for (const breaker of pod.breakers ?? []) {
      const health = entry(breaker.provider, breaker.model);
      health.reporting.add(pod._id);
      health.breakers.push({ podId: pod._id, state: breaker.state, failures: breaker.failures });
      if (breaker.state === 'open') health.openOnPods += 1;
    }
  }

  return [...byModel.values()]
    .map(({ latencyMsSum, reporting, ...health }) => {
      health.errorRate = health.calls > 0 ? round(health.failures / health.calls) : 0;
      health.avgLatencyMs = health.calls > 0 ? round(latencyMsSum / health.calls) : null;
      const recentSuccess = health.calls > health.failures;
      if (health.openOnPods > 0 && health.openOnPods === reporting.size && !recentSuccess) {
        health.status = 'down';
      } else if (
        health.breakers.some((b) => b.state !== 'closed') ||
        health.errorRate >= DEGRADED_ERROR_RATE
      ) {
        health.status = 'degraded';
      }
      return health;
    })
    .sort((a, b) => a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model));
}

function latest(current: Date | null, candidate: number | Date | null | undefined): Date | null {
  if (candidate === null || candidate === undefined) return current;
  const date = new Date(candidate);
  return !current || date > current ? date : current;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
