/**
 * A second local model next to the category classifier: multinomial logistic regression that
 * predicts the *tier* a request needs directly, from hashed word and character n-grams of the
 * request (and, in their own feature spaces, of the system prompt and the previous turn) plus its
 * structural signals (size, tools, agent, images, code, domains, task cues).
 *
 * Why a tier model: the category classifier only knows a dozen examples per category, and a
 * request that resembles no category well lands on a near-random one whose tier can be far off.
 * Tier labels are cheaper to collect than category labels (the blind evaluation sets carry only a
 * tier), and the tier is what decides cost and quality. The model is trained on the categories'
 * examples (labelled with their category's tier), admin corrections (same) and the shipped
 * tier-labelled examples (`data/tier-examples.data.ts`); it bounds the combined decision when it is
 * sure the decision is out of band (see `applyTierModel` in combine.ts).
 *
 * Training: soft labels (the tier and its neighbours, because the tier *band* is what matters),
 * AdaGrad with L2, a fixed number of epochs in a seeded order: deterministic for the same input
 * (TIER_TRAINING).
 */
import { TIERS, type Tier } from '../../../common/tiers';
import type { RoutingSignals } from '../router.interface';
import { addFeatures, analysedText, denseIndex, dotClassColumns, namedFeature } from './local-classifier';

/**
 * Math functions as module constants: inside a Node vm context (Jest) every global lookup in a hot
 * loop goes through the context's interceptors, 30× slower; in production it makes no difference.
 */
const { exp, floor, imul, log1p, sqrt } = Math;

/** What the tier model reads of a request (texts are the capped ones of `extractSignals`). */
export interface TierQuery {
  lastUser: string;
  previousUser?: string;
  system?: string;
  signals: TierSignals;
}

/** The signals the tier model uses; compact so shipped examples can store them. */
export interface TierSignals {
  tokens: number;
  tools?: boolean;
  agent?: boolean;
  toolContinuation?: boolean;
  images?: boolean;
  code?: boolean;
  turns?: number;
  domains?: readonly string[];
  cues?: readonly string[];
}

export interface TierExample extends TierQuery {
  tier: Tier;
  weight?: number;
}

export interface TierPrediction {
  /** Probability of each tier label, aligned with TIERS. */
  probabilities: readonly number[];
  /** The tier with the best chance of being inside the label's band, under-routing penalised. */
  tier: Tier;
  /** Probability that `tier` is inside the band of the true label. */
  confidence: number;
}

export interface TierModelStats {
  examples: number;
  features: number;
  trainingMs: number;
}

export interface TierModel {
  readonly stats: TierModelStats;
  /** `lastUserFeatures`: `addFeatures(query.lastUser)` when already computed (reused for short texts). */
  predict(query: TierQuery, lastUserFeatures?: ReadonlyMap<number, number>): TierPrediction;
}

export function tierSignalsOf(signals: RoutingSignals): TierSignals {
  return {
    tokens: signals.tokens.total,
    tools: signals.hasTools,
    agent: signals.isAgent,
    toolContinuation: signals.isToolContinuation,
    images: signals.hasImages,
    code: signals.hasCode,
    turns: signals.conversationTurns,
    domains: signals.domains,
    cues: signals.cues ?? [],
  };
}

const CLASSES = TIERS.length;
const SYSTEM_NAMESPACE = 0x51;
const CONTEXT_NAMESPACE = 0x52;
const SIGNAL_NAMESPACE = 0x53;
const SYSTEM_CHARS = 1200;
const CONTEXT_WEIGHT = 0.35;
const SYSTEM_WEIGHT = 0.5;
/** Weight of one structural signal feature next to the L2-normalised text part. */
const SIGNAL_WEIGHT = 0.6;

/**
 * Training settings, chosen by 5-fold cross-validation on the dev halves (docs/routing.md). Only
 * `scripts/cv-tier-model.ts` changes them (to compare settings); the engine never does.
 */
export const TIER_TRAINING = {
  /** 6 since the training corpus (~4 400 examples): as good as 12 in cross-validation, half the time. */
  epochs: 6,
  learningRate: 0.3,
  l2: 1e-5,
  /** Share of a label's mass given to each neighbouring tier. */
  neighbourMass: 0.15,
  /** Penalty of an under-routed choice in the band-optimal tier (relative to a band miss). */
  underPenalty: 2.5,
};

/** The part of a request text the model reads: the classifier's window (head and tail). */
export const capped = analysedText;

function tokenBucket(tokens: number): string {
  if (tokens < 30) return 't<30';
  if (tokens < 100) return 't<100';
  if (tokens < 300) return 't<300';
  if (tokens < 1000) return 't<1k';
  if (tokens < 3000) return 't<3k';
  if (tokens < 10000) return 't<10k';
  return 't>=10k';
}

export function cappedSystem(text: string): string {
  return text.slice(0, SYSTEM_CHARS);
}

