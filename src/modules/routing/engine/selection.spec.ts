import { assignPresetModels } from './presets';
import type { ModelCandidate, RoutingCategory } from './routing.types';
import {
  COST_MODE_EXPONENT,
  findModel,
  scoreModel,
  scoringProfileFor,
  selectModel,
  type SelectionRequest,
} from './selection';

function model(id: string, overrides: Partial<ModelCandidate> = {}): ModelCandidate {
  return {
    id,
    providerId: 'p1',
    providerSlug: 'one',
    tier: 'medium',
    contextWindow: 128_000,
    inputPricePer1M: 1,
    outputPricePer1M: 4,
    visible: true,
    capabilities: ['tools', 'vision'],
    benchmarks: { intelligence: 60, coding: 60, math: 60, speed: 60 },
    ...overrides,
  };
}

const category: RoutingCategory = {
  key: 'debugging',
  name: 'Debugging',
  description: '',
  tier: 'medium',
  examples: [],
};

function request(overrides: Partial<SelectionRequest>): SelectionRequest {
  return {
    tier: 'medium',
    category,
    costMode: 'balanced',
    requiredTokens: 1000,
    needsVision: false,
    needsTools: false,
    models: [],
    ...overrides,
  };
}

describe('selection', () => {
  it('uses price exponents 2 / 1 / 0.3 for economy / balanced / quality', () => {
    expect(COST_MODE_EXPONENT).toEqual({ economy: 2, balanced: 1, quality: 0.3 });
    const candidate = model('m', { inputPricePer1M: 1, outputPricePer1M: 3 });
    const quality = 0.25 * 60 + 0.55 * 60 + 0.1 * 60 + 0.1 * 60;
    expect(scoreModel(candidate, 'coding', 'economy')).toBeCloseTo(quality / 16, 6);
    expect(scoreModel(candidate, 'coding', 'balanced')).toBeCloseTo(quality / 4, 6);
    expect(scoreModel(candidate, 'coding', 'quality')).toBeCloseTo(quality / 4 ** 0.3, 6);
    expect(
      scoreModel(model('free', { inputPricePer1M: 0, outputPricePer1M: 0 }), 'coding', 'balanced'),
    ).toBeCloseTo(quality * 1000, 6);
  });

  it('prefers the cheap model in economy and the strong one in quality mode', () => {
    const cheap = model('cheap', {
      inputPricePer1M: 0.5,
      outputPricePer1M: 1.5,
      benchmarks: { intelligence: 50, coding: 50, math: 50, speed: 50 },
    });
    const strong = model('strong', {
      inputPricePer1M: 1,
      outputPricePer1M: 3,
      benchmarks: { intelligence: 90, coding: 90, math: 90, speed: 90 },
    });
    expect(selectModel(request({ costMode: 'economy', models: [cheap, strong] })).model?.id).toBe('cheap');
    expect(selectModel(request({ costMode: 'quality', models: [cheap, strong] })).model?.id).toBe('strong');
    expect(selectModel(request({ costMode: 'quality', models: [cheap, strong] })).method).toBe(
      'benchmark_quality',
    );
  });

  it('only considers visible models whose window fits and breaks ties by priority', () => {
    const hidden = model('hidden', {
      visible: false,
      benchmarks: { intelligence: 99, coding: 99, math: 99, speed: 99 },
    });
    const small = model('small', {
      contextWindow: 8000,
      benchmarks: { intelligence: 99, coding: 99, math: 99, speed: 99 },
    });
    const low = model('a-low-priority', { priority: 10 });
    const high = model('b-high-priority', { priority: 90 });
    const result = selectModel(request({ requiredTokens: 20_000, models: [hidden, small, low, high] }));
    expect(result.model?.id).toBe('b-high-priority');
  });

  it('uses the category default model first, then the fallback model', () => {
    const other = model('best-by-score', {
      benchmarks: { intelligence: 99, coding: 99, math: 99, speed: 99 },
    });
    const preferred = model('admin-choice', { tier: 'high' });
    const fallback = model('fallback-choice', { providerSlug: 'two', providerId: 'p2' });
    const withDefault = {
      ...category,
      defaultModel: 'one/admin-choice',
      fallbackModel: 'two/fallback-choice',
    };
    expect(
      selectModel(request({ category: withDefault, models: [other, preferred, fallback] })),
    ).toMatchObject({
      model: { id: 'admin-choice' },
      method: 'category_default',
      tier: 'high',
    });
    expect(selectModel(request({ category: withDefault, models: [other, fallback] }))).toMatchObject({
      model: { id: 'fallback-choice' },
      method: 'category_fallback',
    });
  });

  it('skips a default model below the decided tier instead of silently downgrading', () => {
    const cheapDefault = model('cheap-default', { tier: 'low' });
    const result = selectModel(
      request({
        category: { ...category, defaultModel: 'cheap-default' },
        models: [cheapDefault, model('medium-one')],
      }),
    );
    expect(result.model?.id).toBe('medium-one');
    expect(result.notes[0]).toContain('below the decided tier');
  });

  it('walks up the tiers first, then down, and records the walk', () => {
    const up = selectModel(
      request({
        tier: 'low',
        models: [model('advanced-one', { tier: 'advanced' }), model('micro-one', { tier: 'micro' })],
      }),
    );
    expect(up.model?.id).toBe('advanced-one');
    expect(up.overrides).toEqual([
      expect.objectContaining({ code: 'tier_walk', from: 'low', to: 'advanced' }),
    ]);
    const down = selectModel(request({ tier: 'high', models: [model('micro-one', { tier: 'micro' })] }));
    expect(down.model?.id).toBe('micro-one');
    expect(down.overrides[0]).toMatchObject({ code: 'tier_walk', from: 'high', to: 'micro' });
  });

  it('requires vision and tools capabilities, relaxing only when no model has them', () => {
    const textOnly = model('text-only', {
      capabilities: ['tools'],
      benchmarks: { intelligence: 99, coding: 99, math: 99, speed: 99 },
    });
    const seeing = model('seeing', { tier: 'advanced' });
    expect(selectModel(request({ needsVision: true, models: [textOnly, seeing] })).model?.id).toBe('seeing');
    const relaxed = selectModel(request({ needsVision: true, models: [textOnly] }));
    expect(relaxed.model?.id).toBe('text-only');
    expect(relaxed.overrides[0]).toMatchObject({ code: 'capability_relaxed' });
  });

  it('moves down past tiers the budget guard blocks', () => {
    const result = selectModel(
      request({
        tier: 'high',
        blockedTiers: ['high', 'ultra', 'critical'],
        models: [model('high-one', { tier: 'high' }), model('medium-one')],
      }),
    );
    expect(result.model?.id).toBe('medium-one');
    expect(result.overrides[0]).toEqual({ code: 'budget_blocked_tier', from: 'high', to: 'advanced' });
  });

  it('returns no model when no window is large enough', () => {
    const result = selectModel(request({ requiredTokens: 10_000_000, models: [model('m')] }));
    expect(result).toMatchObject({ model: null, method: 'none' });
  });

  it('finds models by id, provider slug or provider id and derives scoring profiles', () => {
    const models = [model('x'), model('x', { providerId: 'p2', providerSlug: 'two' })];
    expect(findModel(models, 'x')).toHaveLength(2);
    expect(findModel(models, 'two/x')).toEqual([models[1]]);
    expect(findModel(models, 'p1/x')).toEqual([models[0]]);
    expect(scoringProfileFor({ key: 'code_architecture' })).toBe('design');
    expect(scoringProfileFor({ key: 'code_basic' })).toBe('coding');
    expect(scoringProfileFor({ key: 'custom_thing' })).toBe('general');
    expect(scoringProfileFor({ key: 'code_basic', scoringProfile: 'chat' })).toBe('chat');
  });
});

