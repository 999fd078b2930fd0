import { Gauge, type Metric, register } from 'prom-client';

import { FastCounter } from './fast-counter';
import { FastHistogram } from './fast-histogram';

// Several app instances may live in one process (tests boot many); metrics are process-wide, so
// every module asks here instead of constructing metrics and tripping "already registered".

/**
 * Counters are {@link FastCounter}s (same `/metrics` output as prom-client's, no label hashing per
 * increment), registered in prom-client's default registry.
 */
export function getOrCreateCounter<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
): FastCounter<L> {
  const existing = register.getSingleMetric(name) as unknown;
  if (existing instanceof FastCounter) return existing as FastCounter<L>;
  const counter = new FastCounter<L>(name, help, labelNames);
  register.registerMetric(counter as unknown as Metric);
  return counter;
}

export function getOrCreateGauge<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
): Gauge<L> {
  return (register.getSingleMetric(name) as Gauge<L> | undefined) ?? new Gauge({ name, help, labelNames });
}

/**
 * Histograms are {@link FastHistogram}s (same `/metrics` output as prom-client's, no label hashing
 * per observation), registered in prom-client's default registry.
 */
export function getOrCreateHistogram<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  buckets: number[],
): FastHistogram<L> {
  const existing = register.getSingleMetric(name) as unknown;
  if (existing instanceof FastHistogram) return existing as FastHistogram<L>;
  const histogram = new FastHistogram<L>(name, help, labelNames, buckets);
  register.registerMetric(histogram as unknown as Metric);
  return histogram;
}
