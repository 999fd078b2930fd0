import type { ModelPricing, ModelView } from '../../providers/provider.types';
import type { TenantView } from '../../tenants/tenant.types';

/** `cost_info` as returned to the client and stored in analytics (the same numbers everywhere). */
export interface CostInfo {
  model: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  baseline_model: string;
  baseline_cost_usd: number;
  /** baseline − actual; negative when the request cost more than the baseline would have. */
  saved_usd: number;
}

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

export interface CostInput {
  tenant: TenantView | undefined;
  /** The model row that answered. */
  routed: ModelView;
  inputTokens: number;
  outputTokens: number;
  /** Baseline model id and its row (undefined when its price is unknown: baseline = actual). */
  baselineModel: string;
  baseline: ModelView | undefined;
  /** Additional cost of routing (LLM classifier). */
  extraUsd?: number;
}

export function computeCost(input: CostInput): CostInfo {
  const cost = roundUsd(
    costOf(priceOf(input.tenant, input.routed), input.inputTokens, input.outputTokens) +
      (input.extraUsd ?? 0),
  );
  const baselineCost = input.baseline
    ? costOf(priceOf(input.tenant, input.baseline), input.inputTokens, input.outputTokens)
    : cost;
  return {
    model: input.routed.modelId,
    input_tokens: input.inputTokens,
    output_tokens: input.outputTokens,
    cost_usd: cost,
    baseline_model: input.baselineModel,
    baseline_cost_usd: baselineCost,
    saved_usd: roundUsd(baselineCost - cost),
  };
}
