/**
 * Stage 6: the tenant's cost preference. economy steps one tier down, quality one up, then the rule
 * set's tier boost (−2..+2) is added; the result is clamped to the tier range and every step recorded.
 */
import { shiftTier, type Tier } from '../../../common/tiers';
import type { OverrideRecord, RoutingBudgetState } from '../router.interface';
import type { CostMode, RuleSet } from './routing.types';

export interface CostModeResult {
  tier: Tier;
  costMode: CostMode;
  overrides: OverrideRecord[];
}

export const MAX_TIER_BOOST = 2;

export function applyCostMode(
  tier: Tier,
  ruleSet: Pick<RuleSet, 'costMode' | 'tierBoost'>,
  budget?: RoutingBudgetState,
): CostModeResult {
  const overrides: OverrideRecord[] = [];
  const forced = budget?.costMode;
  const costMode = forced ?? ruleSet.costMode;
  let current = tier;
  const step = costMode === 'economy' ? -1 : costMode === 'quality' ? 1 : 0;
  if (step !== 0) {
    const next = shiftTier(current, step);
    if (next !== current) {
      const code = forced ? 'budget_cost_mode' : costMode === 'economy' ? 'cost_economy' : 'cost_quality';
      overrides.push({
        code,
        from: current,
        to: next,
        detail: forced ? `${budget?.source ?? 'budget'}: ${costMode}` : costMode,
      });
      current = next;
    }
  }
  const boost = Math.max(-MAX_TIER_BOOST, Math.min(MAX_TIER_BOOST, Math.trunc(ruleSet.tierBoost || 0)));
  if (boost !== 0) {
    const next = shiftTier(current, boost);
    if (next !== current) {
      overrides.push({
        code: 'tier_boost',
        from: current,
        to: next,
        detail: `${boost > 0 ? '+' : ''}${boost}`,
      });
      current = next;
    }
  }
  return { tier: current, costMode, overrides };
}
