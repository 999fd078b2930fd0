import { join } from 'node:path';

import type { AnthropicMessagesResponse } from '../../wire/anthropic.types';
import type { OpenAIChatCompletionResponse } from '../../wire/openai.types';
import { loadGoldenCases } from '../../wire/testing/golden-fixtures';
import { anthropicResponseToOpenAI } from './anthropic-response-to-openai';
import { type AnthropicResponseIdentity, openAIResponseToAnthropic } from './openai-response-to-anthropic';

interface Fixture {
  description: string;
  options?: AnthropicResponseIdentity;
  input: OpenAIChatCompletionResponse;
  expected: AnthropicMessagesResponse;
}

const cases = loadGoldenCases<Fixture>(join(__dirname, '__golden__', 'response-to-anthropic'));

describe('openAIResponseToAnthropic (golden)', () => {
  it.each(cases)('$name', ({ fixture }) => {
    expect(openAIResponseToAnthropic(fixture.input, fixture.options)).toEqual(fixture.expected);
  });

  it.each(cases)('$name: usage totals survive the round trip', ({ fixture }) => {
    const back = anthropicResponseToOpenAI(openAIResponseToAnthropic(fixture.input), { created: 0 });
    const { prompt_tokens, completion_tokens, total_tokens } = fixture.input.usage!;
    expect(back.usage).toMatchObject({ prompt_tokens, completion_tokens, total_tokens });
  });
});
