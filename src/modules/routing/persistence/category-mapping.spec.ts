import { BUILT_IN_CATEGORIES } from '../data';
import {
  builtInDefinition,
  builtInDocument,
  toRoutingCategory,
  trainingExamplesOf,
} from './category-mapping';

describe('category mapping', () => {
  const builtIn = BUILT_IN_CATEGORIES.find((c) => c.systemPrompt) ?? BUILT_IN_CATEGORIES[0]!;

  it('seeds a built-in with its shipped definition, no model choices and no added examples', () => {
    const doc = builtInDocument(builtIn);
    expect(doc).toMatchObject({
      key: builtIn.key,
      name: builtIn.name,
      tier: builtIn.tier,
      builtIn: true,
      enabled: true,
      addedExamples: [],
      defaultModel: null,
      fallbackModel: null,
      systemPrompt: builtIn.systemPrompt,
      scoringProfile: builtIn.scoringProfile,
    });
    expect(doc.examples).toEqual(builtIn.examples);
    expect(doc.examples).not.toBe(builtIn.examples);
  });

  it('restores only definition fields (model choices and added examples are not part of it)', () => {
    const definition = builtInDefinition(builtIn);
    expect(Object.keys(definition)).not.toEqual(
      expect.arrayContaining(['defaultModel', 'fallbackModel', 'addedExamples', 'key']),
    );
    expect(definition.enabled).toBe(true);
  });

  it('maps a stored category to the engine view and tolerates missing arrays', () => {
    const doc = {
      ...builtInDocument(builtIn),
      defaultModel: 'prov/model-a',
      scoringProfile: null,
      examples: undefined as unknown as string[],
    };
    const category = toRoutingCategory(doc);
    expect(category).toMatchObject({ key: builtIn.key, defaultModel: 'prov/model-a', examples: [] });
    expect(category).not.toHaveProperty('scoringProfile');
  });

  it('turns added examples of enabled categories into training examples', () => {
    const base = builtInDocument(builtIn);
    const examples = trainingExamplesOf([
      { ...base, key: 'a', addedExamples: ['one', 'two'] },
      { ...base, key: 'b', addedExamples: ['ignored'], enabled: false },
      { ...base, key: 'c', addedExamples: undefined as unknown as string[] },
    ]);
    expect(examples).toEqual([
      { text: 'one', category: 'a' },
      { text: 'two', category: 'a' },
    ]);
  });
});
