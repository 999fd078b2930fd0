import { ClassifierRegistry, shippedTierExamples, trainingSet } from './classifier-registry';
import type { RoutingCategory } from './routing.types';

const categories: RoutingCategory[] = [
  {
    key: 'greeting',
    name: 'Greeting',
    description: 'Saying hello',
    tier: 'micro',
    examples: ['hello there', 'good morning'],
  },
  {
    key: 'coding',
    name: 'Coding',
    description: 'Writing code',
    tier: 'medium',
    examples: ['write a function', 'fix this bug'],
  },
  {
    key: 'off',
    name: 'Disabled',
    description: 'Not used',
    tier: 'low',
    examples: ['ignored'],
    enabled: false,
  },
];

describe('ClassifierRegistry', () => {
  it('builds the training set from enabled categories, descriptions and extra examples', () => {
    const texts = trainingSet(categories, [
      { text: 'hey you', category: 'greeting' },
      { text: 'unknown category', category: 'nope' },
    ]);
    expect(texts.filter((text) => !text.auxiliary).map((text) => text.text)).toEqual([
      'hello there',
      'good morning',
      'write a function',
      'fix this bug',
      'hey you',
    ]);
    expect(texts.filter((text) => text.auxiliary)).toHaveLength(2);
  });

  it('trains once per content and retrains when examples change', () => {
    const registry = new ClassifierRegistry();
    const first = registry.get(categories);
    expect(registry.get(categories)).toBe(first);
    // Same content in a new array (e.g. a cache refresh): no retraining.
    expect(registry.get(categories.map((category) => ({ ...category })))).toBe(first);
    expect(registry.trainingCount).toBe(1);

    const changed = categories.map((category) =>
      category.key === 'greeting'
        ? { ...category, examples: [...category.examples, 'hi, how are you'] }
        : category,
    );
    const second = registry.get(changed);
    expect(second).not.toBe(first);
    expect(registry.trainingCount).toBe(2);
    expect(registry.get(changed, [{ text: 'yo', category: 'greeting' }])).not.toBe(second);
    expect(registry.trainingCount).toBe(3);
  });

  it('keeps no shipped tier examples between trainings: each call reads the files again', () => {
    const first = shippedTierExamples();
    const second = shippedTierExamples();
    expect(second).not.toBe(first);
    expect(second[0]).not.toBe(first[0]);
    expect(second).toEqual(first);
  });
});
