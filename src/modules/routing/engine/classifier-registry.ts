/**
 * Keeps one trained local classifier per distinct set of categories and examples. The gateway's
 * config cache hands the same categories array to every request until an admin changes something,
 * so the common lookup is a WeakMap hit; a changed array with identical content (e.g. after a
 * cache refresh) is recognised by a content fingerprint and not retrained.
 */
import { DEV_TIER_EXAMPLES, WRITTEN_TIER_EXAMPLES } from '../data/tier-examples.data';
import type { TrainingExample } from '../router.interface';
import { trainLocalClassifier, type LabelledText, type LocalClassifier } from './local-classifier';
import type { RoutingCategory } from './routing.types';
import { extractSignals } from './signals';
import { tierSignalsOf, trainTierModel, type TierExample, type TierModel } from './tier-model';

/** A category's name and description count as extra training text with this weight. */
const DESCRIPTION_WEIGHT = 2;
const FINGERPRINT_CACHE_SIZE = 8;
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

/** Category examples teach the tier model less than examples labelled with a tier directly. */
const CATEGORY_EXAMPLE_TIER_WEIGHT = 0.5;
/** Admin corrections teach it more: they are the deployment's own traffic. */
const CORRECTION_TIER_WEIGHT = 2;

function tierExampleOf(text: string, tier: RoutingCategory['tier'], weight: number): TierExample {
  const { signals, texts } = extractSignals({ model: 'auto', messages: [{ role: 'user', content: text }] });
  return { lastUser: texts.lastUser, tier, weight, signals: tierSignalsOf(signals) };
}

const SHARED_TIER_MODELS = new Map<string, TierModel>();
let shippedCache: readonly TierExample[] | undefined;

/** The shipped tier-labelled examples: the blind sets' dev halves and the written multilingual ones. */
export function shippedTierExamples(): readonly TierExample[] {
  shippedCache ??= [
    ...DEV_TIER_EXAMPLES,
    ...WRITTEN_TIER_EXAMPLES.map(([tier, text]) => tierExampleOf(text, tier, 1)),
  ];
  return shippedCache;
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

export interface ClassifierRegistryOptions {
  /** Tier-labelled examples the tier model learns from besides the categories (default: shipped). */
  tierExamples?: readonly TierExample[];
}

export class ClassifierRegistry {
  private readonly tierExamples: readonly TierExample[] | undefined;
  private readonly tierByArray = new WeakMap<
    readonly RoutingCategory[],
    WeakMap<readonly TrainingExample[], TierModel>
  >();
  private readonly tierByFingerprint = new Map<string, TierModel>();
  private tierTrainings = 0;

  /** How many times this registry trained a tier model (for tests). */
  get tierTrainingCount(): number {
    return this.tierTrainings;
  }

  constructor(options: ClassifierRegistryOptions = {}) {
    this.tierExamples = options.tierExamples;
  }

  private readonly byArray = new WeakMap<
    readonly RoutingCategory[],
    WeakMap<readonly TrainingExample[], LocalClassifier>
  >();
  private readonly byFingerprint = new Map<string, LocalClassifier>();
  private trainings = 0;

  /** How many times a model was actually trained (for tests and metrics). */
  get trainingCount(): number {
    return this.trainings;
  }

  get(categories: readonly RoutingCategory[], extra: readonly TrainingExample[] = NO_EXTRA): LocalClassifier {
    let perExtra = this.byArray.get(categories);
    const cached = perExtra?.get(extra);
    if (cached) return cached;
    const texts = trainingSet(categories, extra);
    const key = fingerprint(texts);
    let classifier = this.byFingerprint.get(key);
    if (!classifier) {
      classifier = trainLocalClassifier(texts);
      this.trainings += 1;
      this.byFingerprint.set(key, classifier);
      if (this.byFingerprint.size > FINGERPRINT_CACHE_SIZE) {
        const oldest = this.byFingerprint.keys().next().value;
        if (oldest !== undefined) this.byFingerprint.delete(oldest);
      }
    }
    if (!perExtra) {
      perExtra = new WeakMap();
      this.byArray.set(categories, perExtra);
    }
    perExtra.set(extra, classifier);
    return classifier;
  }

  /** The tier model for these categories and admin examples (trained once per distinct content). */
  tierModel(categories: readonly RoutingCategory[], extra: readonly TrainingExample[] = NO_EXTRA): TierModel {
    let perExtra = this.tierByArray.get(categories);
    const cached = perExtra?.get(extra);
    if (cached) return cached;
    // The tier model reads categories through their examples and tiers only.
    const tierOf = new Map(categories.map((category) => [category.key, category.tier]));
    const key = fingerprint(
      trainingSet(categories, extra).map((entry) => ({
        ...entry,
        category: `${entry.category}:${tierOf.get(entry.category) ?? ''}`,
      })),
    );
    // With the shipped examples the model depends on the categories only: one cache per process.
    const cache = this.tierExamples ? this.tierByFingerprint : SHARED_TIER_MODELS;
    let model = cache.get(key);
    if (!model) {
      model = trainTierModel(tierTrainingSet(categories, extra, this.tierExamples ?? shippedTierExamples()));
      this.tierTrainings += 1;
      cache.set(key, model);
      if (cache.size > FINGERPRINT_CACHE_SIZE) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
    }
    if (!perExtra) {
      perExtra = new WeakMap();
      this.tierByArray.set(categories, perExtra);
    }
    perExtra.set(extra, model);
    return model;
  }
}
