import { BUILT_IN_CATEGORIES } from '../data/categories.data';
import { ClassifierRegistry, trainStates, type TrainingJob } from './classifier-registry';
import { RoutingEngine } from './routing-engine';
import { trainInWorker } from './training-worker';

const categories = BUILT_IN_CATEGORIES.slice(0, 16);
const extra = [
  { text: 'please draft a polite reminder about the unpaid invoice', category: 'email_business' },
];
const queries = [
  'Bonjour, merci beaucoup !',
  'Write a SQL query with a window function for the running total per customer',
  'Our build server is calling out to unknown hosts at night, what do we do now?',
];

describe('training in a child process', () => {
  // The worker loads the engine from TypeScript here (ts-register), which takes a few seconds on a busy box.
  jest.setTimeout(60_000);

  it('gives exactly the models trained on the main thread, without blocking the event loop', async () => {
    const job: TrainingJob = { categories, extra, tierExamples: [], classifier: true, tierModel: true };
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 5);
    const started = performance.now();
    const states = await trainInWorker(job);
    const elapsed = performance.now() - started;
    clearInterval(ticker);
    // The loop kept turning while the worker trained (about one tick per 5 ms, with slack for load).
    expect(ticks).toBeGreaterThan(elapsed / 5 / 10);

    const local = trainStates(job);
    expect(states.classifier?.categories).toEqual(local.classifier?.categories);
    expect(states.classifier?.calibration).toEqual(local.classifier?.calibration);
    expect(Array.from(states.classifier?.sparse.weights ?? [])).toEqual(
      Array.from(local.classifier?.sparse.weights ?? []),
    );
    expect(Array.from(states.tierModel?.weights ?? [])).toEqual(Array.from(local.tierModel?.weights ?? []));
    expect([...(states.tierModel?.vocabulary ?? [])]).toEqual([...(local.tierModel?.vocabulary ?? [])]);
  });

  it('installs the models for the arrays it was given, so requests find them without training', async () => {
    const registry = new ClassifierRegistry({ tierExamples: [] });
    const engine = new RoutingEngine({ registry });
    const stats = await engine.prepareInBackground(categories, extra);
    expect(stats.examples).toBeGreaterThan(0);
    const trained = [registry.trainingCount, registry.tierTrainingCount];
    expect(trained).toEqual([1, 1]);
    const reference = new ClassifierRegistry({ tierExamples: [] });
    for (const text of queries) {
      expect(registry.get(categories, extra).classify({ text })).toEqual(
        reference.get(categories, extra).classify({ text }),
      );
    }
    // Served from the cache: nothing was trained on this thread.
    expect([registry.trainingCount, registry.tierTrainingCount]).toEqual(trained);
    await engine.prepareInBackground(categories, extra, () => Promise.reject(new Error('not called')));
  });

  it('rejects when the trainer fails, leaving the cache as it was', async () => {
    const registry = new ClassifierRegistry({ tierExamples: [] });
    const engine = new RoutingEngine({ registry });
    await expect(
      engine.prepareInBackground(categories, extra, () => Promise.reject(new Error('worker died'))),
    ).rejects.toThrow('worker died');
    expect(registry.trainingCount).toBe(0);
  });
});
