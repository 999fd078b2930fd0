/**
 * Keeps one trained local classifier per distinct set of categories and examples. The gateway's
 * config cache hands the same categories array to every request until an admin changes something,
 * so the common lookup is a WeakMap hit; a changed array with identical content (e.g. after a
 * cache refresh) is recognised by a content fingerprint and not retrained.
 */
import { TIERS } from '../../../common/tiers';
import { MULTILINGUAL_CATEGORY_EXAMPLES } from '../data/category-examples.multilingual';
import { corpusTierExamples } from '../data/tier-corpus';
import { devTierExamples, WRITTEN_TIER_EXAMPLES } from '../data/tier-examples.data';
import type { TrainingExample } from '../router.interface';
import {
  localClassifierFromState,
  trainLocalClassifierState,
  type LabelledText,
  type LocalClassifier,
  type LocalClassifierState,
} from './local-classifier';
import type { ModelStore } from './model-store';
import type { RoutingCategory } from './routing.types';
import { extractSignals } from './signals';
import {
  TIER_TRAINING,
  tierModelFromState,
  tierSignalsOf,
  trainTierModelState,
  type TierExample,
  type TierModel,
  type TierModelState,
} from './tier-model';

/** A category's name and description count as extra training text with this weight. */
const DESCRIPTION_WEIGHT = 2;
/**
 * Models kept per content besides those bound to live arrays: the current one and the one before
 * (a reverted edit, a refreshed array of the same content). Each tier model holds ≈ 11 MB (weights
 * and its dense feature table), and every correction trains a new one.
 */
const FINGERPRINT_CACHE_SIZE = 2;
const NO_EXTRA: readonly TrainingExample[] = [];

export function trainingSet(
  categories: readonly RoutingCategory[],
  extra: readonly TrainingExample[] = NO_EXTRA,
): LabelledText[] {
  const texts: LabelledText[] = [];
  const enabled = new Set<string>();
  for (const category of categories) {
    if (category.enabled === false) continue;
    enabled.add(category.key);
    for (const example of category.examples) texts.push({ text: example, category: category.key });
    for (const example of shippedExamplesOf(category.key))
      texts.push({ text: example, category: category.key });
    const description = `${category.name}. ${category.description}`.trim();
    if (description.length > 1) {
      texts.push({ text: description, category: category.key, weight: DESCRIPTION_WEIGHT, auxiliary: true });
    }
  }
  // Admin-added examples are the deployment's corrections: a close rephrasing takes their category.
  for (const example of extra)
    if (enabled.has(example.category))
      texts.push({ text: example.text, category: example.category, correction: true });
  return texts;
}

/**
 * The shipped multilingual examples of a built-in category (`data/category-examples.multilingual.ts`;
 * none for a custom category): training text of both local models next to the category's own.
 */
function shippedExamplesOf(key: string): readonly string[] {
  return Object.hasOwn(MULTILINGUAL_CATEGORY_EXAMPLES, key)
    ? (MULTILINGUAL_CATEGORY_EXAMPLES[key] ?? [])
    : [];
}

/** Category examples teach the tier model less than examples labelled with a tier directly. */
const CATEGORY_EXAMPLE_TIER_WEIGHT = 0.5;
/** Admin corrections teach it more: they are the deployment's own traffic. */
const CORRECTION_TIER_WEIGHT = 2;

function tierExampleOf(text: string, tier: RoutingCategory['tier'], weight: number): TierExample {
  const { signals, texts } = extractSignals({ model: 'auto', messages: [{ role: 'user', content: text }] });
  return { lastUser: texts.lastUser, tier, weight, signals: tierSignalsOf(signals) };
}

const SHARED_TIER_MODELS = new Map<string, TierModel>();

/**
 * Weight of a training-corpus row (one writer's label) next to a dev-half row (a settled label of
 * two or three labellers, weight 1); chosen by cross-validation (docs/routing.md, sixth round).
 */
export const CORPUS_TIER_WEIGHT = 1;

/**
 * The shipped tier-labelled examples: the blind sets' dev halves, the written multilingual ones and
 * the blind-written training corpus. Built afresh (the files read again) at every call and never
 * cached: a few MB of objects that only a training needs, which runs in a child process in the
 * gateway (training-worker.ts) and, when that fails, in-process, dropping them afterwards.
 */
