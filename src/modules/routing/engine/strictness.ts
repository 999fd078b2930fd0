/**
 * Force-route strictness: whether a request that names a concrete model is routed anyway.
 *  - off:      the user's model is always kept.
 *  - fim_only: only fill-in-the-middle requests are routed (to the autocomplete category).
 *  - smart:    FIM and trivial categories are routed; substantial ones keep the user's model.
 *  - all:      everything is routed.
 * In every mode a routed tier above the user's model's tier keeps the user's model (tier cap), so
 * force-routing never makes a request more expensive than what the client asked for.
 */
import { AUTO_MODELS } from '../../../common/reserved-names';
import { compareTiers, type Tier } from '../../../common/tiers';
import type { OverrideRecord } from '../router.interface';
import type { ModelCandidate, Strictness } from './routing.types';

export { AUTO_MODELS };

/** True for the model names that ask for auto-routing (`auto` and `auto-prism`). */
export function isAutoModel(model: string | null | undefined): boolean {
  return model == null || model === '' || AUTO_MODELS.has(model.trim().toLowerCase());
}

/** Decision before classification: can we keep the user's model without looking at the content? */
export function strictnessGate(
  userModel: string | null,
  strictness: Strictness,
  isFim: boolean,
): OverrideRecord['code'] | null {
  if (!userModel) return null;
  if (strictness === 'off') return 'strictness_off';
  if (strictness === 'fim_only' && !isFim) return 'strictness_fim_only';
  return null;
}

export interface StrictnessInput {
  userModel: string | null;
  /** The user's model as a usable candidate (visible, window fits), if it is one. */
  userCandidate: ModelCandidate | null;
  strictness: Strictness;
  isFim: boolean;
  /** The category's own tier (not the adjusted one): how substantial the task is. */
  categoryTier: Tier | null;
  decidedTier: Tier;
  smartKeepMinTier: Tier;
  tierCap: boolean;
}

export interface StrictnessResult {
  keepUserModel: boolean;
  override: OverrideRecord | null;
}

export function applyStrictness(input: StrictnessInput): StrictnessResult {
  const { userModel, userCandidate } = input;
  if (!userModel || !userCandidate) return { keepUserModel: false, override: null };
  const userTier = userCandidate.tier;
  if (
    input.strictness === 'smart' &&
    !input.isFim &&
    input.categoryTier !== null &&
    compareTiers(input.categoryTier, input.smartKeepMinTier) >= 0
  ) {
    return {
      keepUserModel: true,
      override: {
        code: 'strictness_smart',
        from: input.decidedTier,
        to: userTier,
        detail: `kept ${userModel}`,
      },
    };
  }
  if (input.tierCap && compareTiers(input.decidedTier, userTier) > 0) {
    return {
      keepUserModel: true,
      override: { code: 'tier_cap', from: input.decidedTier, to: userTier, detail: `kept ${userModel}` },
    };
  }
  return { keepUserModel: false, override: null };
}