describe('assignPresetModels', () => {
  it('fills default and fallback models per category from one provider', () => {
    const categories: RoutingCategory[] = [
      { key: 'smalltalk', name: 'Smalltalk', description: '', tier: 'minimal', examples: [] },
      { key: 'debugging', name: 'Debugging', description: '', tier: 'medium', examples: [] },
      {
        key: 'vision_basic',
        name: 'Vision',
        description: '',
        tier: 'minimal',
        examples: [],
        requiresVision: true,
      },
    ];
    const models = [
      model('mini', { tier: 'minimal', capabilities: ['tools'] }),
      model('mini-vision', { tier: 'minimal', inputPricePer1M: 2 }),
      model('mid'),
      model('mid-2', { inputPricePer1M: 3 }),
      model('other-provider', { providerId: 'p9', tier: 'minimal' }),
    ];
    expect(
      assignPresetModels({
        presetCategories: ['smalltalk', 'debugging', 'vision_basic'],
        categories,
        models,
        providerId: 'p1',
      }),
    ).toEqual([
      { category: 'smalltalk', defaultModel: 'mini', fallbackModel: 'mini-vision' },
      { category: 'debugging', defaultModel: 'mid', fallbackModel: 'mid-2' },
      { category: 'vision_basic', defaultModel: 'mini-vision', fallbackModel: 'mid' },
    ]);
    expect(
      assignPresetModels({ presetCategories: ['debugging'], categories, models, providerId: 'p1' }),
    ).toHaveLength(1);
    expect(assignPresetModels({ presetCategories: [], categories, models, providerId: 'p1' })).toHaveLength(
      3,
    );
  });
});