/**
 * Raw word and character n-gram counts of the query's texts (each text in its own namespace), as
 * the request's own features (`lastUserFeatures` when the caller computed them: both models read
 * the same window of the text) and the other texts' features, kept apart so the request's map is
 * never copied; {@link forEachCount} walks both as one.
 */
function textCounts(
  query: TierQuery,
  lastUserFeatures?: ReadonlyMap<number, number>,
): { own: ReadonlyMap<number, number>; other: Map<number, number> } {
  let own = lastUserFeatures;
  if (!own) {
    const computed = new Map<number, number>();
    addFeatures(capped(query.lastUser), 1, computed);
    own = computed;
  }
  const other = new Map<number, number>();
  if (query.previousUser)
    addFeatures(capped(query.previousUser), CONTEXT_WEIGHT, other, undefined, CONTEXT_NAMESPACE, false);
  if (query.system)
    addFeatures(cappedSystem(query.system), SYSTEM_WEIGHT, other, undefined, SYSTEM_NAMESPACE, false);
  return { own, other };
}

/** Every bucket of `own` and `other` once, with the sum of its counts in both. */
function forEachCount(
  { own, other }: ReturnType<typeof textCounts>,
  visit: (bucket: number, count: number) => void,
): void {
  for (const [bucket, count] of own) visit(bucket, count + (other.get(bucket) ?? 0));
  for (const [bucket, count] of other) if (!own.has(bucket)) visit(bucket, count);
}

const signalBuckets = new Map<string, number>();

/** The buckets of the query's structural signals (each feature has the value SIGNAL_WEIGHT). */
function signalFeatures(signals: TierSignals): number[] {
  const names = [
    tokenBucket(signals.tokens),
    ...(signals.tools ? ['tools'] : []),
    ...(signals.agent ? ['agent'] : []),
    ...(signals.toolContinuation ? ['tool_continuation'] : []),
    ...(signals.images ? ['images'] : []),
    ...(signals.code ? ['code'] : []),
    ...((signals.turns ?? 0) >= 2 ? ['turns>=2'] : []),
    ...(signals.domains ?? []).map((domain) => `domain:${domain}`),
    ...(signals.cues ?? []).map((cue) => `cue:${cue}`),
    'bias',
  ];
  return names.map((name) => {
    let bucket = signalBuckets.get(name);
    if (bucket === undefined) {
      bucket = namedFeature(name, SIGNAL_NAMESPACE);
      signalBuckets.set(name, bucket);
    }
    return bucket;
  });
}

/** Sparse features of a query: log-TF text part, L2-normalised, plus the signal features. */
export function tierFeatures(
  query: TierQuery,
  lastUserFeatures?: ReadonlyMap<number, number>,
): Map<number, number> {
  const counts = textCounts(query, lastUserFeatures);
  const scale = textScale(counts);
  const features = new Map<number, number>();
  forEachCount(counts, (bucket, count) => features.set(bucket, log1p(count) * scale));
  for (const bucket of signalFeatures(query.signals))
    features.set(bucket, (features.get(bucket) ?? 0) + SIGNAL_WEIGHT);
  return features;
}

function textScale(counts: ReturnType<typeof textCounts>): number {
  let norm = 0;
  forEachCount(counts, (_bucket, count) => {
    norm += log1p(count) ** 2;
  });
  return norm > 0 ? 1 / sqrt(norm) : 0;
}

/** Deterministic PRNG (mulberry32) for the training order. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function softLabel(tier: Tier, neighbourMass: number): Float64Array {
  const label = TIERS.indexOf(tier);
  const target = new Float64Array(CLASSES);
  let rest = 1;
  for (const neighbour of [label - 1, label + 1]) {
    if (neighbour < 0 || neighbour >= CLASSES) continue;
    target[neighbour] = neighbourMass;
    rest -= neighbourMass;
  }
  target[label] = rest;
  return target;
}

function bandMin(label: number): number {
  return TIERS[label] === 'critical' ? label - 2 : label - 1;
}

/** P(tier inside the band of the true label) and P(tier below it), under `probabilities`. */
export function bandRisk(probabilities: readonly number[], tier: Tier): { inBand: number; under: number } {
  const index = TIERS.indexOf(tier);
  let inBand = 0;
  let under = 0;
  for (let label = 0; label < CLASSES; label += 1) {
    const p = probabilities[label] as number;
    if (index < bandMin(label)) under += p;
    else if (index <= label + 1) inBand += p;
  }
  return { inBand, under };
}

function bestTier(
  probabilities: readonly number[],
  underPenalty: number,
): { tier: Tier; confidence: number } {
  let best: Tier = TIERS[0];
  let bestScore = -Infinity;
  let confidence = 0;
  for (const tier of TIERS) {
    const risk = bandRisk(probabilities, tier);
    const score = risk.inBand - underPenalty * risk.under;
    if (score > bestScore) {
      bestScore = score;
      best = tier;
      confidence = risk.inBand;
    }
  }
  return { tier: best, confidence };
}

