import { BUILT_IN_CATEGORY_KEYS } from '../data/categories.data';
import { DEFAULT_RULE_SET, ECONOMY_RULE_SET } from '../data/default-rule-set.data';
import { validateRuleSet, type FieldError } from './rule-set.validation';

function clone(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(DEFAULT_RULE_SET)) as Record<string, unknown>;
}

function errorsOf(raw: unknown, categoryKeys?: readonly string[]): FieldError[] {
  const result = validateRuleSet(raw, { categoryKeys });
  return result.ok ? [] : result.errors;
}

describe('validateRuleSet', () => {
  it('accepts the shipped rule sets against the built-in categories', () => {
    for (const ruleSet of [DEFAULT_RULE_SET, ECONOMY_RULE_SET]) {
      const result = validateRuleSet(ruleSet, { categoryKeys: BUILT_IN_CATEGORY_KEYS });
      expect(result).toMatchObject({ ok: true });
    }
  });

  it('returns a clean copy without unknown fields', () => {
    const raw = { ...clone(), id: 'rs1', _id: 'mongo', extra: true };
    const result = validateRuleSet(raw);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.id).toBe('rs1');
      expect(result.value).not.toHaveProperty('extra');
      expect(result.value).not.toHaveProperty('_id');
    }
  });

  it('rejects non-objects', () => {
    expect(errorsOf('nope')).toEqual([{ path: '', message: 'must be an object' }]);
  });

  it('requires strictly increasing token thresholds', () => {
    const raw = clone();
    raw.tokenThresholds = { minimal: 500, low: 400, medium: 8000, advanced: 15000, high: 50000 };
    expect(errorsOf(raw)).toEqual([
      { path: 'tokenThresholds.low', message: 'must be greater than the previous threshold' },
    ]);
  });

  it('reports unsafe regexes with their field path', () => {
    const raw = clone();
    raw.systemPromptRoles = [{ name: 'Bad', pattern: '(a+)+$', category: 'smalltalk' }];
    raw.keywordRules = [
      {
        name: 'Bad keywords',
        regex: true,
        keywords: ['ok', '(x|xx)*'],
        match: 'any',
        minMatches: 1,
        searchIn: 'user',
        tierMin: 'low',
      },
    ];
    const errors = errorsOf(raw);
    expect(errors.map((error) => error.path)).toEqual([
      'keywordRules[0].keywords[1]',
      'systemPromptRoles[0].pattern',
    ]);
    expect(errors[0]?.message).toContain('catastrophic');
  });

  it('checks tiers, bounds, enums, categories and limits', () => {
    const raw = clone();
    raw.keywordRules = [
      {
        name: '',
        keywords: [],
        match: 'some',
        minMatches: 0,
        searchIn: 'everywhere',
        tierMin: 'high',
        tierMax: 'low',
        confidence: 2,
      },
      {
        name: 'Unknown category',
        keywords: ['x'],
        match: 'any',
        minMatches: 3,
        searchIn: 'user',
        category: 'nope',
      },
      { name: 'No effect', keywords: ['x'], match: 'any', minMatches: 1, searchIn: 'user' },
    ];
    raw.weights = { ...(raw.weights as object), tokenCount: -1 };
    raw.classifier = { confidenceThreshold: 0.5, strategy: 'everything', contextLimitTokens: 10 };
    raw.costMode = 'cheap';
    raw.tierBoost = 3;
    const paths = errorsOf(raw, BUILT_IN_CATEGORY_KEYS).map((error) => error.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'keywordRules[0].name',
        'keywordRules[0].keywords',
        'keywordRules[0].match',
        'keywordRules[0].minMatches',
        'keywordRules[0].searchIn',
        'keywordRules[0].tierMax',
        'keywordRules[0].confidence',
        'keywordRules[1].minMatches',
        'keywordRules[1].category',
        'keywordRules[2]',
        'weights.tokenCount',
        'classifier.strategy',
        'classifier.contextLimitTokens',
        'costMode',
        'tierBoost',
      ]),
    );
  });

  it('bounds the number and length of keywords', () => {
    const raw = clone();
    raw.keywordRules = [
      {
        name: 'Long',
        keywords: ['x'.repeat(101)],
        match: 'any',
        minMatches: 1,
        searchIn: 'user',
        tierMin: 'low',
      },
      {
        name: 'Many',
        keywords: Array.from({ length: 101 }, (_, index) => `k${index}`),
        match: 'any',
        minMatches: 1,
        searchIn: 'user',
        tierMin: 'low',
      },
    ];
    expect(errorsOf(raw).map((error) => error.path)).toEqual([
      'keywordRules[0].keywords[0]',
      'keywordRules[1].keywords',
    ]);
  });
});
