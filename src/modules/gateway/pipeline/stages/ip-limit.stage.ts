import { type LimitDecision, type LimitRule, type RateLimiter } from '../../../limits/rate-limiter';
import { GatewayErrors } from '../../gateway.errors';
import type { GatewayContext } from '../gateway-context';
import type { GatewayStage } from '../gateway-stage';

const MAX_CACHED_ADDRESSES = 10_000;

/** Outer guard against one address flooding the pod, before any key work (DESIGN.md §3 step 2). */
export class IpLimitStage implements GatewayStage {
  readonly name = 'ip_limit';

  /**
   * The rule of each recent address, reused while its limit stays: the limiter then looks up the
   * same counter name (its hash kept by V8) instead of a string built per request. Bounded: an
   * address flood only empties it.
   */
  private readonly rules = new Map<string, readonly LimitRule[]>();

  constructor(
    private readonly limiter: RateLimiter,
    private readonly requestsPerMinute: () => number,
  ) {}

  private rulesFor(ip: string, limit: number): readonly LimitRule[] {
    const cached = this.rules.get(ip);
    if (cached && cached[0]?.limit === limit) return cached;
    if (this.rules.size >= MAX_CACHED_ADDRESSES) this.rules.clear();
    const rules = [{ key: `ip:${ip}`, limit, cost: 1 }];
    this.rules.set(ip, rules);
    return rules;
  }

  run(ctx: GatewayContext): void | Promise<void> {
    const limit = this.requestsPerMinute();
    if (limit <= 0) return;
    const decision = this.limiter.consume(this.rulesFor(ctx.clientIp, limit));
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