export function shippedTierExamples(): TierExample[] {
  return [
    ...devTierExamples(),
    ...WRITTEN_TIER_EXAMPLES.map(([tier, text]) => tierExampleOf(text, tier, 1)),
    ...corpusTierExamples(CORPUS_TIER_WEIGHT),
  ];
}

/**
 * The tier model's training set: the shipped tier-labelled examples, every enabled category's
 * examples labelled with its tier, and the admin-added examples (corrections) likewise.
 */
export function tierTrainingSet(
  categories: readonly RoutingCategory[],
  extra: readonly TrainingExample[] = NO_EXTRA,
  shipped: readonly TierExample[] = shippedTierExamples(),
): TierExample[] {
  const rows: TierExample[] = [...shipped];
  const tiers = new Map<string, RoutingCategory['tier']>();
  for (const category of categories) {
    if (category.enabled === false) continue;
    tiers.set(category.key, category.tier);
    for (const example of category.examples)
      rows.push(tierExampleOf(example, category.tier, CATEGORY_EXAMPLE_TIER_WEIGHT));
    for (const example of shippedExamplesOf(category.key))
      rows.push(tierExampleOf(example, category.tier, CATEGORY_EXAMPLE_TIER_WEIGHT));
  }
  for (const example of extra) {
    const tier = tiers.get(example.category);
    if (tier) rows.push(tierExampleOf(example.text, tier, CORRECTION_TIER_WEIGHT));
  }
  return rows;
}

function fingerprint(texts: readonly LabelledText[]): string {
  let hash = 0x811c9dc5;
  let length = 0;
  for (const { text, category, weight } of texts) {
    const entry = `${category}\u0000${weight ?? 1}\u0000${text}\u0001`;
    length += entry.length;
    for (let index = 0; index < entry.length; index += 1) {
      hash ^= entry.charCodeAt(index);
      hash = Math.imul(hash, 0x01000193);
    }
  }
  return `${texts.length}:${length}:${(hash >>> 0).toString(16)}`;
}

/** The built-in type of a value, also for values of another realm (a Jest test's context). */
const typeOf = (value: unknown): string => Object.prototype.toString.call(value);

function isClassifierState(state: unknown): state is LocalClassifierState {
  const candidate = state as Partial<LocalClassifierState> | undefined;
  return (
    Array.isArray(candidate?.categories) &&
    typeOf(candidate.sparse?.weights) === '[object Float32Array]' &&
    typeOf(candidate.sparse?.vocabulary.index) === '[object Map]'
  );
}

function isTierModelState(state: unknown): state is TierModelState {
  const candidate = state as Partial<TierModelState> | undefined;
  return (
    typeOf(candidate?.vocabulary) === '[object Map]' &&
    typeOf(candidate?.weights) === '[object Float32Array]' &&
    candidate?.weights?.length === (candidate?.vocabulary?.size ?? -1) * TIERS.length &&
    typeof candidate.stats?.examples === 'number'
  );
}

/** What one training run needs, as plain data, so it can run in a training process. */
export interface TrainingJob {
  categories: readonly RoutingCategory[];
  extra: readonly TrainingExample[];
  /** The tier model's tier-labelled examples besides the categories; the shipped ones when absent. */
  tierExamples?: readonly TierExample[];
  /** Which of the two models to train (the other may be cached already). */
  classifier: boolean;
  tierModel: boolean;
}

/** The trained models of a job, as plain data (typed arrays and maps: cheap to send between threads). */
export interface TrainedStates {
  classifier?: LocalClassifierState;
  tierModel?: TierModelState;
}

/** Trains what the job asks for: the same code on the main thread and in the training worker. */
export function trainStates(job: TrainingJob): TrainedStates {
  return {
    ...(job.classifier
      ? { classifier: trainLocalClassifierState(trainingSet(job.categories, job.extra)) }
      : {}),
    ...(job.tierModel
      ? {
          tierModel: trainTierModelState(
            tierTrainingSet(job.categories, job.extra, job.tierExamples ?? shippedTierExamples()),
          ),
        }
      : {}),
  };
}

