import {
  clampTier,
  compareTiers,
  isTier,
  maxTier,
  minTier,
  shiftTier,
  tierAt,
  TIERS,
  tierWithin,
} from './tiers';

describe('tiers', () => {
  it('orders the eight tiers cheapest first, micro before minimal', () => {
    expect(TIERS).toEqual(['micro', 'minimal', 'low', 'medium', 'advanced', 'high', 'ultra', 'critical']);
    expect(compareTiers('micro', 'minimal')).toBeLessThan(0);
    expect(compareTiers('critical', 'ultra')).toBeGreaterThan(0);
    expect(compareTiers('medium', 'medium')).toBe(0);
  });

  it('recognises only real tiers', () => {
    expect(isTier('high')).toBe(true);
    expect(isTier('premium')).toBe(false);
    expect(isTier(3)).toBe(false);
  });

  it('shifts and clamps at both ends', () => {
    expect(shiftTier('micro', -1)).toBe('micro');
    expect(shiftTier('critical', 2)).toBe('critical');
    expect(shiftTier('low', 2)).toBe('advanced');
    expect(shiftTier('ultra', 5)).toBe('critical');
    expect(tierAt(-3)).toBe('micro');
    expect(tierAt(99)).toBe('critical');
  });

  it('clamps into a band and lets the minimum win when bounds cross', () => {
    expect(clampTier('micro', 'low', 'high')).toBe('low');
    expect(clampTier('critical', 'low', 'high')).toBe('high');
    expect(clampTier('medium', 'low', 'high')).toBe('medium');
    expect(clampTier('micro', 'high', 'low')).toBe('high');
    expect(clampTier('critical', 'high', 'low')).toBe('high');
  });

  it('computes max, min and band membership', () => {
    expect(maxTier('low', 'advanced')).toBe('advanced');
    expect(minTier('low', 'advanced')).toBe('low');
    expect(tierWithin('medium', 'low', 'advanced')).toBe(true);
    expect(tierWithin('micro', 'low', 'advanced')).toBe(false);
  });
});
