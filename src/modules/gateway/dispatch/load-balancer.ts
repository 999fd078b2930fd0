import type { LoadBalancingStrategy } from '../../tenants/tenant.types';

/** What the balancer needs to know about one place a model can be served from. */
export interface BalanceCandidate {
  /** Stable key of the provider+model pair (breakers and statistics use the same key). */
  key: string;
  providerId: string;
  /** Higher first (model registry priority). */
  priority: number;
}

interface TargetStats {
  inFlight: number;
  /** Exponentially weighted moving average of the time to the response head, ms. */
  ewmaMs: number;
  samples: number;
}

const EWMA_ALPHA = 0.3;

/** Live per-pod statistics of every provider+model pair: requests in flight and latency EWMA. */
export class TargetStatistics {
  private readonly stats = new Map<string, TargetStats>();

  started(key: string): void {
    this.get(key).inFlight += 1;
  }

  finished(key: string): void {
    const stats = this.get(key);
    if (stats.inFlight > 0) stats.inFlight -= 1;
  }

  recordLatency(key: string, ms: number): void {
    const stats = this.get(key);
    stats.ewmaMs = stats.samples === 0 ? ms : EWMA_ALPHA * ms + (1 - EWMA_ALPHA) * stats.ewmaMs;
    stats.samples += 1;
  }

  inFlight(key: string): number {
    return this.stats.get(key)?.inFlight ?? 0;
  }

  /** Undefined until a first sample exists. */
  latencyMs(key: string): number | undefined {
    const stats = this.stats.get(key);
    return stats && stats.samples > 0 ? stats.ewmaMs : undefined;
  }

  private get(key: string): TargetStats {
    let stats = this.stats.get(key);
    if (!stats) {
      stats = { inFlight: 0, ewmaMs: 0, samples: 0 };
      this.stats.set(key, stats);
    }
    return stats;
  }
}

export interface BalanceOptions {
  strategy: LoadBalancingStrategy;
  /** For `weighted`: provider id → weight (missing = 1, 0 = only when nothing else is left). */
  weights?: ReadonlyMap<string, number>;
  random?: () => number;
}

/**
 * Orders the candidates serving one model: the first is tried first, the rest are the failover
 * order. `priority` follows the registry priority; `weighted` draws a weighted random order;
 * `least-busy` prefers the fewest requests in flight; `latency` the lowest latency EWMA (a target
 * without samples goes first so that it gets measured). Ties fall back to priority.
 */
export function orderCandidates<T extends BalanceCandidate>(
  candidates: readonly T[],
  stats: TargetStatistics,
  options: BalanceOptions,
): T[] {
  if (candidates.length < 2) return [...candidates];
  const byPriority = (a: T, b: T): number => b.priority - a.priority;
  switch (options.strategy) {
    case 'priority':
      return [...candidates].sort(byPriority);
    case 'least-busy':
      return [...candidates].sort(
        (a, b) => stats.inFlight(a.key) - stats.inFlight(b.key) || byPriority(a, b),
      );
    case 'latency':
      return [...candidates].sort(
        (a, b) => (stats.latencyMs(a.key) ?? -1) - (stats.latencyMs(b.key) ?? -1) || byPriority(a, b),
      );
    case 'weighted': {
      const random = options.random ?? Math.random;
      // Efraimidis–Spirakis: sorting by u^(1/w) gives a weighted random permutation.
      const keyed = candidates.map((candidate) => {
        const weight = options.weights?.get(candidate.providerId) ?? 1;
        const sortKey = weight > 0 ? Math.pow(random(), 1 / weight) : -1;
        return { candidate, sortKey };
      });
      keyed.sort((a, b) => b.sortKey - a.sortKey || byPriority(a.candidate, b.candidate));
      return keyed.map((k) => k.candidate);
    }
  }
}
