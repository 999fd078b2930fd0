import { readFileSync } from 'node:fs';

import { TIERS } from '../../../common/tiers';
import { validateRuleSet } from '../engine/rule-set.validation';
import { detectLanguage } from '../engine/signals';
import { AUTOCOMPLETE_CATEGORY, BUILT_IN_CATEGORIES, BUILT_IN_CATEGORY_KEYS } from './categories.data';
import { MULTILINGUAL_CATEGORY_EXAMPLES } from './category-examples.multilingual';
import { DEFAULT_RULE_SET, ECONOMY_RULE_SET } from './default-rule-set.data';
import { PRESET_PROFILES } from './preset-profiles.data';
import { CORPUS_FILE, corpusTierExamples, type CorpusFile, type CorpusRow } from './tier-corpus';

const GERMAN =
  /[äöüß]|\b(?:der|die|das|und|ist|nicht|ich|mit|für|ein|eine|wie|was|bitte|mir|dieser|diesen|dieses|den|dem)\b/i;

describe('built-in categories', () => {
  it('has about fifty categories with unique keys covering every tier', () => {
    expect(BUILT_IN_CATEGORIES.length).toBeGreaterThanOrEqual(45);
    expect(BUILT_IN_CATEGORIES.length).toBeLessThanOrEqual(60);
    expect(new Set(BUILT_IN_CATEGORY_KEYS).size).toBe(BUILT_IN_CATEGORY_KEYS.length);
    expect(new Set(BUILT_IN_CATEGORIES.map((category) => category.tier))).toEqual(new Set(TIERS));
    for (const category of BUILT_IN_CATEGORIES) expect(category.key).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it('ships multilingual examples for built-in categories only, none repeating a seeded one', () => {
    const seeded = new Set(
      BUILT_IN_CATEGORIES.flatMap((category) => category.examples.map((e) => e.toLowerCase())),
    );
    const shipped = Object.entries(MULTILINGUAL_CATEGORY_EXAMPLES);
    expect(shipped.length).toBeGreaterThanOrEqual(45);
    for (const [key, examples] of shipped) {
      expect(BUILT_IN_CATEGORY_KEYS).toContain(key);
      expect(examples.length).toBeGreaterThanOrEqual(5);
      for (const example of examples) expect(seeded.has(example.toLowerCase())).toBe(false);
    }
  });

  it('gives every category a name, a description and 5–15 English and German examples', () => {
    const seen = new Set<string>();
    for (const category of BUILT_IN_CATEGORIES) {
      expect(category.name.length).toBeGreaterThan(3);
      expect(category.description.length).toBeGreaterThan(20);
      expect(category.examples.length).toBeGreaterThanOrEqual(5);
      expect(category.examples.length).toBeLessThanOrEqual(15);
      const german = category.examples.filter((example) => GERMAN.test(example));
      const english = category.examples.filter(
        (example) => !GERMAN.test(example) && detectLanguage(example) !== 'de',
      );
      expect({ key: category.key, german: german.length > 0, english: english.length > 0 }).toEqual({
        key: category.key,
        german: true,
        english: true,
      });
      for (const example of category.examples) {
        const normalised = example.toLowerCase();
        expect(seen.has(normalised)).toBe(false);
        seen.add(normalised);
      }
    }
  });

  it('ships system prompts for the coding, debugging, architecture, agentic, legal, medical and sensitive categories', () => {
    const withPrompt = BUILT_IN_CATEGORIES.filter((category) => category.systemPrompt).map(
      (category) => category.key,
    );
    expect(withPrompt).toEqual(
      expect.arrayContaining([
        'code_basic',
        'code_intermediate',
        'debugging',
        'code_architecture',
        'system_design',
        'agentic_swe',
        'agentic_tool_use',
        'legal_analysis',
        'legal_tax_critical',
        'medical',
      ]),
    );
    for (const category of BUILT_IN_CATEGORIES) {
      if (category.systemPrompt) expect(category.systemPrompt.length).toBeGreaterThan(100);
    }
  });

  it('marks vision categories, the micro autocomplete category and leaves models unset', () => {
    const vision = BUILT_IN_CATEGORIES.filter((category) => category.requiresVision).map(
      (category) => category.key,
    );
    expect(vision).toEqual(['vision_basic', 'vision_detailed', 'vision_critical']);
    expect(BUILT_IN_CATEGORIES.find((category) => category.key === AUTOCOMPLETE_CATEGORY)?.tier).toBe(
      'micro',
    );
    expect(
      BUILT_IN_CATEGORIES.every(
        (category) => category.defaultModel === null && category.fallbackModel === null,
      ),
    ).toBe(true);
  });
});

describe('preset profiles', () => {
  it('defines the seven profiles over known categories', () => {
    expect(PRESET_PROFILES.map((preset) => preset.key)).toEqual([
      'software_development',
      'customer_support',
      'research',
      'creative',
      'data_operations',
      'agentic',
      'all',
    ]);
    const known = new Set(BUILT_IN_CATEGORY_KEYS);
    for (const preset of PRESET_PROFILES) {
      for (const key of preset.categories) expect(known.has(key)).toBe(true);
      expect(new Set(preset.categories).size).toBe(preset.categories.length);
    }
    expect(PRESET_PROFILES.find((preset) => preset.key === 'all')?.categories).toEqual([]);
  });
});

describe('default rule sets', () => {
  it('validate against the built-in categories and use the 500/2k/8k/15k/50k thresholds', () => {
    for (const ruleSet of [DEFAULT_RULE_SET, ECONOMY_RULE_SET]) {
      expect(validateRuleSet(ruleSet, { categoryKeys: BUILT_IN_CATEGORY_KEYS })).toMatchObject({ ok: true });
    }
    expect(DEFAULT_RULE_SET.tokenThresholds).toEqual({
      minimal: 500,
      low: 2000,
      medium: 8000,
      advanced: 15000,
      high: 50000,
    });
    expect(DEFAULT_RULE_SET.classifier).toEqual({
      confidenceThreshold: 0.65,
      strategy: 'truncate',
      contextLimitTokens: 6000,
    });
  });
});

describe('tier model training corpus', () => {
  const corpus = JSON.parse(readFileSync(CORPUS_FILE, 'utf8')) as CorpusFile;

  it('names every row by its writer, labels it with a tier and points at existing system prompts', () => {
    const ids = corpus.rows.map((row) => row.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const row of corpus.rows) {
      expect(row.id).toMatch(/^w\d+\/\S+$/);
      expect(TIERS).toContain(row.tier);
      expect(row.lastUser.trim().length).toBeGreaterThan(0);
      if (row.system !== undefined) expect(corpus.systems[row.system]).toEqual(expect.any(String));
    }
  });

  it('expands into tier examples with the given weight', () => {
    const examples = corpusTierExamples(0.7);
    expect(examples).toHaveLength(corpus.rows.length);
    for (const [index, example] of examples.entries()) {
      const row = corpus.rows[index] as CorpusRow;
      expect(example).toMatchObject({ id: row.id, tier: row.tier, weight: 0.7, lastUser: row.lastUser });
      expect(example.system).toBe(row.system === undefined ? undefined : corpus.systems[row.system]);
    }
  });
});
