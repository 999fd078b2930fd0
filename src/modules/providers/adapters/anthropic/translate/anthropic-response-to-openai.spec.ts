import { join } from 'node:path';

import type { AnthropicMessagesResponse } from '../../wire/anthropic.types';
import type { OpenAIChatCompletionResponse } from '../../wire/openai.types';
import { loadGoldenCases } from '../../wire/testing/golden-fixtures';
import { anthropicResponseToOpenAI, type OpenAIResponseIdentity } from './anthropic-response-to-openai';

interface Fixture {
  description: string;
  options?: OpenAIResponseIdentity;
  input: AnthropicMessagesResponse;
  expected: OpenAIChatCompletionResponse;
}

const cases = loadGoldenCases<Fixture>(join(__dirname, '__golden__', 'response-to-openai'));

describe('anthropicResponseToOpenAI (golden)', () => {
  it.each(cases)('$name', ({ fixture }) => {
    expect(anthropicResponseToOpenAI(fixture.input, fixture.options)).toEqual(fixture.expected);
  });

  it.each(cases)('$name: tool arguments are valid JSON equal to the tool input', ({ fixture }) => {
    const inputs = fixture.input.content.flatMap((block) => (block.type === 'tool_use' ? [block.input] : []));
    const calls = anthropicResponseToOpenAI(fixture.input).choices[0]?.message.tool_calls ?? [];
    expect(calls.map((call) => JSON.parse(call.function.arguments) as unknown)).toEqual(inputs);
  });
});
