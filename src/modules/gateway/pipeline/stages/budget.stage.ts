import {
  type BudgetPeriod,
  calendarPeriods,
  type PeriodUsage,
  type UsageLedger,
} from '../../../limits/usage-ledger';
import type { Quota, TenantView } from '../../../tenants/tenant.types';
import { GatewayErrors } from '../../gateway.errors';
import type { GatewayContext } from '../gateway-context';
import type { GatewayStage } from '../gateway-stage';

const PERIOD_OF_QUOTA: Record<Quota['type'], { period: BudgetPeriod; metric: 'tokens' | 'requests' }> = {
  tokens_daily: { period: 'day', metric: 'tokens' },
  tokens_monthly: { period: 'month', metric: 'tokens' },
  requests_daily: { period: 'day', metric: 'requests' },
  requests_monthly: { period: 'month', metric: 'requests' },
};
const BUDGET_FIELD: Record<BudgetPeriod, 'dailyUsd' | 'weeklyUsd' | 'monthlyUsd'> = {
  day: 'dailyUsd',
  week: 'weeklyUsd',
  month: 'monthlyUsd',
};
const PERIOD_NAME: Record<BudgetPeriod, string> = { day: 'daily', week: 'weekly', month: 'monthly' };

/**
 * Budgets (USD per UTC day, ISO week, month) and token/request quotas (DESIGN.md §3 step 3).
 * `hard_block` answers 429 `budget_exceeded`/`quota_exceeded` with Retry-After until the period
 * ends; `soft_warning` lets the request through with an `x-prism-budget-warning` header. The budget
 * guard, at its threshold, makes routing economise and refuses the blocked tiers later on.
 */
export class BudgetStage implements GatewayStage {
  readonly name = 'budget';

  constructor(private readonly ledger: UsageLedger) {}

  run(ctx: GatewayContext): void | Promise<void> {
    const tenant = ctx.tenant;
    if (!tenant || !hasLimits(tenant)) return;
    const usage = this.ledger.current(tenant.id, ctx.receivedAt);
    if (usage instanceof Promise) return usage.then((u) => enforce(ctx, tenant, u));
    enforce(ctx, tenant, usage);
  }
}

function hasLimits(tenant: TenantView): boolean {
  const b = tenant.budgets;
  return b.dailyUsd > 0 || b.weeklyUsd > 0 || b.monthlyUsd > 0 || tenant.quotas.some((q) => q.limit > 0);
}

function enforce(ctx: GatewayContext, tenant: TenantView, usage: PeriodUsage): void {
  const periods = calendarPeriods(ctx.receivedAt);
  const warnings: string[] = [];
  const guard = tenant.budgetGuard;
  for (const period of ['day', 'week', 'month'] as const) {
    const limit = tenant.budgets[BUDGET_FIELD[period]];
    if (!(limit > 0)) continue;
    const spent = usage[period].costUsd;
    if (spent >= limit) {
      const message =
        `The ${PERIOD_NAME[period]} budget of $${limit.toFixed(2)} for this tenant is used up ` +
        `($${spent.toFixed(4)} spent). It resets at ${periods.ends[period].toISOString()}.`;
      if (tenant.budgets.enforcement === 'hard_block') {
        throw GatewayErrors.budgetExceeded(message, {
          ...ctx.responseHeaders,
          'retry-after': String(secondsUntil(periods.ends[period], ctx.receivedAt)),
        });
      }
      warnings.push(`${PERIOD_NAME[period]} budget exceeded`);
    } else if (guard.enabled && spent >= (limit * guard.thresholdPct) / 100) {
      ctx.costMode = guard.costMode;
      ctx.blockedTiers = guard.blockedTiers;
      warnings.push(
        `${PERIOD_NAME[period]} budget at ${Math.floor((spent / limit) * 100)}%: budget guard active`,
      );
    }
  }
  for (const quota of tenant.quotas) {
    if (!(quota.limit > 0)) continue;
    const { period, metric } = PERIOD_OF_QUOTA[quota.type];
    const used = usage[period][metric];
    if (used < quota.limit) continue;
    const message =
      `The ${PERIOD_NAME[period]} ${metric} quota of ${quota.limit} for this tenant is used up (${Math.round(used)} used). ` +
      `It resets at ${periods.ends[period].toISOString()}.`;
    if (quota.enforcement === 'hard_block') {
      throw GatewayErrors.quotaExceeded(message, {
        ...ctx.responseHeaders,
        'retry-after': String(secondsUntil(periods.ends[period], ctx.receivedAt)),
      });
    }
    warnings.push(`${PERIOD_NAME[period]} ${metric} quota exceeded`);
  }
  if (warnings.length > 0) {
    ctx.responseHeaders['x-prism-budget-warning'] = warnings.join('; ');
    ctx.notes.push(...warnings);
  }
}

function secondsUntil(end: Date, now: Date): number {
  return Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 1000));
}
