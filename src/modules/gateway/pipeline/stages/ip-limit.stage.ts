import { type LimitDecision, type RateLimiter } from '../../../limits/rate-limiter';
import { GatewayErrors } from '../../gateway.errors';
import type { GatewayContext } from '../gateway-context';
import type { GatewayStage } from '../gateway-stage';

/** Outer guard against one address flooding the pod, before any key work (DESIGN.md §3 step 2). */
export class IpLimitStage implements GatewayStage {
  readonly name = 'ip_limit';

  constructor(
    private readonly limiter: RateLimiter,
    private readonly requestsPerMinute: () => number,
  ) {}

  run(ctx: GatewayContext): void | Promise<void> {
    const limit = this.requestsPerMinute();
    if (limit <= 0) return;
    const decision = this.limiter.consume([{ key: `ip:${ctx.clientIp}`, limit, cost: 1 }]);
    if (decision instanceof Promise) return decision.then(check);
    check(decision);
  }
}

function check(decision: LimitDecision): void {
  if (!decision.allowed) {
    throw GatewayErrors.ipRateLimited({
      'retry-after': String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))),
    });
  }
}
