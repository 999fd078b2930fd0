import { applyCostMode } from './cost-mode';

describe('applyCostMode', () => {
  it('steps one tier down for economy and up for quality', () => {
    expect(applyCostMode('medium', { costMode: 'economy', tierBoost: 0 })).toEqual({
      tier: 'low',
      costMode: 'economy',
      overrides: [{ code: 'cost_economy', from: 'medium', to: 'low', detail: 'economy' }],
    });
    expect(applyCostMode('medium', { costMode: 'quality', tierBoost: 0 }).tier).toBe('advanced');
    expect(applyCostMode('medium', { costMode: 'balanced', tierBoost: 0 })).toEqual({
      tier: 'medium',
      costMode: 'balanced',
      overrides: [],
    });
  });

  it('adds the tier boost and clamps at both ends', () => {
    expect(applyCostMode('high', { costMode: 'quality', tierBoost: 2 }).tier).toBe('critical');
    expect(applyCostMode('minimal', { costMode: 'economy', tierBoost: -2 }).tier).toBe('micro');
    expect(applyCostMode('micro', { costMode: 'economy', tierBoost: 0 }).overrides).toEqual([]);
    // an out-of-range boost is clamped to ±2
    expect(applyCostMode('low', { costMode: 'balanced', tierBoost: 7 }).tier).toBe('advanced');
    expect(applyCostMode('low', { costMode: 'balanced', tierBoost: -1 }).overrides).toEqual([
      { code: 'tier_boost', from: 'low', to: 'minimal', detail: '-1' },
    ]);
  });

  it('lets the budget guard force its cost mode', () => {
    const result = applyCostMode(
      'advanced',
      { costMode: 'quality', tierBoost: 0 },
      { costMode: 'economy', source: 'budget_guard' },
    );
    expect(result).toEqual({
      tier: 'medium',
      costMode: 'economy',
      overrides: [
        { code: 'budget_cost_mode', from: 'advanced', to: 'medium', detail: 'budget_guard: economy' },
      ],
    });
  });
});
