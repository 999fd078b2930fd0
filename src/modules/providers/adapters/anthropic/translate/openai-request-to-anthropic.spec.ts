import { join } from 'node:path';

import type { AnthropicMessagesRequest } from '../../wire/anthropic.types';
import type { OpenAIChatCompletionRequest } from '../../wire/openai.types';
import {
  type ExpectedTranslationError,
  loadGoldenCases,
  thrownTranslationError,
} from '../../wire/testing/golden-fixtures';
import { type AnthropicRequestOptions, openAIRequestToAnthropic } from './openai-request-to-anthropic';

interface Fixture {
  description: string;
  options?: AnthropicRequestOptions;
  input: OpenAIChatCompletionRequest;
  expected?: AnthropicMessagesRequest;
  error?: ExpectedTranslationError;
}

const cases = loadGoldenCases<Fixture>(join(__dirname, '__golden__', 'request-to-anthropic'));

describe('openAIRequestToAnthropic (golden)', () => {
  it.each(cases)('$name', ({ fixture }) => {
    const translate = () => openAIRequestToAnthropic(fixture.input, fixture.options);
    if (fixture.error) {
      expect(thrownTranslationError(translate)).toEqual(fixture.error);
      return;
    }
    expect(translate()).toEqual(fixture.expected);
  });
});

describe('openAIRequestToAnthropic', () => {
  it('does not modify the client request', () => {
    const input: OpenAIChatCompletionRequest = {
      model: 'm',
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b  ' },
      ],
    };
    const copy = structuredClone(input);
    openAIRequestToAnthropic(input);
    expect(input).toEqual(copy);
  });

  it('uses the configured default max_tokens', () => {
    const result = openAIRequestToAnthropic(
      { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
      { defaultMaxTokens: 8192 },
    );
    expect(result.max_tokens).toBe(8192);
  });

  it('never lets a user turn start with text before its tool results', () => {
    const result = openAIRequestToAnthropic({
      model: 'm',
      messages: [
        { role: 'user', content: 'go' },
        {
          role: 'assistant',
          tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        { role: 'user', content: 'interrupting text' },
        { role: 'tool', tool_call_id: 't1', content: 'done' },
      ],
    });
    const last = result.messages.at(-1);
    expect(Array.isArray(last?.content) && last.content.map((block) => block.type)).toEqual([
      'tool_result',
      'text',
    ]);
  });
});
