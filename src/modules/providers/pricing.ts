/**
 * Prices of a model row for a tenant. Shared by the gateway's cost_info and the routing module's
 * LLM-classifier cost, so a classifier call is priced exactly like client traffic.
 */
import type { TenantView } from '../tenants/tenant.types';
import type { ModelPricing, ModelView } from './provider.types';

export interface Price {
  inputPer1M: number;
  outputPer1M: number;
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
  return {
    inputPer1M: override?.inputPer1M ?? model.pricing.inputPer1M,
    outputPer1M: override?.outputPer1M ?? model.pricing.outputPer1M,
  };
}

export function costOf(price: Price, inputTokens: number, outputTokens: number): number {
  return roundUsd((inputTokens * price.inputPer1M + outputTokens * price.outputPer1M) / 1_000_000);
}
