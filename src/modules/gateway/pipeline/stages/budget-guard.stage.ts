import { GatewayErrors } from '../../gateway.errors';
import type { GatewayContext } from '../gateway-context';
import type { GatewayStage } from '../gateway-stage';

/** With the budget guard active, a request that ends on a blocked tier is refused (DESIGN.md §3 step 3). */
export class BudgetGuardStage implements GatewayStage {
  readonly name = 'budget_guard';

  run(ctx: GatewayContext): void {
    const blocked = ctx.blockedTiers;
    const tier = ctx.primary?.tier;
    if (!blocked || blocked.length === 0 || !tier || !blocked.includes(tier)) return;
    throw GatewayErrors.budgetGuardTier(
      `The tenant's budget is nearly used up, so '${tier}' tier models such as '${ctx.primary?.modelId ?? ''}' are ` +
        'blocked until the period resets. Use a cheaper model or "auto".',
      { ...ctx.responseHeaders },
    );
  }
}