/** Runs a training job somewhere else (a training process) and resolves with its result. */
export type Trainer = (job: TrainingJob) => Promise<TrainedStates>;

export interface ClassifierRegistryOptions {
  /** Tier-labelled examples the tier model learns from besides the categories (default: shipped). */
  tierExamples?: readonly TierExample[];
  /**
   * Where `prepareAsync` looks for models trained by an earlier process before training, and keeps
   * the ones it trains (see model-store.ts). Only with the shipped tier examples.
   */
  store?: ModelStore;
}

type PerArray<T> = WeakMap<readonly RoutingCategory[], WeakMap<readonly TrainingExample[], T>>;

function bind<T>(
  cache: PerArray<T>,
  categories: readonly RoutingCategory[],
  extra: readonly TrainingExample[],
  value: T,
): void {
  let perExtra = cache.get(categories);
  if (!perExtra) {
    perExtra = new WeakMap();
    cache.set(categories, perExtra);
  }
  perExtra.set(extra, value);
}

function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  cache.set(key, value);
  if (cache.size > FINGERPRINT_CACHE_SIZE) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
}

export class ClassifierRegistry {
  private readonly tierExamples: readonly TierExample[] | undefined;
  private readonly tierByArray: PerArray<TierModel> = new WeakMap();
  private readonly tierByFingerprint = new Map<string, TierModel>();
  private tierTrainings = 0;
  private readonly byArray: PerArray<LocalClassifier> = new WeakMap();
  private readonly byFingerprint = new Map<string, LocalClassifier>();
  private trainings = 0;

  private readonly store: ModelStore | undefined;

  constructor(options: ClassifierRegistryOptions = {}) {
    this.tierExamples = options.tierExamples;
    this.store = options.tierExamples ? undefined : options.store;
  }

  /** How many times this registry trained a tier model (for tests). */
  get tierTrainingCount(): number {
    return this.tierTrainings;
  }

  /** How many times a model was actually trained (for tests and metrics). */
  get trainingCount(): number {
    return this.trainings;
  }

  get(categories: readonly RoutingCategory[], extra: readonly TrainingExample[] = NO_EXTRA): LocalClassifier {
    const cached = this.byArray.get(categories)?.get(extra);
    if (cached) return cached;
    const key = fingerprint(trainingSet(categories, extra));
    let classifier = this.byFingerprint.get(key);
    if (!classifier) {
      classifier = localClassifierFromState(
        trainStates({ categories, extra, classifier: true, tierModel: false })
          .classifier as LocalClassifierState,
      );
      this.trainings += 1;
      remember(this.byFingerprint, key, classifier);
    }
    bind(this.byArray, categories, extra, classifier);
    return classifier;
  }

  /** The tier model for these categories and admin examples (trained once per distinct content). */
  tierModel(categories: readonly RoutingCategory[], extra: readonly TrainingExample[] = NO_EXTRA): TierModel {
    const cached = this.tierByArray.get(categories)?.get(extra);
    if (cached) return cached;
    const key = this.tierKey(categories, extra);
    let model = this.tierCache().get(key);
    if (!model) {
      const job = { categories, extra, classifier: false, tierModel: true, ...this.tierJob() };
      model = tierModelFromState(trainStates(job).tierModel as TierModelState);
      this.tierTrainings += 1;
      remember(this.tierCache(), key, model);
    }
    bind(this.tierByArray, categories, extra, model);
    return model;
  }

