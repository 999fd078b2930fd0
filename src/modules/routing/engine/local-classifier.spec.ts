import { BUILT_IN_CATEGORIES } from '../data/categories.data';
import { trainingSet } from './classifier-registry';
import { trainLocalClassifier } from './local-classifier';

const SMALL = [
  { text: 'translate this sentence into French', category: 'translation' },
  { text: 'how do you say good morning in Spanish', category: 'translation' },
  { text: 'übersetze den Text ins Englische', category: 'translation' },
  { text: 'write a python function that sorts a list', category: 'code' },
  { text: 'javascript function to debounce calls', category: 'code' },
  { text: 'schreibe eine Funktion in Go für Primzahlen', category: 'code' },
  { text: 'hello, how are you', category: 'chat' },
  { text: 'thanks, see you tomorrow', category: 'chat' },
  { text: 'hallo, wie geht es dir', category: 'chat' },
];

describe('local classifier', () => {
  it('learns categories from a few examples in English and German', () => {
    const classifier = trainLocalClassifier(SMALL);
    expect(classifier.categories).toEqual(['translation', 'code', 'chat']);
    expect(classifier.classify({ text: 'Please translate the email into German' }).category).toBe(
      'translation',
    );
    expect(classifier.classify({ text: 'Write a TypeScript function that groups items' }).category).toBe(
      'code',
    );
    expect(classifier.classify({ text: 'Hallo! Wie gehts?' }).category).toBe('chat');
  });

  it('returns probabilities that sum to one, with the best first', () => {
    const prediction = trainLocalClassifier(SMALL).classify({ text: 'translate hello into Italian' });
    expect(prediction.probabilities.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 6);
    expect(prediction.ranking[0]).toEqual({
      category: prediction.category,
      probability: prediction.confidence,
    });
    expect(prediction.ranking.map((entry) => entry.probability)).toEqual(
      [...prediction.ranking.map((entry) => entry.probability)].sort((a, b) => b - a),
    );
  });

  it('is less confident on text unlike any example', () => {
    const classifier = trainLocalClassifier(SMALL);
    const clear = classifier.classify({ text: 'translate this sentence into French please' }).confidence;
    const vague = classifier.classify({ text: 'qwerty zxcv' }).confidence;
    expect(vague).toBeLessThan(clear);
    expect(vague).toBeLessThan(0.6);
  });

  it('applies signal boosts and previous-turn context', () => {
    const classifier = trainLocalClassifier(SMALL);
    const plain = classifier.classify({ text: 'and now for the other one' });
    const boosted = classifier.classify({
      text: 'and now for the other one',
      boosts: [{ categories: new Set(['code']), factor: 5 }],
    });
    expect(boosted.probabilities[1]).toBeGreaterThan(plain.probabilities[1] as number);
    const withContext = classifier.classify({
      text: 'and the next one',
      context: 'translate into Spanish',
      contextWeight: 1,
    });
    expect(withContext.category).toBe('translation');
  });

  it('trains the built-in categories quickly, calibrates, and classifies well under a millisecond', () => {
    const classifier = trainLocalClassifier(trainingSet(BUILT_IN_CATEGORIES));
    expect(classifier.stats.categories).toBe(BUILT_IN_CATEGORIES.length);
    expect(classifier.stats.temperature).toBeGreaterThan(0);
    expect(classifier.stats.crossValidationAccuracy).toBeGreaterThan(0.25);
    expect(classifier.stats.trainingMs).toBeLessThan(10_000);
    const query = { text: 'Can you write a Dockerfile for my Node service with a multi-stage build?' };
    for (let warm = 0; warm < 50; warm += 1) classifier.classify(query);
    // The fastest of several batches, so a busy CI box does not fail the test.
    let perCall = Infinity;
    for (let batch = 0; batch < 5; batch += 1) {
      const started = performance.now();
      for (let run = 0; run < 100; run += 1) classifier.classify(query);
      perCall = Math.min(perCall, (performance.now() - started) / 100);
    }
    expect(classifier.classify(query).category).toBe('devops');
    expect(perCall).toBeLessThan(1);
  });

  describe('confidence reflects evidence (built-in categories)', () => {
    const classifier = trainLocalClassifier(trainingSet(BUILT_IN_CATEGORIES));
    // The rule set's default `classifier.confidenceThreshold`: above it the LLM classifier is skipped.
    const DEFAULT_THRESHOLD = 0.65;

    it.each([
      'hmm, what about the thing from before',
      'and the other one?',
      'can you do that again',
      'is that right?',
      'go on',
      'und das andere?',
      'mach das nochmal bitte',
      'wie war das nochmal?',
      'ja, bitte',
    ])('a vague follow-up without context stays below the threshold: %s', (text) => {
      const prediction = classifier.classify({ text });
      expect(prediction.confidence).toBeLessThan(DEFAULT_THRESHOLD);
      expect(prediction.evidence).toBe(0);
    });

    it('the reported case no longer picks a critical category with high confidence', () => {
      const prediction = classifier.classify({ text: 'hmm, what about the thing from before' });
      expect(prediction.confidence).toBeLessThan(0.05);
    });

    it.each([
      ['Write a Python function that parses ISO dates', 'code_basic'],
      ['Summarize this article in three bullet points', 'summary_short'],
      ['What are the side effects of ibuprofen combined with blood thinners?', 'medical'],
      ['Übersetze den folgenden Text ins Französische', 'translation'],
      ['Danke dir, das war super hilfreich', 'smalltalk'],
    ])('a clear request keeps a high confidence: %s', (text, category) => {
      const prediction = classifier.classify({ text });
      expect(prediction.category).toBe(category);
      expect(prediction.confidence).toBeGreaterThan(0.8);
      expect(prediction.evidence).toBeGreaterThan(0.05);
    });

    it('a vague follow-up leans on the previous turn', () => {
      const prediction = classifier.classify({
        text: 'and the other one?',
        context: 'Translate this paragraph into German',
        contextWeight: 0.4,
      });
      expect(prediction.category).toBe('translation');
      expect(prediction.evidence).toBeGreaterThan(0);
    });

    it('fits a temperature and an evidence prior by leave-one-out', () => {
      expect(classifier.stats.temperature).toBeGreaterThan(0);
      expect(classifier.stats.evidencePrior).toBeGreaterThan(0);
      expect(classifier.stats.crossValidationLogLoss).toBeGreaterThan(0);
    });
  });

  it('handles no examples and ignores empty ones', () => {
    const empty = trainLocalClassifier([{ text: '  ', category: 'x' }]);
    expect(empty.categories).toEqual([]);
    expect(empty.classify({ text: 'anything' })).toEqual({
      category: '',
      confidence: 0,
      ranking: [],
      probabilities: [],
      similarity: 0,
      evidence: 0,
    });
  });
});
