import { Injectable } from '@nestjs/common';

import type { RuntimeSettings } from '../../core/config';
import { RuntimeSettingsService } from '../system/settings/runtime-settings.service';
import type { RetrySettings } from './dispatch/backoff';
import type { BreakerSettings } from './dispatch/circuit-breaker';

/**
 * Pod-wide gateway knobs, kept equal to the cluster-wide runtime settings (environment defaults,
 * admin overrides; see RuntimeSettingsService): copied into plain fields on every change, so the
 * hot path reads a field, never a lookup. Tests and the benchmark may still assign a field on the
 * instance (`app.get(GatewaySettings)`) before traffic starts; the next settings change wins.
 */
@Injectable()
export class GatewaySettings {
  /** Outer per-client-IP limit (X-Forwarded-For aware); 0 = off. */
  ipRequestsPerMinute!: number;
  /** Requests handled at once by this pod; more are answered 503 `overloaded` at once. */
  maxInFlight!: number;
  retry!: RetrySettings;
  breaker!: BreakerSettings;
  /** On shutdown, how long running requests (streams) may take to finish. */
  drainTimeoutMs!: number;
  /** Refresh interval of persisted budget/quota usage. */
  usageRefreshMs = 10_000;

  constructor(runtime: RuntimeSettingsService) {
    this.apply(runtime.current);
    runtime.onChange((settings) => this.apply(settings));
  }

  private apply(s: Readonly<RuntimeSettings>): void {
    this.ipRequestsPerMinute = s.gatewayIpRequestsPerMinute;
    this.maxInFlight = s.gatewayMaxInFlight;
    this.retry = {
      maxRetries: s.gatewayRetryMaxRetries,
      baseDelayMs: s.gatewayRetryBaseDelayMs,
      maxDelayMs: s.gatewayRetryMaxDelayMs,
      maxRetryAfterMs: s.gatewayRetryMaxRetryAfterMs,
    };
    this.breaker = {
      failureThreshold: s.gatewayBreakerFailureThreshold,
      windowMs: s.gatewayBreakerWindowMs,
      cooldownMs: s.gatewayBreakerCooldownMs,
      halfOpenProbes: s.gatewayBreakerHalfOpenProbes,
    };
    this.drainTimeoutMs = s.gatewayDrainTimeoutMs;
  }
}
