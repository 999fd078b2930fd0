/**
 * Learning from corrections (issue 16 item 4): an admin-added example ("correct this decision" in the
 * trace view adds the prompt to the right category) retrains both local models, and close
 * rephrasings of the corrected prompt — its prompt family — take the corrected category.
 */
import { compareTiers } from '../../../common/tiers';
import { BUILT_IN_CATEGORIES } from '../data/categories.data';
import { DEFAULT_RULE_SET } from '../data/default-rule-set.data';
import type { RoutingContext, TrainingExample } from '../router.interface';
import { ClassifierRegistry, trainingSet } from './classifier-registry';
import { CORRECTION_MATCH, trainLocalClassifier } from './local-classifier';
import { RoutingEngine } from './routing-engine';
import { tierModels } from './testing/tier-models';

const MODELS = tierModels();

/** One request and two rephrasings that were never added as examples. */
const FAMILY = [
  'Draft the weekly status update for the platform team from these notes: migration 80% done, two incidents, hiring on track.',
  "Write this week's status update for the platform team based on my notes: migration nearly finished, one incident, hiring going well.",
  'Put together the weekly platform team status update from these bullet points: migration at 90%, no incidents, new hire starts Monday.',
];
const UNRELATED = 'Write a SQL query that lists the ten largest customers by revenue in 2025.';
const CORRECTION: TrainingExample[] = [{ text: FAMILY[0] as string, category: 'writing_short' }];

describe('learning from corrections', () => {
  const registry = new ClassifierRegistry();
  const engine = new RoutingEngine({ registry });
  const context = (trainingExamples: readonly TrainingExample[]): RoutingContext => ({
    ruleSet: DEFAULT_RULE_SET,
    categories: BUILT_IN_CATEGORIES,
    models: MODELS,
    trainingExamples,
  });
  const route = (prompt: string, examples: readonly TrainingExample[]) =>
    engine.route({ model: 'auto', messages: [{ role: 'user', content: prompt }] }, context(examples));

  it('routes the corrected prompt family to the corrected category afterwards, and nothing else', async () => {
    const none: TrainingExample[] = [];
    const before = await Promise.all(FAMILY.map((prompt) => route(prompt, none)));
    for (const decision of before) expect(decision.category).not.toBe('writing_short');
    // Before the correction the family was sent to an expensive agentic category.
    expect(before.some((decision) => compareTiers(decision.tier, 'advanced') >= 0)).toBe(true);
    const unrelatedBefore = await route(UNRELATED, none);

    engine.prepare(BUILT_IN_CATEGORIES, CORRECTION); // what every pod does after the config sync
    const after = await Promise.all(FAMILY.map((prompt) => route(prompt, CORRECTION)));
    for (const [index, decision] of after.entries()) {
      expect(decision.category).toBe('writing_short');
      // Within one tier of writing_short's (minimal); members over-routed before now cost less.
      expect(compareTiers(decision.tier, 'low')).toBeLessThanOrEqual(0);
      const previous = (before[index] as typeof decision).tier;
      if (compareTiers(previous, 'low') > 0) expect(compareTiers(decision.tier, previous)).toBeLessThan(0);
      const local = decision.trace.steps.find((step) => step.name === 'local_classifier');
      expect(local?.output.correction).toMatchObject({ category: 'writing_short' });
    }
    const unrelatedAfter = await route(UNRELATED, CORRECTION);
    expect(unrelatedAfter.category).toBe(unrelatedBefore.category);
    expect(unrelatedAfter.tier).toBe(unrelatedBefore.tier);
  });

  it('retrains the tier model once per distinct set of corrections', () => {
    const examples: TrainingExample[] = [
      { text: 'a fresh correction for the tier model', category: 'smalltalk' },
    ];
    const trained = registry.tierTrainingCount;
    registry.tierModel(BUILT_IN_CATEGORIES, examples);
    registry.tierModel(BUILT_IN_CATEGORIES, examples);
    registry.tierModel(BUILT_IN_CATEGORIES, [...examples]); // same content, new array
    expect(registry.tierTrainingCount).toBe(trained + 1);
  });

  it('marks only admin-added examples as corrections; a far-off request matches none', () => {
    const texts = trainingSet(BUILT_IN_CATEGORIES, CORRECTION);
    expect(texts.filter((text) => text.correction).map((text) => text.text)).toEqual([FAMILY[0]]);
    const classifier = trainLocalClassifier(texts);
    expect(classifier.classify({ text: FAMILY[1] as string }).correction?.similarity).toBeGreaterThanOrEqual(
      CORRECTION_MATCH,
    );
    expect(classifier.classify({ text: UNRELATED }).correction).toBeUndefined();
    expect(classifier.classify({ text: 'Wie spät ist es in Tokio?' }).correction).toBeUndefined();
  });
});