/** A trained tier model as plain data: what the training worker sends back (see training.worker.ts). */
export interface TierModelState {
  stats: TierModelStats;
  /** Feature bucket → row of `weights`. */
  vocabulary: Map<number, number>;
  /** Row-major, one row of CLASSES weights per feature. */
  weights: Float32Array;
}

export function trainTierModel(examples: readonly TierExample[]): TierModel {
  return tierModelFromState(trainTierModelState(examples));
}

export function trainTierModelState(examples: readonly TierExample[]): TierModelState {
  const started = performance.now();
  const options = TIER_TRAINING;
  const vocabulary = new Map<number, number>();
  const docs = examples
    .filter((example) => example.lastUser.trim().length > 0 || (example.system ?? '').trim().length > 0)
    .map((example) => {
      const features = tierFeatures(example);
      const indexes = new Int32Array(features.size);
      const values = new Float32Array(features.size);
      let k = 0;
      for (const [bucket, value] of features) {
        let index = vocabulary.get(bucket);
        if (index === undefined) {
          index = vocabulary.size;
          vocabulary.set(bucket, index);
        }
        indexes[k] = index;
        values[k] = value;
        k += 1;
      }
      return {
        indexes,
        values,
        target: softLabel(example.tier, options.neighbourMass),
        weight: example.weight ?? 1,
      };
    });
  const size = vocabulary.size * CLASSES;
  const weights = new Float32Array(size);
  const squaredGradients = new Float32Array(size);
  const scores = new Float64Array(CLASSES);
  const gradient = new Float64Array(CLASSES);
  const order = docs.map((_, index) => index);
  const next = random(0x5eed);
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    for (let index = order.length - 1; index > 0; index -= 1) {
      const other = floor(next() * (index + 1));
      [order[index], order[other]] = [order[other] as number, order[index] as number];
    }
    for (const position of order) {
      const doc = docs[position] as (typeof docs)[number];
      dotClassColumns(weights, CLASSES, doc.indexes, doc.values, scores);
      softmaxInPlace(scores);
      for (let label = 0; label < CLASSES; label += 1)
        gradient[label] = ((scores[label] as number) - (doc.target[label] as number)) * doc.weight;
      for (let k = 0; k < doc.indexes.length; k += 1) {
        const row = (doc.indexes[k] as number) * CLASSES;
        const value = doc.values[k] as number;
        for (let label = 0; label < CLASSES; label += 1) {
          const cell = row + label;
          const change = (gradient[label] as number) * value + options.l2 * (weights[cell] as number);
          const squared = (squaredGradients[cell] as number) + change * change;
          squaredGradients[cell] = squared;
          weights[cell] = (weights[cell] as number) - (options.learningRate * change) / sqrt(squared + 1e-8);
        }
      }
    }
  }
  const stats: TierModelStats = {
    examples: docs.length,
    features: vocabulary.size,
    trainingMs: performance.now() - started,
  };
  return { stats, vocabulary, weights };
}

/** The model of a trained state (no copy of the weights). */
export function tierModelFromState(state: TierModelState): TierModel {
  const { stats, weights } = state;
  const options = TIER_TRAINING;
  // Dense bucket → row table: one array read per feature (see local-classifier's Vocabulary.table).
  const rows = denseIndex(state.vocabulary);
  return {
    stats,
    predict(query: TierQuery, lastUserFeatures?: ReadonlyMap<number, number>): TierPrediction {
      // The same values as tierFeatures, accumulated straight into the scores.
      const out = new Float64Array(CLASSES);
      const add = (bucket: number, value: number): void => {
        const index = rows[bucket] as number;
        if (index < 0) return;
        const row = index * CLASSES;
        for (let label = 0; label < CLASSES; label += 1)
          out[label] = (out[label] as number) + value * (weights[row + label] as number);
      };
      const counts = textCounts(query, lastUserFeatures);
      const scale = textScale(counts);
      forEachCount(counts, (bucket, count) => add(bucket, log1p(count) * scale));
      for (const bucket of signalFeatures(query.signals)) add(bucket, SIGNAL_WEIGHT);
      softmaxInPlace(out);
      const probabilities = Array.from(out);
      return { probabilities, ...bestTier(probabilities, options.underPenalty) };
    },
  };
}

function softmaxInPlace(scores: Float64Array): void {
  let max = -Infinity;
  for (const score of scores) if (score > max) max = score;
  let sum = 0;
  for (let index = 0; index < scores.length; index += 1) {
    const value = exp((scores[index] as number) - max);
    scores[index] = value;
    sum += value;
  }
  for (let index = 0; index < scores.length; index += 1) scores[index] = (scores[index] as number) / sum;
}