  /**
   * Trains both models for these categories and examples with `train` (a training process), so the
   * calling thread stays free; until it resolves, requests keep using the models of the arrays
   * they were routed with before. Afterwards `get` and `tierModel` answer from the cache.
   */
  async prepareAsync(
    categories: readonly RoutingCategory[],
    extra: readonly TrainingExample[] = NO_EXTRA,
    train: Trainer,
  ): Promise<{ classifier: LocalClassifier; tierModel: TierModel }> {
    const classifierKey = fingerprint(trainingSet(categories, extra));
    const tierKey = this.tierKey(categories, extra);
    let classifier = this.byArray.get(categories)?.get(extra) ?? this.byFingerprint.get(classifierKey);
    let tierModel = this.tierByArray.get(categories)?.get(extra) ?? this.tierCache().get(tierKey);
    const stored =
      this.store && (!classifier || !tierModel) ? await this.loadStored(categories, extra) : undefined;
    if (!classifier && stored?.classifier) {
      classifier = stored.classifier;
      remember(this.byFingerprint, classifierKey, classifier);
    }
    if (!tierModel && stored?.tierModel) {
      tierModel = stored.tierModel;
      remember(this.tierCache(), tierKey, tierModel);
    }
    if (!classifier || !tierModel) {
      const states = await train({
        categories,
        extra,
        classifier: !classifier,
        tierModel: !tierModel,
        ...this.tierJob(),
      });
      if (!classifier) {
        if (!states.classifier) throw new Error('the training worker returned no classifier');
        classifier = localClassifierFromState(states.classifier);
        this.trainings += 1;
        remember(this.byFingerprint, classifierKey, classifier);
        if (stored) await this.store?.save(stored.classifierKey, states.classifier);
      }
      if (!tierModel) {
        if (!states.tierModel) throw new Error('the training worker returned no tier model');
        tierModel = tierModelFromState(states.tierModel);
        this.tierTrainings += 1;
        remember(this.tierCache(), tierKey, tierModel);
        if (stored) await this.store?.save(stored.tierKey, states.tierModel);
      }
    }
    bind(this.byArray, categories, extra, classifier);
    bind(this.tierByArray, categories, extra, tierModel);
    return { classifier, tierModel };
  }

  /**
   * The models an earlier process trained from the same input, from the store (each undefined
   * when missing or unreadable), with their store keys. The keys cover the texts, labels and
   * weights both models train on and the tier model's settings; the store adds the code and the
   * shipped examples.
   */
  private async loadStored(
    categories: readonly RoutingCategory[],
    extra: readonly TrainingExample[],
  ): Promise<{
    classifierKey: string;
    tierKey: string;
    classifier?: LocalClassifier;
    tierModel?: TierModel;
  }> {
    const store = this.store as ModelStore;
    const texts = trainingSet(categories, extra);
    const entries = (category: (entry: LabelledText) => string): Iterable<string> =>
      texts.map(
        (entry) =>
          `${category(entry)}\u0000${entry.weight ?? 1}\u0000${entry.auxiliary ? 1 : 0}${entry.correction ? 1 : 0}\u0000${entry.text}`,
      );
    const tierOf = new Map(categories.map((category) => [category.key, category.tier]));
    const classifierKey = await store.key(
      'classifier',
      entries((entry) => entry.category),
    );
    const tierKey = await store.key('tier', [
      JSON.stringify(TIER_TRAINING),
      ...entries((entry) => `${entry.category}:${tierOf.get(entry.category) ?? ''}`),
    ]);
    const [classifierState, tierState] = await Promise.all([store.load(classifierKey), store.load(tierKey)]);
    const result: {
      classifierKey: string;
      tierKey: string;
      classifier?: LocalClassifier;
      tierModel?: TierModel;
    } = {
      classifierKey,
      tierKey,
    };
    // The key is a digest of the content in a private directory, so a file of the wrong shape can
    // only be a damaged one: train instead.
    if (isClassifierState(classifierState)) result.classifier = localClassifierFromState(classifierState);
    if (isTierModelState(tierState)) result.tierModel = tierModelFromState(tierState);
    return result;
  }

  private tierJob(): Pick<TrainingJob, 'tierExamples'> {
    return this.tierExamples ? { tierExamples: this.tierExamples } : {};
  }

  /** With the shipped examples the model depends on the categories only: one cache per process. */
  private tierCache(): Map<string, TierModel> {
    return this.tierExamples ? this.tierByFingerprint : SHARED_TIER_MODELS;
  }

  private tierKey(categories: readonly RoutingCategory[], extra: readonly TrainingExample[]): string {
    // The tier model reads categories through their examples and tiers only.
    const tierOf = new Map(categories.map((category) => [category.key, category.tier]));
    return fingerprint(
      trainingSet(categories, extra).map((entry) => ({
        ...entry,
        category: `${entry.category}:${tierOf.get(entry.category) ?? ''}`,
      })),
    );
  }
}
