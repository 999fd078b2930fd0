/**
 * Stage 3: a small statistical text classifier that runs in-process (no network) in well under a
 * millisecond. It is trained from the categories' example prompts (English and German) plus any
 * admin-added examples, and retrained whenever those change.
 *
 * Model: hashed features (word unigrams, word bigrams, character 3–5-grams inside words, which help
 * with German compounds and code tokens) weighted by log-TF × IDF² and L2-normalised; each category is
 * the normalised centroid of its examples (a Rocchio / nearest-centroid linear model), so a score is
 * the cosine similarity between the request and the category. With a dozen examples per category
 * this beat multinomial and complement Naive Bayes in cross-validation.
 * Scores become probabilities through a softmax whose temperature is fitted on exact leave-one-out
 * predictions over the training examples, so `confidence` is calibrated: across many requests,
 * predictions made with confidence 0.7 are right about 70 % of the time.
 */

/**
 * Math functions as module constants: inside a Node vm context (Jest) every global lookup in a hot
 * loop goes through the context's interceptors, 30× slower; in production it makes no difference.
 */
const { exp, imul, log, log1p, max, sqrt } = Math;

export interface LabelledText {
  text: string;
  category: string;
  /** Relative weight in the class centroid (default 1). */
  weight?: number;
  /** Always trained on, never held out for calibration (e.g. a category's description). */
  auxiliary?: boolean;
  /**
   * An admin correction (an admin-added example): besides counting in its category's centroid, a
   * request that closely resembles it is routed to its category (see {@link CorrectionMatch}).
   */
  correction?: boolean;
}

/** The admin correction a request resembles closely enough to take its category. */
export interface CorrectionMatch {
  category: string;
  /** Cosine similarity between the request and the corrected example. */
  similarity: number;
}

/** The features of one text, with their content-word share (see {@link addFeatures}). */
export interface TextFeatures {
  features: ReadonlyMap<number, number>;
  content: ReadonlyMap<number, number>;
}

export function textFeatures(text: string): TextFeatures {
  const features = new Map<number, number>();
  const content = new Map<number, number>();
  addFeatures(text, 1, features, content);
  return { features, content };
}

export interface ClassifierQuery {
  /** The text to classify (the latest user message). */
  text: string;
  /** `textFeatures(text)` when already computed (the engine shares them with the tier model). */
  textFeatures?: TextFeatures;
  /** Extra context (the previous user turn), mixed in with `contextWeight`. */
  context?: string;
  contextWeight?: number;
  /**
   * Priors from signals the text cannot show: each multiplies the probability of its categories by
   * (1 + factor) before renormalising (code present → code categories, image attached → vision).
   */
  boosts?: readonly { categories: ReadonlySet<string>; factor: number }[];
}

export interface CategoryProbability {
  category: string;
  probability: number;
}

export interface LocalPrediction {
  category: string;
  confidence: number;
  /** The best few categories, most probable first. */
  ranking: readonly CategoryProbability[];
  /** Probability of every category, aligned with {@link LocalClassifier.categories}. */
  probabilities: readonly number[];
  /** Cosine similarity to the closest category centroid (how much the text resembles any example). */
  similarity: number;
  /** Set when the request closely resembles an admin correction (which then decided the category). */
  correction?: CorrectionMatch;
  /**
   * Content similarity to the winning category: like `similarity`, but only features from content
   * words count (not function words such as "the", "before", "andere"), and words the classifier
   * never saw count against it. Low evidence pulls the confidence towards 1 / categories.
   * Absent on predictions rebuilt from a recorded ranking (replay).
   */
  evidence?: number;
}

export interface LocalClassifierStats {
  examples: number;
  categories: number;
  features: number;
  temperature: number;
  /** e₀ of the evidence shrinkage λ = e / (e + e₀) (see `LocalPrediction.evidence`). */
  evidencePrior: number;
  /** Mean negative log-likelihood of the leave-one-out predictions under the fitted calibration. */
  crossValidationLogLoss: number;
  /** Leave-one-out accuracy on the examples (computed during calibration). */
  crossValidationAccuracy: number;
  trainingMs: number;
}

export interface LocalClassifier {
  readonly categories: readonly string[];
  readonly stats: LocalClassifierStats;
  classify(query: ClassifierQuery): LocalPrediction;
}

export interface TrainOptions {
  /** Fit the softmax temperature by leave-one-out (default true). */
  calibrate?: boolean;
}

