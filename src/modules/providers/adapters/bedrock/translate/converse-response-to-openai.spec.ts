import { join } from 'node:path';

import type { ConverseResponse } from '../../wire/bedrock.types';
import type { OpenAIChatCompletionResponse } from '../../wire/openai.types';
import { loadGoldenCases } from '../../wire/testing/golden-fixtures';
import { type ConverseResponseIdentity, converseResponseToOpenAI } from './converse-response-to-openai';

interface Fixture {
  description: string;
  options: ConverseResponseIdentity;
  input: ConverseResponse;
  expected: OpenAIChatCompletionResponse;
}

const cases = loadGoldenCases<Fixture>(join(__dirname, '__golden__', 'response-to-openai'));

describe('converseResponseToOpenAI (golden)', () => {
  it.each(cases)('$name', ({ fixture }) => {
    expect(converseResponseToOpenAI(fixture.input, fixture.options)).toEqual(fixture.expected);
  });

  it.each(cases)('$name: total tokens match Bedrock totalTokens', ({ fixture }) => {
    expect(converseResponseToOpenAI(fixture.input, fixture.options).usage?.total_tokens).toBe(
      fixture.input.usage.totalTokens,
    );
  });
});

describe('converseResponseToOpenAI', () => {
  it('generates a chatcmpl id when none is given', () => {
    const response = converseResponseToOpenAI(
      {
        output: { message: { role: 'assistant', content: [{ text: 'hi' }] } },
        stopReason: 'end_turn',
        usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
      },
      { model: 'm' },
    );
    expect(response.id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
  });
});
