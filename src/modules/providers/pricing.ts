/**
 * Prices of a model row for a tenant. Shared by the gateway's cost_info and the routing module's
 * LLM-classifier cost, so a classifier call is priced exactly like client traffic.
 */
import type { TenantView } from '../tenants/tenant.types';
import type { ModelPricing, ModelView } from './provider.types';

export interface Price {
  inputPer1M: number;
  outputPer1M: number;
  /** Input tokens read from the provider's prompt cache; null = priced as input. */
  cachedInputPer1M?: number | null;
}

/** Tenant price overrides by model id or `provider/model` (optional until tenants carry them). */
type TenantPricing = Readonly<Record<string, Partial<Price>>>;

/** USD with 8 decimals: far below a cent, and free of float noise when summed in rollups. */
export function roundUsd(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}

/** The tenant's override for the model, else the registry price of that model row. */
export function priceOf(
  tenant: TenantView | undefined,
  model: Pick<ModelView, 'modelId' | 'prefixedId'> & { pricing: ModelPricing },
): Price {
  const overrides = (tenant as { pricing?: TenantPricing } | undefined)?.pricing;
  const override = overrides?.[model.prefixedId] ?? overrides?.[model.modelId];
  // An overridden input price without a cached one: cache reads cost the overridden input price.
  const cached =
    override?.cachedInputPer1M ??
    (override?.inputPer1M !== undefined ? null : model.pricing.cachedInputPer1M);
  return {
    inputPer1M: override?.inputPer1M ?? model.pricing.inputPer1M,
    outputPer1M: override?.outputPer1M ?? model.pricing.outputPer1M,
    ...(cached !== null && cached !== undefined ? { cachedInputPer1M: cached } : {}),
  };
}

/**
 * USD of a request. `cachedInputTokens` (part of `inputTokens`, read from the provider's prompt
 * cache) are priced at the model's cached-input price when it has one, else as input.
 */
export function costOf(
  price: Price,
  inputTokens: number,
  outputTokens: number,
  cachedInputTokens = 0,
): number {
  const cached = Math.min(Math.max(0, cachedInputTokens), inputTokens);
  const cachedPer1M = price.cachedInputPer1M ?? price.inputPer1M;
  return roundUsd(
    ((inputTokens - cached) * price.inputPer1M + cached * cachedPer1M + outputTokens * price.outputPer1M) /
      1_000_000,
  );
}