const BUCKET_BITS = 20;
const BUCKET_MASK = (1 << BUCKET_BITS) - 1;
/**
 * Both local models read at most this much of a text: its head and its tail. The work per request
 * is then bounded by a constant, however long the prompt (a pasted document is told by its size,
 * a signal of its own), and the tier model reuses the classifier's features of the same window.
 */
const ANALYSED_HEAD_CHARS = 700;
const ANALYSED_TAIL_CHARS = 300;
const CHAR_GRAM_WEIGHT = 0.35;
const BIGRAM_WEIGHT = 0.8;
const RANKING_SIZE = 3;
/**
 * A request at least this similar (cosine) to an admin correction is a member of its prompt family:
 * rephrasings of one request share most words and character n-grams (≈ 0.5–0.9), unrelated requests
 * rarely reach 0.3. Such a request gets the correction's category with CORRECTION_SHARE of the mass.
 */
export const CORRECTION_MATCH = 0.5;
const CORRECTION_SHARE = 0.9;
/** Used without calibration (`calibrate: false`, a single category, no held-out examples). */
const DEFAULT_CALIBRATION = { temperature: 0.05, evidencePrior: 1e-3 };

// ------------------------------------------------------------------------------------------------
// Features
// ------------------------------------------------------------------------------------------------

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function hashRange(text: string, start: number, end: number, seed: number): number {
  let hash = FNV_OFFSET ^ seed;
  for (let index = start; index < end; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

function mix(a: number, b: number): number {
  let hash = imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  hash = imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** The bucket of a named feature (e.g. a signal such as `tools`), in namespace `namespace`. */
export function namedFeature(name: string, namespace: number): number {
  return mix(hashRange(name, 0, name.length, 7), namespace) & BUCKET_MASK;
}

const WORD = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]{2,4}/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * Words that say nothing about the task: English and German function words (articles, pronouns,
 * prepositions, conjunctions, auxiliaries, question words, common adverbs), politeness and filler
 * words, and vague pro-forms ("thing", "the other one"). Twelve examples per category are far too few
 * for IDF to learn that "before" or "andere" carry no topic, so this list supplies that knowledge.
 * They still count as features for *which* category wins; they only do not count as evidence for
 * *how sure* the classifier may be (see {@link ClassifierQuery} and `evidence`).
 */
const FUNCTION_WORDS = new Set(
  // English
  (
    'a an the this that these those there here it its i me my mine myself we us our ours you your yours ' +
    'he him his she her hers they them their theirs one ones someone something anything everything nothing ' +
    'thing things stuff other others another same such what which who whom whose when where why how whether ' +
    'is am are was were be been being do does did done doing have has had having will would shall should ' +
    'can could may might must let lets get got go goes going went come make made ' +
    'to of in on at by for from with without about above below over under into onto out up down off ' +
    'again once before after during until while as than then so and or but nor if else also too very ' +
    'really quite just only even still already yet more most less much many some any all each every both ' +
    'either neither no not none yes yeah yep nope ok okay well sure right like maybe perhaps now back ' +
    'please pls thx hmm hm mm uh um ah oh eh hey ' +
    's t d ll re ve m ' +
    // German
    'der die das den dem des ein eine einer eines einem einen kein keine keiner keinen keinem ' +
    'ich du er sie es wir ihr mich dich sich uns euch mir dir ihm ihn ihnen mein meine meinen meinem ' +
    'dein deine deinen sein seine unser unsere euer eure was wer wen wem wie wo wann warum wieso weshalb ' +
    'welche welcher welches welchen ist sind war waren bin bist seid sei wäre hat habe hast haben hatte ' +
    'hatten wird werden wirst wurde würde würden kann kannst können könnte könntest muss musst müssen ' +
    'soll sollte sollen darf mag mach mache machen tu tun gib gibt zu von vom zum zur mit ohne für auf ' +
    'im an am aus bei beim nach vor über unter um durch gegen bis seit zwischen hier da dort jetzt dann ' +
    'denn doch also halt eben mal nochmal noch schon wieder nur auch sehr so und oder aber sondern wenn ' +
    'als ob weil dass daß ja nein nicht etwas nichts alles ding dinge sache sachen andere anderen anderes ' +
    'anderer anderem eins bitte okay naja na äh ähm hm gut genau vorhin davor danach dazu damit darüber ' +
    'dies diese dieser dieses diesen man'
  ).split(' '),
);

function isFunctionWord(word: string): boolean {
  return FUNCTION_WORDS.has(word) || !LETTER_OR_DIGIT.test(word);
}

/**
 * Adds the features of `text`, scaled by `weight`, into `into` (bucket → raw weight). When `content`
 * is given, the share of each feature that comes from content words (not {@link FUNCTION_WORDS}) is
 * added there as well. A non-zero `namespace` moves every feature to its own buckets (so the same
 * word in the system prompt and in the request are different features).
 */
/**
 * Feature updates made by {@link addFeatures} since the process started: tests bound the engine's
 * per-request work by this count instead of by wall-clock time (`routing-engine.spec.ts`).
 */
export const featureWork = { updates: 0 };

/** The part of a text the local models read (idempotent, so shipped examples can store it). */
export function analysedText(text: string): string {
  return text.length > ANALYSED_HEAD_CHARS + ANALYSED_TAIL_CHARS
    ? `${text.slice(0, ANALYSED_HEAD_CHARS)} ${text.slice(-ANALYSED_TAIL_CHARS)}`
    : text;
}

export function addFeatures(
  text: string,
  weight: number,
  into: Map<number, number>,
  content?: Map<number, number>,
  namespace = 0,
  /** Character n-grams too (default); words and word pairs alone are a third of the work. */
  characterGrams = true,
): void {
  const lower = analysedText(text).toLowerCase();
  let isContent = false;
  let updates = 0;
  const add = (raw: number, value: number): void => {
    updates += 1;
    const bucket = namespace === 0 ? raw : mix(raw, namespace) & BUCKET_MASK;
    into.set(bucket, (into.get(bucket) ?? 0) + value);
    if (content && isContent) content.set(bucket, (content.get(bucket) ?? 0) + value);
  };
  let previous = -1;
  let previousContent = false;
  WORD.lastIndex = 0;
  for (let match = WORD.exec(lower); match !== null; match = WORD.exec(lower)) {
    const word = match[0];
    const wordContent = content !== undefined && !isFunctionWord(word);
    const wordHash = hashRange(word, 0, word.length, 1);
    isContent = wordContent;
    add(wordHash & BUCKET_MASK, weight);
    if (previous !== -1) {
      isContent = wordContent || previousContent;
      add(mix(previous, wordHash) & BUCKET_MASK, weight * BIGRAM_WEIGHT);
      isContent = wordContent;
    }
    previous = wordHash;
    previousContent = wordContent;
    if (!characterGrams || word.length < 3) continue;
    const padded = ` ${word} `;
    for (let size = 3; size <= 5; size += 1) {
      for (let start = 0; start + size <= padded.length; start += 1) {
        add(hashRange(padded, start, start + size, 10 + size) & BUCKET_MASK, weight * CHAR_GRAM_WEIGHT);
      }
    }
  }
  featureWork.updates += updates;
}

// ------------------------------------------------------------------------------------------------
// Training
// ------------------------------------------------------------------------------------------------

/** A document as (feature index, weight) pairs over the trained vocabulary. */
interface SparseVector {
  indexes: Int32Array;
  values: Float32Array;
}

export interface Vocabulary {
  /** bucket → feature index */
  index: Map<number, number>;
  /**
   * The same as a dense table over all buckets (−1: unknown), built for classifying: one array read
   * per feature instead of a hash lookup in a map of 10⁵ entries (the largest per-request cost on
   * long prompts, where a request has thousands of features).
   */
  table?: Int32Array;
  idf: Float32Array;
  /** The IDF a feature seen in no example would have. */
  unknownIdf: number;
}

/** bucket → row as a dense table over all 2²⁰ buckets (4 MB), −1 for buckets never seen. */
export function denseIndex(index: ReadonlyMap<number, number>): Int32Array {
  const table = new Int32Array(BUCKET_MASK + 1).fill(-1);
  for (const [bucket, row] of index) table[bucket] = row;
  return table;
}

function featureOf(vocabulary: Vocabulary, bucket: number): number | undefined {
  if (!vocabulary.table) return vocabulary.index.get(bucket);
  const feature = vocabulary.table[bucket] as number;
  return feature < 0 ? undefined : feature;
}

/** log-TF × IDF, L2-normalised; features outside the vocabulary are dropped (one lookup each). */
function toVector(features: ReadonlyMap<number, number>, vocabulary: Vocabulary): SparseVector {
  const indexes = new Int32Array(features.size);
  const values = new Float32Array(features.size);
  let size = 0;
  let norm = 0;
  for (const [bucket, count] of features) {
    const feature = featureOf(vocabulary, bucket);
    if (feature === undefined) continue;
    const value = log1p(count) * (vocabulary.idf[feature] as number);
    indexes[size] = feature;
    values[size] = value;
    norm += value * value;
    size += 1;
  }
  const scale = norm > 0 ? 1 / sqrt(norm) : 0;
  for (let k = 0; k < size; k += 1) values[k] = (values[k] as number) * scale;
  return { indexes: indexes.subarray(0, size), values: values.subarray(0, size) };
}

/**
 * The content part of a document: the known features' weights scaled by the share that came from
 * content words, divided by the norm of the *whole* document, unknown features included (weighted
 * as if seen in no example). Its dot product with a class centroid is the evidence: how much of
 * what the text says, measured in content, the class recognises.
 */
function toContentVector(
  features: ReadonlyMap<number, number>,
  content: ReadonlyMap<number, number>,
  vocabulary: Vocabulary,
): SparseVector {
  let norm = 0;
  for (const [bucket, count] of features) {
    const feature = featureOf(vocabulary, bucket);
    const idf = feature === undefined ? vocabulary.unknownIdf : (vocabulary.idf[feature] as number);
    norm += (log1p(count) * idf) ** 2;
  }
  const indexes = new Int32Array(content.size);
  const values = new Float32Array(content.size);
  let size = 0;
  const scale = norm > 0 ? 1 / sqrt(norm) : 0;
  for (const [bucket, amount] of content) {
    const feature = featureOf(vocabulary, bucket);
    if (feature === undefined) continue;
    const count = features.get(bucket) as number;
    indexes[size] = feature;
    values[size] = log1p(count) * (vocabulary.idf[feature] as number) * (amount / count) * scale;
    size += 1;
  }
  return { indexes: indexes.subarray(0, size), values: values.subarray(0, size) };
}

interface Model {
  classes: number;
  vocabulary: Vocabulary;
  /** Row-major: one row per feature, one column per class (training only). */
  matrix: Float32Array;
}

/**
 * The trained weights in compressed sparse rows: most features occur in only a few categories, so a
 * query touches a handful of weights per feature instead of one per category.
 */
export interface SparseModel {
  classes: number;
  vocabulary: Vocabulary;
  rowStart: Int32Array;
  labels: Uint16Array;
  weights: Float32Array;
}

/**
 * Dot products of a sparse vector with every class column of a dense feature × class matrix
 * (row-major), into `out`: the training kernel of this classifier and of the tier model.
 */
export function dotClassColumns(
  matrix: Float32Array,
  classes: number,
  indexes: Int32Array,
  values: Float32Array,
  out: Float64Array,
): void {
  out.fill(0);
  for (let k = 0; k < indexes.length; k += 1) {
    const row = (indexes[k] as number) * classes;
    const value = values[k] as number;
    for (let label = 0; label < classes; label += 1)
      out[label] = (out[label] as number) + value * (matrix[row + label] as number);
  }
}

function dotAll(model: Model, vector: SparseVector, out: Float64Array): void {
  dotClassColumns(model.matrix, model.classes, vector.indexes, vector.values, out);
}

function toSparse(model: Model): SparseModel {
  const { classes, matrix } = model;
  const features = matrix.length / classes;
  let nonZero = 0;
  for (const weight of matrix) if (weight !== 0) nonZero += 1;
  const rowStart = new Int32Array(features + 1);
  const labels = new Uint16Array(nonZero);
  const weights = new Float32Array(nonZero);
  let cursor = 0;
  for (let feature = 0; feature < features; feature += 1) {
    rowStart[feature] = cursor;
    for (let label = 0; label < classes; label += 1) {
      const weight = matrix[feature * classes + label] as number;
      if (weight === 0) continue;
      labels[cursor] = label;
      weights[cursor] = weight;
      cursor += 1;
    }
  }
  rowStart[features] = cursor;
  return { classes, vocabulary: model.vocabulary, rowStart, labels, weights };
}

function sparseDot(model: SparseModel, vector: SparseVector, out: Float64Array): void {
  out.fill(0);
  const { rowStart, labels, weights } = model;
  const { indexes, values } = vector;
  for (let k = 0; k < indexes.length; k += 1) {
    const feature = indexes[k] as number;
    const value = values[k] as number;
    const end = rowStart[feature + 1] as number;
    for (let cursor = rowStart[feature] as number; cursor < end; cursor += 1) {
      const label = labels[cursor] as number;
      out[label] = (out[label] as number) + value * (weights[cursor] as number);
    }
  }
}

function softmax(scores: Float64Array, temperature: number, out: Float64Array): void {
  let max = -Infinity;
  for (const score of scores) if (score > max) max = score;
  let sum = 0;
  for (let index = 0; index < scores.length; index += 1) {
    const value = exp(((scores[index] as number) - max) / temperature);
    out[index] = value;
    sum += value;
  }
  for (let index = 0; index < out.length; index += 1) out[index] = (out[index] as number) / sum;
}

interface TrainingDoc {
  vector: SparseVector;
  content: SparseVector;
  label: number;
  weight: number;
  auxiliary: boolean;
}

interface HeldOut {
  scores: Float64Array;
  label: number;
  /** Content similarity to the predicted class (see {@link toContentVector}). */
  evidence: number;
}

function sparseSelfDot(a: SparseVector, b: SparseVector): number {
  // Both are built from the same feature map in the same order: a's indexes are a subsequence of b's.
  let total = 0;
  let j = 0;
  for (let k = 0; k < a.indexes.length; k += 1) {
    const index = a.indexes[k] as number;
    while (j < b.indexes.length && b.indexes[j] !== index) j += 1;
    if (j < b.indexes.length) total += (a.values[k] as number) * (b.values[j] as number);
  }
  return total;
}

/**
 * Exact leave-one-out scores: removing one document from its class sum changes only that class's
 * dot product and norm, both computable in O(1) from the full sums, so calibration needs no refits.
 */
function leaveOneOut(model: Model, docs: readonly TrainingDoc[], squaredNorms: Float64Array): HeldOut[] {
  const { classes } = model;
  const results: HeldOut[] = [];
  const dots = new Float64Array(classes);
  const contentDots = new Float64Array(classes);
  for (const doc of docs) {
    if (doc.auxiliary) continue;
    dotAll(model, doc.vector, dots);
    dotAll(model, doc.content, contentDots);
    const scores = new Float64Array(classes);
    const contentScores = new Float64Array(classes);
    for (let label = 0; label < classes; label += 1) {
      let dot = dots[label] as number;
      let contentDot = contentDots[label] as number;
      let squared = squaredNorms[label] as number;
      if (label === doc.label) {
        // |v| = 1 for every document vector.
        squared = squared - 2 * doc.weight * dot + doc.weight * doc.weight;
        dot -= doc.weight;
        contentDot -= doc.weight * sparseSelfDot(doc.content, doc.vector);
      }
      const inverse = squared > 1e-12 ? 1 / sqrt(squared) : 0;
      scores[label] = dot * inverse;
      contentScores[label] = contentDot * inverse;
    }
    let best = 0;
    for (let label = 1; label < classes; label += 1)
      if ((scores[label] as number) > (scores[best] as number)) best = label;
    results.push({
      scores,
      label: doc.label,
      evidence: max(0, contentScores[best] as number),
    });
  }
  return results;
}

/**
 * How far the softmax may be trusted, as evidence-weighted shrinkage: λ = e / (e + e₀) for content
 * evidence e (a pseudo-count prior of strength e₀), and the prediction is λ·softmax + (1 − λ)·uniform.
 * A request without any content evidence (only function words, or only words the classifier never
 * saw) gets λ = 0: no category is more likely than another.
 */
export interface EvidenceCalibration {
  temperature: number;
  /** e₀: the content evidence at which the softmax gets half the weight. */
  evidencePrior: number;
}

function trust(evidence: number, calibration: EvidenceCalibration): number {
  return evidence > 0 ? evidence / (evidence + calibration.evidencePrior) : 0;
}

/** Golden-section search for the minimum of a unimodal function on [low, high]. */
function goldenSection(loss: (x: number) => number, low: number, high: number, steps = 24): number {
  const ratio = (sqrt(5) - 1) / 2;
  let left = high - ratio * (high - low);
  let right = low + ratio * (high - low);
  let leftLoss = loss(left);
  let rightLoss = loss(right);
  for (let step = 0; step < steps; step += 1) {
    if (leftLoss < rightLoss) {
      high = right;
      right = left;
      rightLoss = leftLoss;
      left = high - ratio * (high - low);
      leftLoss = loss(left);
    } else {
      low = left;
      left = right;
      leftLoss = rightLoss;
      right = low + ratio * (high - low);
      rightLoss = loss(right);
    }
  }
  return (low + high) / 2;
}

/**
 * Fits the softmax temperature, then the evidence prior e₀ (temperature fixed), by minimising the
 * negative log-likelihood of the leave-one-out predictions; each loss is unimodal in the log of its
 * parameter, so golden-section search suffices.
 */
function calibrate(
  heldOut: readonly HeldOut[],
  classes: number,
): EvidenceCalibration & { accuracy: number; logLoss: number } {
  if (heldOut.length === 0) return { ...DEFAULT_CALIBRATION, accuracy: 0, logLoss: 0 };
  let correct = 0;
  for (const { scores, label } of heldOut) {
    let best = 0;
    for (let index = 1; index < classes; index += 1)
      if ((scores[index] as number) > (scores[best] as number)) best = index;
    if (best === label) correct += 1;
  }
  const probabilities = new Float64Array(classes);
  const labelProbability = new Float64Array(heldOut.length);
  const softmaxAt = (temperature: number): void => {
    heldOut.forEach(({ scores, label }, index) => {
      softmax(scores, temperature, probabilities);
      labelProbability[index] = probabilities[label] as number;
    });
  };
  const loss = (fit: EvidenceCalibration | null): number => {
    let total = 0;
    heldOut.forEach(({ evidence }, index) => {
      const weight = fit ? trust(evidence, fit) : 1;
      const p = weight * (labelProbability[index] as number) + (1 - weight) / classes;
      total -= log(max(1e-12, p));
    });
    return total;
  };
  const temperature =
    10 **
    goldenSection(
      (logTemperature) => {
        softmaxAt(10 ** logTemperature);
        return loss(null);
      },
      -3,
      0.5,
    );
  softmaxAt(temperature);
  const evidencePrior =
    10 ** goldenSection((logPrior) => loss({ temperature, evidencePrior: 10 ** logPrior }), -6, 0);
  const fit = { temperature, evidencePrior };
  return { ...fit, accuracy: correct / heldOut.length, logLoss: loss(fit) / heldOut.length };
}

/**
 * A trained classifier as plain data (typed arrays, maps, numbers): what the training worker
 * (`training.worker.ts`) sends back to the main thread, which wraps it with
 * {@link localClassifierFromState} at negligible cost.
 */
export interface LocalClassifierState {
  categories: string[];
  stats: LocalClassifierStats;
  calibration: EvidenceCalibration;
  sparse: SparseModel;
  corrections: CorrectionData | null;
}

/** Trains a classifier; examples with empty text or category are ignored. */
export function trainLocalClassifier(
  examples: readonly LabelledText[],
  options: TrainOptions = {},
): LocalClassifier {
  return localClassifierFromState(trainLocalClassifierState(examples, options));
}

/** Trains a classifier and returns it as plain data (see {@link LocalClassifierState}). */
export function trainLocalClassifierState(
  examples: readonly LabelledText[],
  options: TrainOptions = {},
): LocalClassifierState {
  const started = performance.now();
  const categories: string[] = [];
  const categoryIndex = new Map<string, number>();
  const featureMaps: Map<number, number>[] = [];
  const contentMaps: Map<number, number>[] = [];
  const labels: number[] = [];
  const meta: { weight: number; auxiliary: boolean; correction: boolean }[] = [];
  for (const example of examples) {
    const text = example.text.trim();
    if (text.length === 0 || example.category.length === 0) continue;
    let label = categoryIndex.get(example.category);
    if (label === undefined) {
      label = categories.length;
      categories.push(example.category);
      categoryIndex.set(example.category, label);
    }
    const features = new Map<number, number>();
    const content = new Map<number, number>();
    addFeatures(text, 1, features, content);
    featureMaps.push(features);
    contentMaps.push(content);
    labels.push(label);
    meta.push({
      weight: max(0, example.weight ?? 1),
      auxiliary: example.auxiliary === true,
      correction: example.correction === true,
    });
  }
  const classes = categories.length;

  const documentFrequency = new Map<number, number>();
  for (const features of featureMaps) {
    for (const bucket of features.keys())
      documentFrequency.set(bucket, (documentFrequency.get(bucket) ?? 0) + 1);
  }
  // Squared IDF: with so few examples, plain IDF leaves function words ("what", "do", "this")
  // strong enough to decide short, vague requests; squaring raised leave-one-out accuracy.
  const idfOf = (frequency: number): number => (log((1 + featureMaps.length) / (1 + frequency)) + 1) ** 2;
  const vocabulary: Vocabulary = {
    index: new Map(),
    idf: new Float32Array(documentFrequency.size),
    unknownIdf: idfOf(0),
  };
  for (const [bucket, frequency] of documentFrequency) {
    const feature = vocabulary.index.size;
    vocabulary.index.set(bucket, feature);
    vocabulary.idf[feature] = idfOf(frequency);
  }
  const docs: TrainingDoc[] = featureMaps.map((features, index) => ({
    vector: toVector(features, vocabulary),
    content: toContentVector(features, contentMaps[index] as Map<number, number>, vocabulary),
    label: labels[index] as number,
    weight: (meta[index] as { weight: number }).weight,
    auxiliary: (meta[index] as { auxiliary: boolean }).auxiliary,
  }));

  // Class sums, then their squared norms; the final model divides each column by its norm so a
  // score is the cosine similarity between the request and the category centroid.
  const matrix = new Float32Array(vocabulary.index.size * classes);
  for (const doc of docs) {
    for (let k = 0; k < doc.vector.indexes.length; k += 1) {
      const offset = (doc.vector.indexes[k] as number) * classes + doc.label;
      matrix[offset] = (matrix[offset] as number) + doc.weight * (doc.vector.values[k] as number);
    }
  }
  const squaredNorms = new Float64Array(classes);
  for (let row = 0; row < matrix.length; row += classes) {
    for (let label = 0; label < classes; label += 1) {
      squaredNorms[label] = (squaredNorms[label] as number) + (matrix[row + label] as number) ** 2;
    }
  }
  const model: Model = { classes, vocabulary, matrix };
  const calibration =
    options.calibrate !== false && classes > 1
      ? calibrate(leaveOneOut(model, docs, squaredNorms), classes)
      : { ...DEFAULT_CALIBRATION, accuracy: 0, logLoss: 0 };
  const inverseNorms = Array.from(squaredNorms, (squared) => (squared > 0 ? 1 / sqrt(squared) : 0));
  for (let row = 0; row < matrix.length; row += classes) {
    for (let label = 0; label < classes; label += 1) {
      matrix[row + label] = (matrix[row + label] as number) * (inverseNorms[label] as number);
    }
  }

  const sparse = toSparse(model);
  const corrections = correctionData(
    docs.filter((_, index) => (meta[index] as { correction: boolean }).correction),
    vocabulary.index.size,
  );
  const stats: LocalClassifierStats = {
    examples: docs.filter((doc) => !doc.auxiliary).length,
    categories: classes,
    features: vocabulary.index.size,
    temperature: calibration.temperature,
    evidencePrior: calibration.evidencePrior,
    crossValidationAccuracy: calibration.accuracy,
    crossValidationLogLoss: calibration.logLoss,
    trainingMs: performance.now() - started,
  };
  const fit = { temperature: calibration.temperature, evidencePrior: calibration.evidencePrior };
  return { categories, stats, calibration: fit, sparse, corrections };
}

/** The classifier of a trained state (cheap: no copy of the weights). */
export function localClassifierFromState(state: LocalClassifierState): LocalClassifier {
  const { categories, stats, calibration, sparse } = state;
  const { classes } = sparse;
  const vocabulary: Vocabulary = { ...sparse.vocabulary, table: denseIndex(sparse.vocabulary.index) };
  const corrections = correctionIndex(state.corrections);
  return {
    categories,
    stats,
    classify(query: ClassifierQuery): LocalPrediction {
      if (classes === 0)
        return { category: '', confidence: 0, ranking: [], probabilities: [], similarity: 0, evidence: 0 };
      const withContext =
        query.context !== undefined && query.context !== '' && (query.contextWeight ?? 0) > 0;
      let features: ReadonlyMap<number, number>;
      let content: ReadonlyMap<number, number>;
      if (query.textFeatures && !withContext) {
        // Read-only use: no copy of the request's features.
        ({ features, content } = query.textFeatures);
      } else {
        const ownFeatures = new Map<number, number>(query.textFeatures?.features);
        const ownContent = new Map<number, number>(query.textFeatures?.content);
        if (!query.textFeatures) addFeatures(query.text, 1, ownFeatures, ownContent);
        if (withContext) addFeatures(query.context ?? '', query.contextWeight ?? 0, ownFeatures, ownContent);
        features = ownFeatures;
        content = ownContent;
      }
      const scores = new Float64Array(classes);
      const vector = toVector(features, vocabulary);
      sparseDot(sparse, vector, scores);
      let top = 0;
      for (let index = 1; index < classes; index += 1)
        if ((scores[index] as number) > (scores[top] as number)) top = index;
      const contentScores = new Float64Array(classes);
      sparseDot(sparse, toContentVector(features, content, vocabulary), contentScores);
      const evidence = max(0, contentScores[top] as number);
      const probabilities = new Float64Array(classes);
      softmax(scores, calibration.temperature, probabilities);
      const weight = trust(evidence, calibration);
      for (let index = 0; index < classes; index += 1)
        probabilities[index] = weight * (probabilities[index] as number) + (1 - weight) / classes;
      for (const boost of query.boosts ?? []) {
        if (boost.factor <= 0 || boost.categories.size === 0) continue;
        let sum = 0;
        for (let index = 0; index < classes; index += 1) {
          if (boost.categories.has(categories[index] as string)) {
            probabilities[index] = (probabilities[index] as number) * (1 + boost.factor);
          }
          sum += probabilities[index] as number;
        }
        for (let index = 0; index < classes; index += 1)
          probabilities[index] = (probabilities[index] as number) / sum;
      }
      const match = corrections.closest(vector);
      if (match && match.similarity >= CORRECTION_MATCH) {
        for (let index = 0; index < classes; index += 1)
          probabilities[index] =
            (1 - CORRECTION_SHARE) * (probabilities[index] as number) +
            (index === match.label ? CORRECTION_SHARE : 0);
      }
      const ranking: CategoryProbability[] = [];
      for (let index = 0; index < classes; index += 1) {
        const probability = probabilities[index] as number;
        const last = ranking[ranking.length - 1];
        if (ranking.length < RANKING_SIZE || (last && probability > last.probability)) {
          ranking.push({ category: categories[index] as string, probability });
          ranking.sort((a, b) => b.probability - a.probability);
          if (ranking.length > RANKING_SIZE) ranking.pop();
        }
      }
      const best = ranking[0] as CategoryProbability;
      return {
        category: best.category,
        confidence: best.probability,
        ranking,
        probabilities: Array.from(probabilities),
        similarity: scores[top] as number,
        evidence,
        ...(match && match.similarity >= CORRECTION_MATCH
          ? { correction: { category: categories[match.label] as string, similarity: match.similarity } }
          : {}),
      };
    },
  };
}

interface CorrectionIndex {
  /** The most similar correction (cosine) and its label; null without corrections. */
  closest(vector: SparseVector): { label: number; similarity: number } | null;
}

/**
 * An inverted index over the corrections' normalised vectors: a query touches only the corrections
 * that share a feature with it, so hundreds of corrections cost a few microseconds.
 */
export interface CorrectionData {
  /** Category label of each correction. */
  labels: Int32Array;
  /** Per feature, the slice of `members`/`values` holding the corrections that contain it. */
  rowStart: Int32Array;
  members: Int32Array;
  values: Float32Array;
}

function correctionData(docs: readonly TrainingDoc[], features: number): CorrectionData | null {
  if (docs.length === 0) return null;
  const rowStart = new Int32Array(features + 1);
  for (const doc of docs)
    for (const feature of doc.vector.indexes) rowStart[feature + 1] = (rowStart[feature + 1] as number) + 1;
  for (let feature = 0; feature < features; feature += 1)
    rowStart[feature + 1] = (rowStart[feature + 1] as number) + (rowStart[feature] as number);
  const fill = rowStart.slice(0, features);
  const members = new Int32Array(rowStart[features] as number);
  const values = new Float32Array(members.length);
  docs.forEach((doc, member) => {
    doc.vector.indexes.forEach((feature, k) => {
      const slot = fill[feature] as number;
      members[slot] = member;
      values[slot] = doc.vector.values[k] as number;
      fill[feature] = slot + 1;
    });
  });
  return { labels: Int32Array.from(docs, (doc) => doc.label), rowStart, members, values };
}

function correctionIndex(data: CorrectionData | null): CorrectionIndex {
  if (!data) return { closest: () => null };
  const { labels, rowStart, members, values } = data;
  return {
    closest(vector: SparseVector) {
      const similarity = new Float64Array(labels.length);
      for (let k = 0; k < vector.indexes.length; k += 1) {
        const feature = vector.indexes[k] as number;
        const value = vector.values[k] as number;
        for (let slot = rowStart[feature] as number; slot < (rowStart[feature + 1] as number); slot += 1) {
          const member = members[slot] as number;
          similarity[member] = (similarity[member] as number) + value * (values[slot] as number);
        }
      }
      let best = 0;
      for (let member = 1; member < labels.length; member += 1)
        if ((similarity[member] as number) > (similarity[best] as number)) best = member;
      return { label: labels[best] as number, similarity: similarity[best] as number };
    },
  };
}
