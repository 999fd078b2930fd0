import type { RoutingSignals } from '../router.interface';
import { applyOverrides, applySessionFill, type OverrideInput } from './overrides';
import { DEFAULT_OVERRIDE_SETTINGS } from './settings';
import { extractSignals } from './signals';

const quietSignals = extractSignals({
  model: 'auto',
  messages: [{ role: 'user', content: 'Summarise the meeting notes' }],
}).signals;

function input(overrides: Partial<OverrideInput> = {}, signals: Partial<RoutingSignals> = {}): OverrideInput {
  return {
    tier: 'minimal',
    category: 'summary_short',
    categoryRequiresVision: false,
    confidence: 0.9,
    domain: null,
    signals: { ...quietSignals, ...signals },
    tokenTier: 'micro',
    ...overrides,
  };
}

describe('applyOverrides', () => {
  it('changes nothing for a plain confident request', () => {
    expect(applyOverrides(input(), DEFAULT_OVERRIDE_SETTINGS)).toEqual({ tier: 'minimal', overrides: [] });
  });

  it('records every override in evaluation order', () => {
    const result = applyOverrides(
      input(
        { tier: 'micro', confidence: 0.1, domain: 'legal', tokenTier: 'advanced' },
        {
          hasImages: true,
          imageCount: 1,
          hasTools: true,
          toolCount: 2,
          frustration: true,
          longOutputRequested: true,
          tokens: { ...quietSignals.tokens, total: 900 },
        },
      ),
      DEFAULT_OVERRIDE_SETTINGS,
    );
    expect(result.overrides.map((override) => [override.code, override.from, override.to])).toEqual([
      ['vision_upgrade', 'micro', 'low'],
      ['tool_call_upgrade', 'low', 'medium'],
      ['frustration_upgrade', 'medium', 'advanced'],
    ]);
    expect(result.tier).toBe('advanced');
  });

  it('raises low confidence to the floor but never lowers a higher tier', () => {
    expect(applyOverrides(input({ tier: 'micro', confidence: 0.1 }), DEFAULT_OVERRIDE_SETTINGS)).toEqual({
      tier: 'medium',
      overrides: [
        { code: 'low_confidence_floor', from: 'micro', to: 'medium', detail: 'confidence 0.10 < 0.25' },
      ],
    });
    expect(applyOverrides(input({ tier: 'critical', confidence: 0.05 }), DEFAULT_OVERRIDE_SETTINGS)).toEqual({
      tier: 'critical',
      overrides: [],
    });
  });

  it('upgrades images only when the category does not expect them', () => {
    expect(
      applyOverrides(input({ tier: 'low' }, { hasImages: true, imageCount: 1 }), DEFAULT_OVERRIDE_SETTINGS)
        .tier,
    ).toBe('medium');
    expect(
      applyOverrides(
        input({ tier: 'minimal', categoryRequiresVision: true }, { hasImages: true, imageCount: 1 }),
        DEFAULT_OVERRIDE_SETTINGS,
      ).tier,
    ).toBe('minimal');
  });

  it('gates legal, medical and finance domains and honours the switches', () => {
    expect(applyOverrides(input({}, { domains: ['medical'] }), DEFAULT_OVERRIDE_SETTINGS).tier).toBe(
      'medium',
    );
    expect(applyOverrides(input({}, { domains: ['security'] }), DEFAULT_OVERRIDE_SETTINGS).tier).toBe(
      'minimal',
    );
    expect(
      applyOverrides(input({}, { domains: ['medical'] }), { ...DEFAULT_OVERRIDE_SETTINGS, domainGate: false })
        .tier,
    ).toBe('minimal');
  });

  it('upgrades long conversations only when enabled and not for translation-like work', () => {
    const settings = { ...DEFAULT_OVERRIDE_SETTINGS, conversationTurns: true };
    expect(
      applyOverrides(input({ category: 'debugging', tier: 'medium' }, { conversationTurns: 5 }), settings)
        .tier,
    ).toBe('advanced');
    expect(applyOverrides(input({ category: 'translation' }, { conversationTurns: 5 }), settings).tier).toBe(
      'minimal',
    );
    expect(
      applyOverrides(
        input({ category: 'debugging', tier: 'medium' }, { conversationTurns: 5 }),
        DEFAULT_OVERRIDE_SETTINGS,
      ).tier,
    ).toBe('medium');
  });

  it('ignores frustration in tool-output continuations and applies the token floor', () => {
    expect(
      applyOverrides(
        input(
          {},
          { frustration: true, isToolContinuation: true, tokens: { ...quietSignals.tokens, total: 900 } },
        ),
        DEFAULT_OVERRIDE_SETTINGS,
      ).tier,
    ).toBe('minimal');
    expect(
      applyOverrides(
        input({}, { frustration: true, tokens: { ...quietSignals.tokens, total: 900 } }),
        DEFAULT_OVERRIDE_SETTINGS,
      ).tier,
    ).toBe('low');
    expect(applyOverrides(input({ tokenTier: 'advanced' }), DEFAULT_OVERRIDE_SETTINGS).overrides).toEqual([
      expect.objectContaining({ code: 'long_context', from: 'minimal', to: 'advanced' }),
    ]);
  });
});

describe('applySessionFill', () => {
  it('steps one tier up when the previous request filled the window', () => {
    expect(applySessionFill('medium', 0.8, DEFAULT_OVERRIDE_SETTINGS)).toEqual({
      tier: 'advanced',
      overrides: [
        { code: 'session_fill_upgrade', from: 'medium', to: 'advanced', detail: '80% of the window used' },
      ],
    });
    expect(applySessionFill('medium', 0.5, DEFAULT_OVERRIDE_SETTINGS).tier).toBe('medium');
    expect(applySessionFill('medium', undefined, DEFAULT_OVERRIDE_SETTINGS).tier).toBe('medium');
    expect(applySessionFill('critical', 0.99, DEFAULT_OVERRIDE_SETTINGS).overrides).toEqual([]);
  });
});
