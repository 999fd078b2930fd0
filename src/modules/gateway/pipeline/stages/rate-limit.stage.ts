import type { LimitDecision, LimitRule, RateLimiter, RuleState } from '../../../limits/rate-limiter';
import type { ApiKeyView, RateLimit, TenantView } from '../../../tenants/tenant.types';
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

  private readonly plans = new LimitPlans();

  constructor(private readonly limiter: RateLimiter) {}

  run(ctx: GatewayContext): void | Promise<void> {
    const tenant = ctx.tenant;
    // Playground requests have a tenant but no key: only the tenant's limit applies.
    if (!tenant) return;
    const plan = this.plans.for(tenant, ctx.key);
    if (plan.rules.length === 0) return;
    for (const key of plan.tokenKeys) ctx.tokenLimitKeys.push(key);
    const decision = this.limiter.consume(plan.rules);
    if (decision instanceof Promise) return decision.then((d) => apply(ctx, d, plan));
    apply(ctx, decision, plan);
  }
}

/** The rules of one tenant (and key), with what the headers and errors need to name them. */
interface LimitPlan {
  readonly rules: readonly LimitRule[];
  readonly kinds: readonly RuleKind[];
  readonly scopes: readonly string[];
  readonly tokenKeys: readonly string[];
  /** Each rule's limit as header text. */
  readonly limitTexts: readonly string[];
  /** What the plan was built from (a changed tenant or key gets a new plan). */
  readonly tenantId: string;
  readonly tenantLimit: Readonly<RateLimit>;
  readonly keyLimit: Readonly<RateLimit> | undefined;
}

/**
 * Plans per tenant view (and per key view for keys with their own limit), built once instead of
 * per request (rule objects, counter names, arrays). Views are replaced when the configuration
 * changes; a plan is also rebuilt whenever its limits differ from the view's, so a request is never
 * judged by old limits.
 */
class LimitPlans {
  private readonly byTenant = new WeakMap<TenantView, LimitPlan>();
  private readonly byKey = new WeakMap<ApiKeyView, LimitPlan>();

  for(tenant: TenantView, key: ApiKeyView | undefined): LimitPlan {
    const keyLimit = key?.rateLimit ?? undefined;
    const cached = key && keyLimit ? this.byKey.get(key) : this.byTenant.get(tenant);
    if (
      cached &&
      cached.tenantId === tenant.id &&
      sameLimit(cached.tenantLimit, tenant.rateLimit) &&
      sameLimit(cached.keyLimit, keyLimit)
    )
      return cached;
    const plan = buildPlan(tenant, key, keyLimit);
    if (key && keyLimit) this.byKey.set(key, plan);
    else this.byTenant.set(tenant, plan);
    return plan;
  }
}

function sameLimit(a: Readonly<RateLimit> | undefined, b: Readonly<RateLimit> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.requestsPerMinute === b.requestsPerMinute && a.tokensPerMinute === b.tokensPerMinute;
}

function buildPlan(
  tenant: TenantView,
  key: ApiKeyView | undefined,
  keyLimit: Readonly<RateLimit> | undefined,
): LimitPlan {
  const rules: LimitRule[] = [];
  const kinds: RuleKind[] = [];
  const scopes: string[] = [];
  // One `{group}` per tenant, its keys' counters included: checked together in one Redis script.
  const group = `{t:${tenant.id}}`;
  addRules(tenant.rateLimit, group, 'tenant', rules, kinds, scopes);
  if (key && keyLimit) addRules(keyLimit, `${group}:k:${key.id}`, 'API key', rules, kinds, scopes);
  return {
    rules,
    kinds,
    scopes,
    tokenKeys: rules.filter((_, i) => kinds[i] === 'tokens').map((rule) => rule.key),
    tenantId: tenant.id,
    limitTexts: rules.map((rule) => String(rule.limit)),
    tenantLimit: { ...tenant.rateLimit },
    keyLimit: keyLimit ? { ...keyLimit } : undefined,
  };
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

/** `x-ratelimit-reset-*` values for 0–60 s (a window is a minute), so none is built per request. */
const RESET_TEXT = Array.from({ length: 61 }, (_, seconds) => `${Math.max(1, seconds)}s`);

function resetText(resetMs: number): string {
  const seconds = Math.ceil(resetMs / 1000);
  return RESET_TEXT[seconds] ?? `${Math.max(1, seconds)}s`;
}

/** Index of the rule of `kind` with the least remaining (the first on a tie), or -1. */
function tightestOf(kind: RuleKind, kinds: readonly RuleKind[], rules: readonly RuleState[]): number {
  let tightest = -1;
  for (let i = 0; i < rules.length; i++) {
    if (kinds[i] !== kind) continue;
    if (tightest < 0 || (rules[i] as RuleState).remaining < (rules[tightest] as RuleState).remaining)
      tightest = i;
  }
  return tightest;
}

function apply(ctx: GatewayContext, decision: LimitDecision, plan: LimitPlan): void {
  const { kinds, scopes } = plan;
  const headers = ctx.responseHeaders;
  const rules = decision.rules;
  // Stores with constant names (a store whose name varies per call goes through V8's slow path).
  const requests = tightestOf('requests', kinds, rules);
  if (requests >= 0) {
    const state = rules[requests] as RuleState;
    headers['x-ratelimit-limit-requests'] = plan.limitTexts[requests] as string;
    headers['x-ratelimit-remaining-requests'] = String(state.remaining);
    headers['x-ratelimit-reset-requests'] = resetText(state.resetMs);
  }
  const tokens = tightestOf('tokens', kinds, rules);
  if (tokens >= 0) {
    const state = rules[tokens] as RuleState;
    headers['x-ratelimit-limit-tokens'] = plan.limitTexts[tokens] as string;
    headers['x-ratelimit-remaining-tokens'] = String(state.remaining);
    headers['x-ratelimit-reset-tokens'] = resetText(state.resetMs);
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
