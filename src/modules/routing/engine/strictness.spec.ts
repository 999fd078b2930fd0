import type { ModelCandidate } from './routing.types';
import { applyStrictness, isAutoModel, strictnessGate, type StrictnessInput } from './strictness';

const userCandidate: ModelCandidate = {
  id: 'big-model',
  providerId: 'p1',
  tier: 'high',
  contextWindow: 200_000,
  inputPricePer1M: 5,
  outputPricePer1M: 25,
  visible: true,
};

function run(overrides: Partial<StrictnessInput>) {
  return applyStrictness({
    userModel: 'big-model',
    userCandidate,
    strictness: 'smart',
    isFim: false,
    categoryTier: 'medium',
    decidedTier: 'medium',
    smartKeepMinTier: 'low',
    tierCap: true,
    ...overrides,
  });
}

describe('strictness', () => {
  it('treats auto and auto-prism as auto-routing', () => {
    expect(isAutoModel('auto')).toBe(true);
    expect(isAutoModel('AUTO-PRISM')).toBe(true);
    expect(isAutoModel('gpt-x')).toBe(false);
  });

  it('keeps the user model before classification for off and for non-FIM fim_only', () => {
    expect(strictnessGate('gpt-x', 'off', true)).toBe('strictness_off');
    expect(strictnessGate('gpt-x', 'fim_only', false)).toBe('strictness_fim_only');
    expect(strictnessGate('gpt-x', 'fim_only', true)).toBeNull();
    expect(strictnessGate('gpt-x', 'smart', false)).toBeNull();
    expect(strictnessGate(null, 'off', false)).toBeNull();
  });

  it('smart keeps the user model for substantial categories and re-routes trivial ones', () => {
    expect(run({ categoryTier: 'medium' })).toMatchObject({
      keepUserModel: true,
      override: { code: 'strictness_smart', to: 'high' },
    });
    expect(run({ categoryTier: 'minimal', decidedTier: 'minimal' })).toEqual({
      keepUserModel: false,
      override: null,
    });
    expect(run({ categoryTier: 'micro', decidedTier: 'micro', isFim: true }).keepUserModel).toBe(false);
  });

  it('caps a routed tier at the user model tier', () => {
    expect(run({ strictness: 'all', decidedTier: 'critical' })).toMatchObject({
      keepUserModel: true,
      override: { code: 'tier_cap', from: 'critical', to: 'high' },
    });
    expect(run({ strictness: 'all', decidedTier: 'critical', tierCap: false }).keepUserModel).toBe(false);
    expect(run({ strictness: 'all', decidedTier: 'low' }).keepUserModel).toBe(false);
  });

  it('routes when the user model is unknown or unusable', () => {
    expect(run({ userCandidate: null })).toEqual({ keepUserModel: false, override: null });
  });
});
