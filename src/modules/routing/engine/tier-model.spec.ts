import { TIERS, type Tier } from '../../../common/tiers';
import { BUILT_IN_CATEGORIES } from '../data/categories.data';
import { shippedTierExamples, tierTrainingSet } from './classifier-registry';
import { textFeatures } from './local-classifier';
import { bandRisk, tierFeatures, trainTierModel, type TierExample, type TierQuery } from './tier-model';

const plain = { tokens: 20 };
const example = (tier: Tier, lastUser: string): TierExample => ({ tier, lastUser, signals: plain });
const query = (lastUser: string): TierQuery => ({ lastUser, signals: plain });

const SMALL: TierExample[] = [
  example('micro', 'hello there'),
  example('micro', 'thanks a lot'),
  example('micro', 'hi, good morning'),
  example('low', 'write a python function that sorts a list'),
  example('low', 'write a sql query that counts the orders'),
  example('low', 'write a bash script that copies the logs'),
  example('critical', 'my father takes warfarin, is this dose of aspirin dangerous'),
  example('critical', 'the insulin dose for my diabetic mother with kidney failure'),
  example('critical', 'is it dangerous to combine warfarin with ibuprofen'),
];

describe('tier model', () => {
  it('learns tiers from examples and is deterministic', () => {
    const model = trainTierModel(SMALL);
    // The chosen tier is the one most likely inside the band (label ±1), leaning up.
    expect(['micro', 'minimal']).toContain(model.predict(query('hello, thanks')).tier);
    expect(['low', 'medium']).toContain(
      model.predict(query('write a python script that renames files')).tier,
    );
    // Under-routing is penalised: a medical dosing question is never sent below high.
    expect(['high', 'ultra', 'critical']).toContain(model.predict(query('warfarin dose for my mother')).tier);
    const again = trainTierModel(SMALL);
    expect(again.predict(query('warfarin dose')).probabilities).toEqual(
      model.predict(query('warfarin dose')).probabilities,
    );
  });

  it('band risk: in band within one tier of the label (critical: high…critical), under below it', () => {
    const certain = (tier: Tier): number[] => TIERS.map((t) => (t === tier ? 1 : 0));
    expect(bandRisk(certain('medium'), 'low')).toEqual({ inBand: 1, under: 0 });
    expect(bandRisk(certain('medium'), 'minimal')).toEqual({ inBand: 0, under: 1 });
    expect(bandRisk(certain('medium'), 'high')).toEqual({ inBand: 0, under: 0 });
    expect(bandRisk(certain('critical'), 'high')).toEqual({ inBand: 1, under: 0 });
    expect(bandRisk(certain('critical'), 'advanced')).toEqual({ inBand: 0, under: 1 });
  });

  it('reuses the caller’s features of a short text exactly', () => {
    const model = trainTierModel(SMALL);
    const text = 'write a function that parses dates';
    expect(tierFeatures(query(text), textFeatures(text).features)).toEqual(tierFeatures(query(text)));
    expect(model.predict(query(text), textFeatures(text).features)).toEqual(model.predict(query(text)));
  });

  it('trains on the shipped examples and the built-in categories, and predicts well under a millisecond', () => {
    const model = trainTierModel(tierTrainingSet(BUILT_IN_CATEGORIES));
    expect(model.stats.examples).toBeGreaterThan(shippedTierExamples().length);
    expect(model.stats.trainingMs).toBeLessThan(20_000);
    const request: TierQuery = {
      lastUser: 'Can you write a Dockerfile for my Node service with a multi-stage build?',
      signals: { tokens: 25 },
    };
    const shared = textFeatures(request.lastUser).features;
    for (let warm = 0; warm < 50; warm += 1) model.predict(request, shared);
    // The fastest of several batches, so a busy CI box does not fail the test.
    let perCall = Infinity;
    for (let batch = 0; batch < 5; batch += 1) {
      const started = performance.now();
      for (let run = 0; run < 100; run += 1) model.predict(request, shared);
      perCall = Math.min(perCall, (performance.now() - started) / 100);
    }
    expect(perCall).toBeLessThan(1);
    expect(model.predict(request).tier).toMatch(/^(low|medium|advanced)$/);
    for (const [text, tiers] of [
      ['谢谢你的帮助！', ['micro', 'minimal']],
      ['ありがとうございました！', ['micro', 'minimal']],
      ['Mon père prend de la warfarine, quelle dose d’aspirine est sûre ?', ['high', 'ultra', 'critical']],
    ] as const) {
      expect(tiers).toContain(model.predict({ lastUser: text, signals: { tokens: 20 } }).tier);
    }
  });
});
