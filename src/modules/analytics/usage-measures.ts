import { type Histogram, mergeHistogram, percentiles } from './latency-histogram';
import { fromE8 } from './rollups';
import type { RollupRow } from './usage-rollup.repository';
import { ROLLUP_COUNTERS as COUNTERS, type RollupCounter } from './usage-rollup.schema';

export interface LatencyStats {
  avg: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** What the dashboard shows for a set of requests (a range, a series point, a breakdown row). */
export interface UsageMeasures {
  requests: number;
  errors: number;
  errorRate: number;
  streamed: number;
  autoRouted: number;
  /** Auto-routed requests / requests (0..1). */
  autoRoutedShare: number;
  fallbacks: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costUsd: number;
  baselineCostUsd: number;
  /** baseline − cost; negative when routing cost more than the baseline. */
  savedUsd: number;
  /** Arrival to last byte. */
  latencyMs: LatencyStats;
  /** Time spent in the gateway itself. */
  overheadMs: LatencyStats;
  upstreamMsAvg: number | null;
  /** Streams only: time to first token. */
  ttftMs: LatencyStats;
}

/**
 * Adds rollup rows up: counters by sum, latency histograms bucket by bucket. Merging histograms is
 * most of the work (three sparse objects of up to 120 buckets per row), so an accumulator made
 * with `histograms: false` sums only the counters; its percentiles are null. Readers use that for
 * what shows no percentile (a cost series) and for ranking, and merge the histograms of the few
 * groups they show (`addHistograms`).
 */
export class UsageAccumulator {
  private readonly sums: Partial<Record<RollupCounter, number>> = {};
  private readonly latency: Histogram = {};
  private readonly overhead: Histogram = {};
  private readonly ttft: Histogram = {};
  private readonly histograms: boolean;

  constructor(options: { histograms?: boolean } = {}) {
    this.histograms = options.histograms ?? true;
  }

  add(row: RollupRow): this {
    const sums = this.sums;
    const source = row as unknown as Record<string, unknown>;
    for (const name of COUNTERS) {
      const value = source[name];
      if (typeof value === 'number' && value !== 0) sums[name] = (sums[name] ?? 0) + value;
    }
    if (this.histograms) this.addHistograms(row);
    return this;
  }

  /** Only the histograms of a row (its counters were added without them). */
  addHistograms(row: RollupRow): this {
    mergeHistogram(this.latency, row.hLatency);
    mergeHistogram(this.overhead, row.hOverhead);
    mergeHistogram(this.ttft, row.hTtft);
    return this;
  }

  merge(other: UsageAccumulator): this {
    for (const name of COUNTERS) {
      const value = other.sums[name];
      if (value) this.sums[name] = (this.sums[name] ?? 0) + value;
    }
    mergeHistogram(this.latency, other.latency);
    mergeHistogram(this.overhead, other.overhead);
    mergeHistogram(this.ttft, other.ttft);
    return this;
  }

  get requests(): number {
    return this.sums.requests ?? 0;
  }

  /** One summed counter (no percentiles computed). */
  counter(name: RollupCounter): number {
    return this.sums[name] ?? 0;
  }

  measures(): UsageMeasures {
    const s = (name: RollupCounter): number => this.sums[name] ?? 0;
    const requests = s('requests');
    const avg = (sum: number, count: number): number | null =>
      count > 0 ? Math.round((sum / count) * 100) / 100 : null;
    const stats = (histogram: Histogram, sum: number, count: number): LatencyStats => {
      const [p50, p95, p99] = percentiles(histogram, [0.5, 0.95, 0.99]);
      return { avg: avg(sum, count), p50: p50 ?? null, p95: p95 ?? null, p99: p99 ?? null };
    };
    return {
      requests,
      errors: s('errorCount'),
      errorRate: requests > 0 ? s('errorCount') / requests : 0,
      streamed: s('streamed'),
      autoRouted: s('autoRouted'),
      autoRoutedShare: requests > 0 ? s('autoRouted') / requests : 0,
      fallbacks: s('fallbacks'),
      inputTokens: s('inputTokens'),
      outputTokens: s('outputTokens'),
      cachedInputTokens: s('cachedInputTokens'),
      costUsd: fromE8(s('costE8')),
      baselineCostUsd: fromE8(s('baselineCostE8')),
      savedUsd: fromE8(s('savedE8')),
      latencyMs: stats(this.latency, s('latencyMsSum'), requests),
      overheadMs: stats(this.overhead, s('overheadMsSum'), requests),
      upstreamMsAvg: avg(s('upstreamMsSum'), requests),
      ttftMs: stats(this.ttft, s('ttftMsSum'), s('ttftCount')),
    };
  }
}
