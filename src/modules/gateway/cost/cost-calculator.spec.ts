import { modelView, tenantView } from '../testing/gateway-fixtures';
import { computeCost, costOf, priceOf, roundUsd } from './cost-calculator';

describe('cost', () => {
  const cheap = modelView('cheap', {
    pricing: { inputPer1M: 0.15, outputPer1M: 0.6, cachedInputPer1M: null },
  });
  const pricey = modelView('pricey', {
    pricing: { inputPer1M: 2.5, outputPer1M: 10, cachedInputPer1M: null },
  });

  it('prices tokens per million with 8-decimal rounding', () => {
    expect(costOf({ inputPer1M: 0.15, outputPer1M: 0.6 }, 1000, 500)).toBe(0.00045);
    expect(roundUsd(0.1 + 0.2)).toBe(0.3);
  });

  it('uses the tenant override before the registry price', () => {
    const tenant = { ...tenantView(), pricing: { cheap: { inputPer1M: 1 } } };
    expect(priceOf(tenant, cheap)).toEqual({ inputPer1M: 1, outputPer1M: 0.6 });
    expect(priceOf(tenantView(), cheap)).toEqual({ inputPer1M: 0.15, outputPer1M: 0.6 });
  });

  it('reports savings against the baseline, negative when the request cost more', () => {
    const saved = computeCost({
      tenant: undefined,
      routed: cheap,
      inputTokens: 1e6,
      outputTokens: 0,
      baselineModel: 'pricey',
      baseline: pricey,
    });
    expect(saved).toMatchObject({
      cost_usd: 0.15,
      baseline_cost_usd: 2.5,
      saved_usd: 2.35,
      baseline_model: 'pricey',
    });
    const worse = computeCost({
      tenant: undefined,
      routed: pricey,
      inputTokens: 1e6,
      outputTokens: 0,
      baselineModel: 'cheap',
      baseline: cheap,
    });
    expect(worse.saved_usd).toBe(-2.35);
    const unknown = computeCost({
      tenant: undefined,
      routed: cheap,
      inputTokens: 10,
      outputTokens: 10,
      baselineModel: 'gone',
      baseline: undefined,
    });
    expect(unknown.saved_usd).toBe(0);
  });

  it('adds routing cost to the actual cost', () => {
    const info = computeCost({
      tenant: undefined,
      routed: cheap,
      inputTokens: 0,
      outputTokens: 0,
      baselineModel: 'cheap',
      baseline: cheap,
      extraUsd: 0.001,
    });
    expect(info.cost_usd).toBe(0.001);
    expect(info.saved_usd).toBe(-0.001);
  });
});
