import { BUILT_IN_CATEGORIES } from '../data/categories.data';
import type { LlmClassifierRequest, LlmClassify, RoutingInput } from '../router.interface';
import {
  buildClassifierSystemPrompt,
  buildClassifierUserPrompt,
  classifierLimitTokens,
  collapseCode,
  parseClassification,
  runLlmClassifier,
} from './llm-classifier';
import { jsonFromAnswer, STRICT_OBJECT } from './model-answer';
import type { ModelCandidate } from './routing.types';
import { extractSignals } from './signals';

const known = new Set(['debugging', 'smalltalk']);

describe('LLM classifier answers', () => {
  it('reads fenced and bare JSON', () => {
    const read = (text: string): unknown => jsonFromAnswer(text, STRICT_OBJECT);
    expect(read('Sure!\n```json\n{"category":"debugging"}\n```')).toEqual({ category: 'debugging' });
    expect(read('result: {"category": "smalltalk", "confidence": 0.9} done')).toEqual({
      category: 'smalltalk',
      confidence: 0.9,
    });
    expect(read('no json here')).toBeUndefined();
    expect(read('{"broken": ')).toBeUndefined();
  });

  it('validates category, clamps confidence and reads optional fields', () => {
    expect(
      parseClassification(
        '{"category":"debugging","confidence":1.7,"tier":"high","domain":"security","frustrated":true,"output_length":"long"}',
        known,
      ),
    ).toEqual({
      category: 'debugging',
      confidence: 1,
      tier: 'high',
      domain: 'security',
      frustrated: true,
      longOutput: true,
    });
    expect(
      parseClassification('{"category":"debugging","tier":"premium","domain":"cooking"}', known),
    ).toMatchObject({
      confidence: 0.7,
      tier: null,
      domain: null,
    });
    expect(parseClassification('{"category":"made_up"}', known)).toBeNull();
    expect(parseClassification('not json', known)).toBeNull();
  });
});

describe('LLM classifier prompt', () => {
  const input: RoutingInput = {
    model: 'auto',
    messages: [
      { role: 'system', content: 'You are a coding assistant. '.repeat(400) },
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'an answer with code\n```py\nprint(1)\nprint(2)\n```' },
      { role: 'tool', content: 'x'.repeat(7000), tool_call_id: 't1' },
      { role: 'user', content: 'Why does it crash? ' + 'details '.repeat(3000) },
    ],
  };
  const { signals, texts } = extractSignals(input);
  const base = { input, signals, system: texts.system, lastUser: texts.lastUser };

  it('lists every category with its tier once per categories array', () => {
    const prompt = buildClassifierSystemPrompt(BUILT_IN_CATEGORIES);
    expect(prompt).toContain('- debugging [medium]:');
    expect(prompt).toContain('- medical [critical]:');
    expect(buildClassifierSystemPrompt(BUILT_IN_CATEGORIES)).toBe(prompt);
  });

  it('sends only metadata for metadata_only', () => {
    const prompt = buildClassifierUserPrompt({
      ...base,
      strategy: 'metadata_only',
      limitTokens: 6000,
      localGuess: { category: 'debugging', confidence: 0.4 },
    });
    expect(prompt).toContain('[signals: tokens≈');
    expect(prompt).toContain('local_guess=debugging(0.40)');
    expect(prompt).not.toContain('coding assistant');
    expect(prompt.length).toBeLessThan(1000);
  });

  it('keeps truncate and summary within the token limit', () => {
    for (const strategy of ['truncate', 'summary'] as const) {
      const prompt = buildClassifierUserPrompt({ ...base, strategy, limitTokens: 1000 });
      expect(prompt.length).toBeLessThanOrEqual(1000 * 3.5 + 400);
      expect(prompt).toContain('Why does it crash?');
    }
  });

  it('summarises earlier turns: code and tool output collapsed', () => {
    const prompt = buildClassifierUserPrompt({
      ...base,
      strategy: 'summary',
      limitTokens: 4000,
      roleHint: 'Coding agent',
    });
    expect(prompt).toContain('[code py: 3 lines]');
    expect(prompt).toContain('[tool] [tool output: ≈2000 tokens]');
    expect(prompt).toContain('[latest user request]');
    expect(prompt).toContain('"Coding agent"');
    expect(collapseCode('see ```ts\nconst a = 1;\n```')).toBe('see [code ts: 2 lines]');
  });

  it('bounds the limit by both the rule set and the classifier window', () => {
    expect(classifierLimitTokens(6000, { model: 'c' })).toBe(6000);
    expect(classifierLimitTokens(6000, { model: 'c', contextWindow: 4000 })).toBe(2500);
    expect(classifierLimitTokens(100_000, { model: 'c', contextWindow: 128_000 })).toBe(100_000);
    expect(classifierLimitTokens(6000, { model: 'c', contextWindow: 1000 })).toBe(300);
  });
});

