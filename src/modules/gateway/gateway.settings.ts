import { Injectable } from '@nestjs/common';

import { type BreakerSettings, DEFAULT_BREAKER_SETTINGS } from './dispatch/circuit-breaker';
import { DEFAULT_RETRY_SETTINGS, type RetrySettings } from './dispatch/backoff';

/**
 * Pod-wide gateway knobs. Defaults suit production; tests and the benchmark adjust them on the
 * instance (`app.get(GatewaySettings)`) before traffic starts.
 */
@Injectable()
export class GatewaySettings {
  /** Outer per-client-IP limit (X-Forwarded-For aware); 0 = off. */
  ipRequestsPerMinute = 6_000;
  /** Requests handled at once by this pod; more are answered 503 `overloaded` at once. */
  maxInFlight = 4_096;
  retry: RetrySettings = { ...DEFAULT_RETRY_SETTINGS };
  breaker: BreakerSettings = { ...DEFAULT_BREAKER_SETTINGS };
  /** On shutdown, how long running requests (streams) may take to finish. */
  drainTimeoutMs = 25_000;
  /** Refresh interval of persisted budget/quota usage. */
  usageRefreshMs = 10_000;
}
