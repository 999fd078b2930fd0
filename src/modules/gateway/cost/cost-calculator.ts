import { costOf, priceOf, roundUsd } from '../../providers/pricing';
import type { ModelView } from '../../providers/provider.types';
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

export { costOf, priceOf, roundUsd, type Price } from '../../providers/pricing';

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
