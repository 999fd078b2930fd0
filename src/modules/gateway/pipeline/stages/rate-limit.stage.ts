import type { LimitDecision, LimitRule, RateLimiter, RuleState } from '../../../limits/rate-limiter';
import type { RateLimit } from '../../../tenants/tenant.types';
import { GatewayErrors } from '../../gateway.errors';
import type { GatewayContext } from '../gateway-context';
import type { GatewayStage } from '../gateway-stage';

type RuleKind = 'requests' | 'tokens';

/**
 * Per-tenant and per-key requests/min and tokens/min (DESIGN.md §3 step 2). Requests are charged
 * on admission; tokens are checked here (refused once the minute's usage reached the limit) and
 * charged with the real count after the answer. 429 carries `Retry-After` and OpenAI's
 * `x-ratelimit-*` headers; admitted responses carry the headers too.
 */
export class RateLimitStage implements GatewayStage {
  readonly name = 'rate_limit';

  constructor(private readonly limiter: RateLimiter) {}

  run(ctx: GatewayContext): void | Promise<void> {
    const tenant = ctx.tenant;
    const key = ctx.key;
    // Playground requests have a tenant but no key: only the tenant's limit applies.
    if (!tenant) return;
    const rules: LimitRule[] = [];
    const kinds: RuleKind[] = [];
    const scopes: string[] = [];
    // One `{group}` per tenant, its keys' counters included: checked together in one Redis script.
    const group = `{t:${tenant.id}}`;
    addRules(tenant.rateLimit, group, 'tenant', rules, kinds, scopes);
    const keyLimit = key?.rateLimit;
    if (key && keyLimit) addRules(keyLimit, `${group}:k:${key.id}`, 'API key', rules, kinds, scopes);
    if (rules.length === 0) return;
    for (let i = 0; i < rules.length; i++)
      if (kinds[i] === 'tokens') ctx.tokenLimitKeys.push((rules[i] as LimitRule).key);
    const decision = this.limiter.consume(rules);
    if (decision instanceof Promise) return decision.then((d) => apply(ctx, d, kinds, scopes));
    apply(ctx, decision, kinds, scopes);
  }
}

function addRules(
  limit: Readonly<RateLimit>,
  prefix: string,
  scope: string,
  rules: LimitRule[],
  kinds: RuleKind[],
  scopes: string[],
): void {
  if (limit.requestsPerMinute > 0) {
    rules.push({ key: `${prefix}:rpm`, limit: limit.requestsPerMinute, cost: 1 });
    kinds.push('requests');
    scopes.push(scope);
  }
  if (limit.tokensPerMinute > 0) {
    rules.push({ key: `${prefix}:tpm`, limit: limit.tokensPerMinute, cost: 0 });
    kinds.push('tokens');
    scopes.push(scope);
  }
}

/** Header names per rule kind, built once (no string building per request). */
const HEADER_NAMES = (['requests', 'tokens'] as const).map((kind) => ({
  kind,
  limit: `x-ratelimit-limit-${kind}`,
  remaining: `x-ratelimit-remaining-${kind}`,
  reset: `x-ratelimit-reset-${kind}`,
}));

function apply(ctx: GatewayContext, decision: LimitDecision, kinds: RuleKind[], scopes: string[]): void {
  const headers = ctx.responseHeaders;
  const rules = decision.rules;
  for (const names of HEADER_NAMES) {
    let tightest: RuleState | undefined;
    for (let i = 0; i < rules.length; i++) {
      const state = rules[i] as RuleState;
      if (kinds[i] === names.kind && (!tightest || state.remaining < tightest.remaining)) tightest = state;
    }
    if (!tightest) continue;
    headers[names.limit] = String(tightest.limit);
    headers[names.remaining] = String(tightest.remaining);
    headers[names.reset] = `${Math.max(1, Math.ceil(tightest.resetMs / 1000))}s`;
  }
  if (decision.allowed) return;
  const index = decision.blockedIndex;
  const kind = kinds[index] ?? 'requests';
  const state = decision.rules[index];
  const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  throw GatewayErrors.rateLimited(
    `Rate limit reached: the ${scopes[index] ?? 'tenant'} limit of ${state?.limit ?? 0} ${kind} per minute is used up. ` +
      `Retry in ${retryAfter} s.`,
    { ...headers, 'retry-after': String(retryAfter) },
  );
}
