import { type GatewayHttpError } from '../../../../core/http/gateway-http.error';
import { type UsageSource, UsageLedger } from '../../../limits/usage-ledger';
import { chatContext, tenantView } from '../../testing/gateway-fixtures';
import { BudgetStage } from './budget.stage';

function ledgerWith(costUsd: number, tokens = 0, requests = 0): UsageLedger {
  const today = new Date().toISOString().slice(0, 10);
  const source: UsageSource = {
    dailyTotals: () => Promise.resolve([{ day: today, totals: { costUsd, tokens, requests } }]),
  };
  return new UsageLedger(source);
}

async function run(
  stage: BudgetStage,
  ctx: ReturnType<typeof chatContext>,
): Promise<GatewayHttpError | undefined> {
  try {
    await stage.run(ctx);
    return undefined;
  } catch (error) {
    return error as GatewayHttpError;
  }
}

describe('BudgetStage', () => {
  it('skips tenants without budgets or quotas (no usage lookup)', () => {
    const ledger = ledgerWith(0);
    const spy = jest.spyOn(ledger, 'current');
    expect(
      new BudgetStage(ledger).run(chatContext({ model: 'm' }, { tenant: tenantView() })),
    ).toBeUndefined();
    expect(spy).not.toHaveBeenCalled();
  });

  it('hard-blocks a spent budget with 429 budget_exceeded and Retry-After until the period ends', async () => {
    const tenant = tenantView({
      budgets: { dailyUsd: 5, weeklyUsd: 0, monthlyUsd: 0, enforcement: 'hard_block' },
    });
    const error = await run(new BudgetStage(ledgerWith(5.01)), chatContext({ model: 'm' }, { tenant }));
    expect(error).toMatchObject({ status: 429, code: 'budget_exceeded' });
    expect(error?.message).toMatch(/daily budget of \$5\.00/);
    const retry = Number(error?.headers['retry-after']);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(86_400);
  });

  it('counts weekly and monthly budgets over their calendar period', async () => {
    const tenant = tenantView({
      budgets: { dailyUsd: 0, weeklyUsd: 0, monthlyUsd: 10, enforcement: 'hard_block' },
    });
    expect(
      await run(new BudgetStage(ledgerWith(9)), chatContext({ model: 'm' }, { tenant })),
    ).toBeUndefined();
    expect(
      (await run(new BudgetStage(ledgerWith(10)), chatContext({ model: 'm' }, { tenant })))?.message,
    ).toMatch(/monthly/);
  });

  it('soft warnings pass with a header', async () => {
    const tenant = tenantView({
      budgets: { dailyUsd: 1, weeklyUsd: 0, monthlyUsd: 0, enforcement: 'soft_warning' },
    });
    const ctx = chatContext({ model: 'm' }, { tenant });
    expect(await run(new BudgetStage(ledgerWith(2)), ctx)).toBeUndefined();
    expect(ctx.responseHeaders['x-prism-budget-warning']).toBe('daily budget exceeded');
  });

  it('quotas: tokens and requests per day or month', async () => {
    const tenant = tenantView({ quotas: [{ type: 'tokens_daily', limit: 1000, enforcement: 'hard_block' }] });
    expect(
      await run(new BudgetStage(ledgerWith(0, 999)), chatContext({ model: 'm' }, { tenant })),
    ).toBeUndefined();
    expect(
      await run(new BudgetStage(ledgerWith(0, 1000)), chatContext({ model: 'm' }, { tenant })),
    ).toMatchObject({
      code: 'quota_exceeded',
    });
  });

  it('the budget guard switches to economy and blocks tiers at its threshold', async () => {
    const tenant = tenantView({
      budgets: { dailyUsd: 10, weeklyUsd: 0, monthlyUsd: 0, enforcement: 'hard_block' },
      budgetGuard: { enabled: true, thresholdPct: 80, costMode: 'economy', blockedTiers: ['high'] },
    });
    const below = chatContext({ model: 'm' }, { tenant });
    await run(new BudgetStage(ledgerWith(7.9)), below);
    expect(below.costMode).toBeUndefined();
    const above = chatContext({ model: 'm' }, { tenant });
    await run(new BudgetStage(ledgerWith(8)), above);
    expect(above.costMode).toBe('economy');
    expect(above.blockedTiers).toEqual(['high']);
  });
});