describe('runLlmClassifier', () => {
  const models: ModelCandidate[] = [
    {
      id: 'cheap-classifier',
      providerId: 'p1',
      tier: 'micro',
      contextWindow: 32000,
      inputPricePer1M: 1,
      outputPricePer1M: 2,
      visible: true,
    },
  ];
  const options = (classify: LlmClassify) => ({
    chain: [{ model: 'first' }, { model: 'cheap-classifier', providerId: 'p1' }, { model: 'third' }],
    classify,
    system: 'sys',
    userPromptFor: () => 'user',
    knownCategories: known,
    models,
    timeoutMs: 200,
  });

  it('walks the chain past errors and bad JSON and adds up the cost', async () => {
    const seen: string[] = [];
    const outcome = await runLlmClassifier(
      options(async (request: LlmClassifierRequest) => {
        seen.push(request.classifier.model);
        expect(request).toMatchObject({ temperature: 0, system: 'sys', user: 'user' });
        if (request.classifier.model === 'first') throw new Error('upstream 503');
        if (request.classifier.model === 'cheap-classifier')
          return { text: 'I think it is debugging', inputTokens: 1000, outputTokens: 500 };
        return { text: '{"category":"debugging","confidence":0.8}', costUsd: 0.01 };
      }),
    );
    expect(seen).toEqual(['first', 'cheap-classifier', 'third']);
    expect(outcome.result).toMatchObject({ category: 'debugging', confidence: 0.8 });
    expect(outcome.model).toBe('third');
    expect(outcome.attempts.map((attempt) => [attempt.model, attempt.ok, attempt.error])).toEqual([
      ['first', false, 'upstream 503'],
      ['cheap-classifier', false, 'no valid JSON with a known category'],
      ['third', true, undefined],
    ]);
    // priced from the model list: 1000 × $1/M + 500 × $2/M, plus the reported $0.01
    expect(outcome.costUsd).toBeCloseTo(0.002 + 0.01, 9);
    expect(outcome.inputTokens).toBe(1000);
  });

  it('aborts a hanging classifier after the timeout and moves on', async () => {
    let aborted = false;
    const outcome = await runLlmClassifier(
      options(async (request) => {
        if (request.classifier.model === 'first') {
          request.signal.addEventListener('abort', () => {
            aborted = true;
          });
          return new Promise(() => undefined);
        }
        return { text: '{"category":"smalltalk"}' };
      }),
    );
    expect(aborted).toBe(true);
    expect(outcome.attempts[0]).toMatchObject({ ok: false, error: 'timed out after 200 ms' });
    expect(outcome.result?.category).toBe('smalltalk');
  });

  it('returns no result when every classifier fails', async () => {
    const outcome = await runLlmClassifier(options(() => Promise.reject(new Error('down'))));
    expect(outcome.result).toBeNull();
    expect(outcome.attempts).toHaveLength(3);
  });
});
