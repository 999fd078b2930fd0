import { bucketOf, type Histogram, mergeHistogram, percentile } from './latency-histogram';

function histogramOf(values: number[]): Histogram {
  const h: Histogram = {};
  for (const v of values) h[`b${bucketOf(v)}`] = (h[`b${bucketOf(v)}`] ?? 0) + 1;
  return h;
}

function exact(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

describe('latency histogram', () => {
  it('puts values into increasing buckets with fixed bounds', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(0.05)).toBe(0);
    expect(bucketOf(0.055)).toBe(1);
    expect(bucketOf(1)).toBeLessThan(bucketOf(2));
    expect(bucketOf(1e12)).toBe(119);
  });

  it('reads percentiles within 10 % of the exact ones, from merged histograms', () => {
    const a = Array.from({ length: 5000 }, (_, i) => 0.2 + (i % 97) * 0.03);
    const b = Array.from({ length: 5000 }, (_, i) => 50 + ((i * 7919) % 1000) * 1.7);
    const merged = mergeHistogram(mergeHistogram({}, histogramOf(a)), histogramOf(b));
    const all = [...a, ...b];
    for (const q of [0.5, 0.95, 0.99, 0.25]) {
      const estimate = percentile(merged, q)!;
      expect(Math.abs(estimate - exact(all, q)) / exact(all, q)).toBeLessThan(0.1);
    }
  });

  it('answers null for an empty histogram and ignores foreign fields', () => {
    expect(percentile({}, 0.5)).toBeNull();
    expect(percentile({ x: 3 }, 0.5)).toBeNull();
  });
});
