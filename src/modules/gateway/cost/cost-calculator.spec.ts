import { modelView, tenantView } from '../testing/gateway-fixtures';
import { computeCost, costInfoJson, costOf, priceOf, roundUsd } from './cost-calculator';

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

  it('prices prompt-cache reads at the cached price when the model has one, else as input', () => {
    const cachedPrice = modelView('cached', {
      pricing: { inputPer1M: 2, outputPer1M: 8, cachedInputPer1M: 0.5 },
    });
    const info = computeCost({
      tenant: undefined,
      routed: cachedPrice,
      inputTokens: 1e6,
      outputTokens: 0,
      cachedInputTokens: 400_000,
      baselineModel: 'pricey',
      baseline: pricey,
    });
    // 600k × $2 + 400k × $0.5; the baseline has no cached price, so its cache reads cost input.
    expect(info).toMatchObject({ cost_usd: 1.4, cached_input_tokens: 400_000, baseline_cost_usd: 2.5 });
    expect(costOf({ inputPer1M: 1, outputPer1M: 1 }, 1e6, 0, 5e5)).toBe(1);
    // More cache reads than input tokens (a provider bug) never makes the cost negative.
    expect(costOf({ inputPer1M: 1, outputPer1M: 1, cachedInputPer1M: 0.1 }, 10, 0, 50)).toBe(0.000001);
    const plain = computeCost({
      tenant: undefined,
      routed: cheap,
      inputTokens: 10,
      outputTokens: 1,
      baselineModel: 'cheap',
      baseline: cheap,
    });
    expect(plain).not.toHaveProperty('cached_input_tokens');
  });

  it('keeps the cached price under a tenant override only when the override names one', () => {
    const cachedPrice = modelView('cached', {
      pricing: { inputPer1M: 2, outputPer1M: 8, cachedInputPer1M: 0.5 },
    });
    expect(priceOf(tenantView(), cachedPrice)).toEqual({
      inputPer1M: 2,
      outputPer1M: 8,
      cachedInputPer1M: 0.5,
    });
    const input = { ...tenantView(), pricing: { cached: { inputPer1M: 1 } } };
    expect(priceOf(input, cachedPrice)).toEqual({ inputPer1M: 1, outputPer1M: 8 });
    const both = { ...tenantView(), pricing: { cached: { inputPer1M: 1, cachedInputPer1M: 0.2 } } };
    expect(priceOf(both, cachedPrice)).toEqual({ inputPer1M: 1, outputPer1M: 8, cachedInputPer1M: 0.2 });
  });

  it('writes cost_info as JSON.stringify does, with and without cache reads, for any model id', () => {
    const cached = modelView('cached "model" é ✓ \\ \u0001', {
      pricing: { inputPer1M: 3, outputPer1M: 15, cachedInputPer1M: 0.3 },
    });
    for (const [routed, baseline] of [
      [cheap, pricey],
      [pricey, cheap],
      [cached, undefined],
    ] as const) {
      for (const cachedInputTokens of [undefined, 0, 700]) {
        for (const [inputTokens, outputTokens] of [
          [0, 0],
          [1, 3],
          [1000, 17],
          [123_456_789, 9_876_543],
        ] as const) {
          const info = computeCost({
            tenant: undefined,
            routed,
            inputTokens,
            outputTokens,
            cachedInputTokens,
            baselineModel: baseline?.modelId ?? 'gone',
            baseline,
            extraUsd: inputTokens === 1 ? 0.0000001 : undefined,
          });
          expect(costInfoJson(info)).toBe(JSON.stringify(info));
        }
      }
    }
    const odd = {
      ...computeCost({
        tenant: undefined,
        routed: cheap,
        inputTokens: 1,
        outputTokens: 1,
        baselineModel: 'x',
        baseline: undefined,
      }),
      cost_usd: Number.NaN,
      saved_usd: -0,
    };
    expect(costInfoJson(odd)).toBe(JSON.stringify(odd));
  });
});
