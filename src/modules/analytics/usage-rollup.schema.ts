/**
 * What the usage rollups count (docs/analytics.md, "Rollup grain"); how they are stored:
 * rollup-buckets.ts.
 */

export const ROLLUP_GRAINS = ['hour', 'day'] as const;
export type RollupGrain = (typeof ROLLUP_GRAINS)[number];

/**
 * What one rollup row is about besides period and tenant: `all` is the tenant's total; the others
 * split it by one attribute of the request (the key '' collects requests without that attribute,
 * so every dimension adds up to `all`).
 */
export const ROLLUP_DIMENSIONS = [
  'all',
  'model',
  'provider',
  'category',
  'tier',
  'user',
  'key',
  'errorType',
] as const;
export type RollupDimension = (typeof ROLLUP_DIMENSIONS)[number];

/** Counters every rollup row carries; incremented with `$inc` upserts. Money in 1e-8 USD (integers add exactly). */
export const ROLLUP_COUNTERS = [
  'requests',
  'errorCount',
  'streamed',
  'autoRouted',
  'fallbacks',
  'inputTokens',
  'outputTokens',
  'cachedInputTokens',
  'costE8',
  'baselineCostE8',
  'savedE8',
  'latencyMsSum',
  'overheadMsSum',
  'upstreamMsSum',
  'ttftMsSum',
  'ttftCount',
] as const;
export type RollupCounter = (typeof ROLLUP_COUNTERS)[number];

/** Latency histograms (see latency-histogram.ts): total, gateway overhead, time to first token. */
export const ROLLUP_HISTOGRAMS = ['hLatency', 'hOverhead', 'hTtft'] as const;
export type RollupHistogram = (typeof ROLLUP_HISTOGRAMS)[number];
