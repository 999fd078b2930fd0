import { type Tier, TIERS } from '../../../../common/tiers';
import type { ModelCandidate } from '../routing.types';

/**
 * Test models: one visible `<tier>-model` per tier from provider `prov`, each twice the price of
 * the one below; `extra` adds fields per model (capabilities, benchmarks…).
 */
export function tierModels(
  extra: (tier: Tier, index: number) => Partial<ModelCandidate> = () => ({}),
): ModelCandidate[] {
  return TIERS.map((tier, index) => ({
    id: `${tier}-model`,
    providerId: 'prov',
    tier,
    contextWindow: 200_000,
    inputPricePer1M: 0.1 * 2 ** index,
    outputPricePer1M: 0.4 * 2 ** index,
    visible: true,
    ...extra(tier, index),
  }));
}
