/**
 * Routing tiers, cheapest first. Every tier comparison in the code base goes through these helpers so
 * there is exactly one order (the reference system had a second, inconsistent order in its gateway).
 */
export const TIERS = ['micro', 'minimal', 'low', 'medium', 'advanced', 'high', 'ultra', 'critical'] as const;

export type Tier = (typeof TIERS)[number];

const TIER_INDEX: ReadonlyMap<string, number> = new Map(TIERS.map((tier, index) => [tier, index]));

export const LOWEST_TIER: Tier = TIERS[0];
export const HIGHEST_TIER: Tier = TIERS[TIERS.length - 1] as Tier;

export function isTier(value: unknown): value is Tier {
  return typeof value === 'string' && TIER_INDEX.has(value);
}

/** Position of a tier in {@link TIERS} (0 = micro). */
export function tierIndex(tier: Tier): number {
  return TIER_INDEX.get(tier) ?? 0;
}

/** The tier at an index, clamped into the valid range. */
export function tierAt(index: number): Tier {
  const clamped = Math.min(TIERS.length - 1, Math.max(0, Math.trunc(index)));
  return TIERS[clamped] as Tier;
}

/** Negative when `a` is cheaper than `b`, 0 when equal, positive when `a` is more capable. */
export function compareTiers(a: Tier, b: Tier): number {
  return tierIndex(a) - tierIndex(b);
}

/** Moves `steps` tiers up (positive) or down (negative), never past either end. */
export function shiftTier(tier: Tier, steps: number): Tier {
  return tierAt(tierIndex(tier) + steps);
}

/** Clamps `tier` into `[min, max]`; when the bounds cross, the minimum wins (safety over cost). */
export function clampTier(tier: Tier, min: Tier = LOWEST_TIER, max: Tier = HIGHEST_TIER): Tier {
  if (compareTiers(tier, min) < 0) return min;
  if (compareTiers(tier, max) > 0) return compareTiers(max, min) < 0 ? min : max;
  return tier;
}

export function maxTier(a: Tier, b: Tier): Tier {
  return compareTiers(a, b) >= 0 ? a : b;
}

export function minTier(a: Tier, b: Tier): Tier {
  return compareTiers(a, b) <= 0 ? a : b;
}

/** True when `tier` lies within `[min, max]` (inclusive). */
export function tierWithin(tier: Tier, min: Tier, max: Tier): boolean {
  return compareTiers(tier, min) >= 0 && compareTiers(tier, max) <= 0;
}
