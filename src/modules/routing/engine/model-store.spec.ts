import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';

import { BUILT_IN_CATEGORIES } from '../data/categories.data';
import { ClassifierRegistry, trainStates, type TrainingJob } from './classifier-registry';
import { DiskModelStore, ownTypedArrays } from './model-store';

const categories = BUILT_IN_CATEGORIES.slice(0, 12);
// The tier models of registries without their own examples are also shared in memory per process:
// every test trains on its own admin example, so each starts cold.
let serial = 0;
const uniqueExtra = (): { text: string; category: string }[] => [
  {
    text: `please draft polite reminder ${(serial += 1)} about the unpaid invoice`,
    category: 'email_business',
  },
];
const queries = ['Bonjour, merci beaucoup !', 'Our build server is calling out to unknown hosts at night'];

describe('DiskModelStore', () => {
  // Each training reads the ~4 400 shipped tier examples: seconds on a busy box.
  jest.setTimeout(60_000);
  let dir: string;
  let jobs: TrainingJob[];
  let extra: { text: string; category: string }[];
  // The training worker's work, in-process (training-worker.spec.ts covers the worker itself).
  const trainer = (job: TrainingJob): Promise<ReturnType<typeof trainStates>> => {
    jobs.push(job);
    return Promise.resolve(trainStates(job));
  };

  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'prism-model-store-')), 'models');
    jobs = [];
    extra = uniqueExtra();
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('lets a second process load the models the first one trained, with identical answers', async () => {
    const first = new ClassifierRegistry({ store: new DiskModelStore(dir) });
    await first.prepareAsync(categories, extra, trainer);
    expect(jobs).toHaveLength(1);
    expect(readdirSync(dir).filter((name) => name.endsWith('.bin'))).toHaveLength(2);

    // A fresh module instance stands for the second process (no tier model shared in memory).
    let Fresh: typeof ClassifierRegistry = ClassifierRegistry;
    jest.isolateModules(() => {
      ({ ClassifierRegistry: Fresh } =
        jest.requireActual<typeof import('./classifier-registry')>('./classifier-registry'));
    });
    expect(Fresh).not.toBe(ClassifierRegistry);
    const second = new Fresh({ store: new DiskModelStore(dir) });
    await second.prepareAsync(categories, extra, trainer);
    expect(jobs).toHaveLength(1);
    expect([second.trainingCount, second.tierTrainingCount]).toEqual([0, 0]);
    for (const text of queries) {
      expect(second.get(categories, extra).classify({ text })).toEqual(
        first.get(categories, extra).classify({ text }),
      );
      const query = { lastUser: text, signals: { tokens: 20 } };
      expect(second.tierModel(categories, extra).predict(query)).toEqual(
        first.tierModel(categories, extra).predict(query),
      );
    }
  });

  it('trains again when an example or a category tier changes', async () => {
    await new ClassifierRegistry({ store: new DiskModelStore(dir) }).prepareAsync(categories, extra, trainer);
    const moreExamples = [...extra, { text: 'summarise this meeting', category: 'summary_short' }];
    await new ClassifierRegistry({ store: new DiskModelStore(dir) }).prepareAsync(
      categories,
      moreExamples,
      trainer,
    );
    expect(jobs).toHaveLength(2);
    // Only the tier model reads the tiers: the classifier still loads.
    const retiered = categories.map((category, index) =>
      index === 0 ? { ...category, tier: 'ultra' as const } : category,
    );
    await new ClassifierRegistry({ store: new DiskModelStore(dir) }).prepareAsync(retiered, extra, trainer);
    expect(jobs.slice(2)).toEqual([expect.objectContaining({ classifier: false, tierModel: true })]);
  });

  it('treats a damaged file as a miss and trains', async () => {
    await new ClassifierRegistry({ store: new DiskModelStore(dir) }).prepareAsync(categories, extra, trainer);
    for (const name of readdirSync(dir)) writeFileSync(join(dir, name), 'not a model');
    const registry = new ClassifierRegistry({ store: new DiskModelStore(dir) });
    await registry.prepareAsync(categories, extra, trainer);
    expect(jobs).toHaveLength(2);
    expect(registry.get(categories, extra).classify({ text: queries[0] as string }).category).toBeTruthy();
  });

  it('keeps only the newest models', async () => {
    for (let round = 0; round < 3; round += 1) {
      const examples = [{ text: `reminder number ${round} about the invoice`, category: 'email_business' }];
      await new ClassifierRegistry({ store: new DiskModelStore(dir, 3) }).prepareAsync(
        categories,
        examples,
        trainer,
      );
    }
    expect(readdirSync(dir).filter((name) => name.endsWith('.bin'))).toHaveLength(3);
  });

  it('is not used with tier examples of the caller (cross-validation, tests)', async () => {
    const registry = new ClassifierRegistry({ tierExamples: [], store: new DiskModelStore(dir) });
    await registry.prepareAsync(categories, extra, trainer);
    expect(() => readdirSync(dir)).toThrow();
  });
});

describe('ownTypedArrays', () => {
  it('gives each deserialised typed array its own buffer, so none keeps the whole message alive', () => {
    const message = deserialize(
      serialize({ weights: new Float32Array([1, 2, 3]), rows: new Map([[7, { idf: new Int32Array([4]) }]]) }),
    ) as { weights: Float32Array; rows: Map<number, { idf: Int32Array }> };
    // v8.deserialize returns views into one buffer holding the whole message.
    expect(message.weights.buffer.byteLength).toBeGreaterThan(message.weights.byteLength);
    const owned = ownTypedArrays(message);
    expect(owned.weights.buffer.byteLength).toBe(owned.weights.byteLength);
    expect(Array.from(owned.weights)).toEqual([1, 2, 3]);
    const idf = owned.rows.get(7)?.idf as Int32Array;
    expect(idf.buffer.byteLength).toBe(idf.byteLength);
    expect(Array.from(idf)).toEqual([4]);
  });
});
