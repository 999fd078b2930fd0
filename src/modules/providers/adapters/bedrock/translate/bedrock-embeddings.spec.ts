import { join } from 'node:path';

import type { CohereEmbeddingResponse, TitanEmbeddingResponse } from '../../wire/bedrock.types';
import type { OpenAIEmbeddingRequest, OpenAIEmbeddingResponse } from '../../wire/openai.types';
import { type ExpectedTranslationError, loadGoldenCases } from '../../wire/testing/golden-fixtures';
import { TranslationError } from '../../wire/translation.errors';
import {
  COHERE_MAX_TEXTS_PER_CALL,
  cohereEmbeddingsToOpenAI,
  openAIEmbeddingsToCohere,
} from './cohere-embeddings';
import { openAIEmbeddingsToTitan, titanEmbeddingsToOpenAI } from './titan-embeddings';

interface Fixture {
  description: string;
  family: 'titan' | 'cohere';
  options: { modelId: string; model: string; inputTokens?: number };
  input: OpenAIEmbeddingRequest;
  responses?: unknown[];
  expectedBodies?: unknown[];
  expected?: OpenAIEmbeddingResponse;
  error?: ExpectedTranslationError;
}

const cases = loadGoldenCases<Fixture>(join(__dirname, '__golden__', 'embeddings'));

function translate(fixture: Fixture): { bodies: unknown[]; response: OpenAIEmbeddingResponse } {
  const options = { ...fixture.options, encodingFormat: fixture.input.encoding_format };
  if (fixture.family === 'titan') {
    return {
      bodies: openAIEmbeddingsToTitan(fixture.input, fixture.options),
      response: titanEmbeddingsToOpenAI((fixture.responses ?? []) as TitanEmbeddingResponse[], options),
    };
  }
  return {
    bodies: openAIEmbeddingsToCohere(fixture.input, fixture.options),
    response: cohereEmbeddingsToOpenAI((fixture.responses ?? []) as CohereEmbeddingResponse[], options),
  };
}

describe('Bedrock embeddings (golden)', () => {
  it.each(cases)('$name', ({ fixture }) => {
    if (fixture.error) {
      try {
        translate(fixture);
        throw new Error('expected a TranslationError');
      } catch (error) {
        expect(error).toBeInstanceOf(TranslationError);
        const { status, code, param } = error as TranslationError;
        expect({ status, code, param }).toEqual(fixture.error);
      }
      return;
    }
    const { bodies, response } = translate(fixture);
    expect(bodies).toEqual(fixture.expectedBodies);
    expect(response).toEqual(fixture.expected);
  });
});

describe('Bedrock embeddings', () => {
  it('splits Cohere input into batches of 96 and keeps the global order', () => {
    const texts = Array.from({ length: 200 }, (_, i) => `text ${i}`);
    const bodies = openAIEmbeddingsToCohere(
      { model: 'c', input: texts },
      { modelId: 'cohere.embed-english-v3' },
    );
    expect(bodies.map((body) => body.texts.length)).toEqual([
      COHERE_MAX_TEXTS_PER_CALL,
      COHERE_MAX_TEXTS_PER_CALL,
      8,
    ]);
    expect(bodies.flatMap((body) => body.texts)).toEqual(texts);
    const responses = bodies.map((body, b) => ({
      id: `r${b}`,
      embeddings: { float: body.texts.map((text) => [Number(text.split(' ')[1])]) },
    }));
    const result = cohereEmbeddingsToOpenAI(responses, { model: 'c', inputTokens: 400 });
    expect(result.data.map((item) => [item.index, item.embedding])).toEqual(texts.map((_, i) => [i, [i]]));
  });

  it('encodes base64 vectors that decode back to the floats', () => {
    const vector = [0.1, -2.5, 3.25];
    const result = titanEmbeddingsToOpenAI([{ embedding: vector, inputTextTokenCount: 1 }], {
      model: 't',
      encodingFormat: 'base64',
    });
    const bytes = Buffer.from(result.data[0]!.embedding as string, 'base64');
    const decoded = Array.from({ length: 3 }, (_, i) => bytes.readFloatLE(i * 4));
    decoded.forEach((value, i) => expect(value).toBeCloseTo(vector[i]!, 6));
  });

  it('rejects blank input texts', () => {
    expect(() =>
      openAIEmbeddingsToTitan(
        { model: 't', input: ['ok', ' '] },
        { modelId: 'amazon.titan-embed-text-v2:0' },
      ),
    ).toThrow(TranslationError);
  });
});
