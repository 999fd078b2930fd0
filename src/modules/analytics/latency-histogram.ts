/**
 * Mergeable latency histograms for the usage rollups: log-spaced buckets with fixed bounds, so
 * the histograms of any set of rollup rows add up bucket by bucket and percentiles of any range
 * come from the rollups, never from the request log. Bucket `i` holds values in
 * (BASE·R^(i−1), BASE·R^i] (bucket 0: ≤ BASE). With R = 2^¼ a percentile read from the buckets is
 * within ±9.5 % of the exact one (geometric interpolation inside the bucket).
 */
const BASE_MS = 0.05;
const RATIO = 2 ** 0.25;
const LOG_RATIO = Math.log(RATIO);
/** 0.05 ms · 2^(119/4) ≈ 55 min: anything longer lands in the last bucket. */
export const MAX_BUCKET = 119;

/** Sparse bucket counts, keyed `b<index>` (object keys, never array positions: `$inc` creates them). */
export type Histogram = Record<string, number>;

export function bucketOf(ms: number): number {
  if (!(ms > BASE_MS)) return 0;
  return Math.min(MAX_BUCKET, Math.ceil(Math.log(ms / BASE_MS) / LOG_RATIO - 1e-9));
}

export function bucketField(ms: number): string {
  return `b${bucketOf(ms)}`;
}

function upperBound(index: number): number {
  return BASE_MS * RATIO ** index;
}

/** Adds `source` into `target` (modified) and returns it. */
export function mergeHistogram(target: Histogram, source: Histogram | undefined | null): Histogram {
  if (!source) return target;
  for (const name in source) {
    const count = source[name];
    if (typeof count === 'number' && count !== 0) target[name] = (target[name] ?? 0) + count;
  }
  return target;
}

export function histogramCount(histogram: Histogram): number {
  let total = 0;
  for (const name in histogram) total += histogram[name] ?? 0;
  return total;
}

/** The `q` quantile (0..1) in ms, or null for an empty histogram. Rounded to 0.01 ms. */
export function percentile(histogram: Histogram, q: number): number | null {
  return percentiles(histogram, [q])[0]!;
}

/** Several quantiles of one histogram (its buckets sorted once): the dashboard asks for p50, p95, p99. */
export function percentiles(histogram: Histogram, qs: readonly number[]): (number | null)[] {
  const buckets: [number, number][] = [];
  let total = 0;
  for (const name in histogram) {
    const count = histogram[name]!;
    if (!(count > 0) || !/^b\d+$/.test(name)) continue;
    buckets.push([Number(name.slice(1)), count]);
    total += count;
  }
  if (total === 0) return qs.map(() => null);
  buckets.sort((a, b) => a[0] - b[0]);
  return qs.map((q) => {
    const rank = Math.min(Math.max(q, 0), 1) * total;
    let seen = 0;
    for (const [index, count] of buckets) {
      if (seen + count >= rank) {
        const fraction = Math.max(0, rank - seen) / count;
        const upper = upperBound(index);
        const value = index === 0 ? upper * fraction : upperBound(index - 1) * RATIO ** fraction;
        return Math.round(value * 100) / 100;
      }
      seen += count;
    }
    return Math.round(upperBound(buckets[buckets.length - 1]![0]) * 100) / 100;
  });
}
