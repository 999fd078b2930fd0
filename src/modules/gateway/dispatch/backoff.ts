export interface RetrySettings {
  /** Extra rounds over the targets after the first (0 = try each target once). */
  maxRetries: number;
  /** First backoff; doubles each round. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the next target is tried instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_SETTINGS: RetrySettings = {
  maxRetries: 2,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 10_000,
};

/**
 * Delay before retry round `round` (1-based): exponential with ±50 % jitter so that many clients
 * do not retry in lock step, and never shorter than what the upstream asked for in Retry-After.
 * Undefined when the upstream asked for a wait longer than we are willing to hold a request.
 */
export function backoffDelayMs(
  round: number,
  settings: RetrySettings,
  retryAfterSeconds?: number,
  random: () => number = Math.random,
): number | undefined {
  const exponential = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, round - 1));
  const jittered = Math.round(exponential * (0.5 + random()));
  if (retryAfterSeconds === undefined) return jittered;
  const asked = Math.ceil(retryAfterSeconds * 1000);
  if (asked > settings.maxRetryAfterMs) return undefined;
  return Math.max(asked, jittered);
}
