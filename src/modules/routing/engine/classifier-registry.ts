/**
 * Keeps one trained local classifier per distinct set of categories and examples. The gateway's
 * config cache hands the same categories array to every request until an admin changes something,
 * so the common lookup is a WeakMap hit; a changed array with identical content (e.g. after a
 * cache refresh) is recognised by a content fingerprint and not retrained.
 */
import type { TrainingExample } from '../router.interface';
import { trainLocalClassifier, type LabelledText, type LocalClassifier } from './local-classifier';
import type { RoutingCategory } from './routing.types';

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
  for (const example of extra)
    if (enabled.has(example.category)) texts.push({ text: example.text, category: example.category });
  return texts;
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

export class ClassifierRegistry {
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
}
