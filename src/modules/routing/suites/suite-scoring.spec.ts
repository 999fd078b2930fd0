import { jsonFromAnswer, LENIENT_VALUE } from '../engine/model-answer';
import { matchFlags, parseEvaluation, parseGeneratedCases, summariseRun } from './suite-scoring';

describe('suite scoring', () => {
  it('flags category and tier-band matches, null where nothing is expected', () => {
    expect(matchFlags({ prompt: 'x' }, { category: 'a', tier: 'low' })).toEqual({
      categoryMatch: null,
      tierMatch: null,
      underRouted: false,
    });
    expect(
      matchFlags(
        { prompt: 'x', expectedCategory: 'a', expectedTierMin: 'medium', expectedTierMax: 'high' },
        { category: 'b', tier: 'low' },
      ),
    ).toEqual({ categoryMatch: false, tierMatch: false, underRouted: true });
  });

  it('summarises accuracy and tier distribution in tier order', () => {
    const base = { prompt: 'p', model: 'm', providerId: 'p', confidence: 1, source: 'rules', routingMs: 1 };
    const summary = summariseRun([
      {
        ...base,
        index: 0,
        category: 'a',
        tier: 'high',
        categoryMatch: true,
        tierMatch: true,
        underRouted: false,
      },
      {
        ...base,
        index: 1,
        category: 'b',
        tier: 'micro',
        categoryMatch: false,
        tierMatch: null,
        underRouted: false,
      },
      {
        ...base,
        index: 2,
        category: 'c',
        tier: 'high',
        categoryMatch: null,
        tierMatch: null,
        underRouted: false,
      },
    ]);
    expect(summary).toMatchObject({
      total: 3,
      categoryAccuracy: 0.5,
      tierAccuracy: 1,
      accuracy: 0.5,
      tierDistribution: [
        { tier: 'micro', count: 1 },
        { tier: 'high', count: 2 },
      ],
    });
  });

  it('reads generated cases robustly and bounds them', () => {
    const parsed = jsonFromAnswer(
      'Sure!\n{"cases": [{"prompt": " a ", "category": "known", "tierMin": "HIGH", "tierMax": "low"}, {"x": 1}, {"prompt": "b"}, {"prompt": "c"},]}',
      LENIENT_VALUE,
    );
    const { cases, rejected } = parseGeneratedCases(parsed, new Set(['known']), 2);
    expect(cases).toEqual([
      { prompt: 'a', expectedCategory: 'known', expectedTierMin: 'low', expectedTierMax: 'high' },
      { prompt: 'b' },
    ]);
    expect(rejected).toBe(2);
    expect(parseGeneratedCases(jsonFromAnswer('no json here', LENIENT_VALUE), new Set(), 5)).toEqual({
      cases: [],
      rejected: 0,
    });
  });

  it('reads an evaluation with a score, ignores junk entries, rejects answers without a score', () => {
    expect(
      parseEvaluation(
        jsonFromAnswer(
          '```json\n{"score": "73", "summary": "ok", "costSuggestions": ["x", 1]}\n```',
          LENIENT_VALUE,
        ),
      ),
    ).toEqual({
      score: 73,
      summary: 'ok',
      qualitySuggestions: [],
      costSuggestions: ['x'],
    });
    expect(parseEvaluation({ score: 250 })?.score).toBe(100);
    expect(parseEvaluation({ summary: 'no score' })).toBeNull();
    expect(parseEvaluation([1, 2])).toBeNull();
  });
});
