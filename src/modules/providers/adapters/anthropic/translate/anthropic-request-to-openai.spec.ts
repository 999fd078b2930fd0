import { join } from 'node:path';

import type { AnthropicMessagesRequest } from '../../wire/anthropic.types';
import type { OpenAIChatCompletionRequest } from '../../wire/openai.types';
import { loadGoldenCases } from '../../wire/testing/golden-fixtures';
import { anthropicRequestToOpenAI } from './anthropic-request-to-openai';
import { openAIRequestToAnthropic } from './openai-request-to-anthropic';

interface Fixture {
  description: string;
  input: AnthropicMessagesRequest;
  expected: OpenAIChatCompletionRequest;
}

const cases = loadGoldenCases<Fixture>(join(__dirname, '__golden__', 'request-to-openai'));

describe('anthropicRequestToOpenAI (golden)', () => {
  it.each(cases)('$name', ({ fixture }) => {
    expect(anthropicRequestToOpenAI(fixture.input)).toEqual(fixture.expected);
  });
});

describe('anthropicRequestToOpenAI', () => {
  it('maps tool_choice none and keeps the request untouched', () => {
    const input: AnthropicMessagesRequest = {
      model: 'm',
      max_tokens: 10,
      tools: [{ name: 'f', input_schema: { type: 'object' } }],
      tool_choice: { type: 'none' },
      messages: [{ role: 'user', content: 'hi' }],
    };
    const copy = structuredClone(input);
    expect(anthropicRequestToOpenAI(input).tool_choice).toBe('none');
    expect(input).toEqual(copy);
  });

  it('drops tool_choice when only server tools were sent', () => {
    const result = anthropicRequestToOpenAI({
      model: 'm',
      max_tokens: 10,
      tools: [{ type: 'web_search_20250305', name: 'web_search' }],
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(result.tools).toBeUndefined();
    expect(result.tool_choice).toBeUndefined();
  });

  it('round-trips an agent conversation back to the same Anthropic request', () => {
    const original: AnthropicMessagesRequest = {
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      system: [{ type: 'text', text: 'You are an agent.', cache_control: { type: 'ephemeral' } }],
      tools: [
        {
          name: 'read',
          description: 'Read a file',
          input_schema: { type: 'object', properties: { path: { type: 'string' } } },
          cache_control: { type: 'ephemeral' },
        },
      ],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      messages: [
        { role: 'user', content: 'Read a.ts and b.ts' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Reading.' },
            { type: 'tool_use', id: 'toolu_1', name: 'read', input: { path: 'a.ts' } },
            { type: 'tool_use', id: 'toolu_2', name: 'read', input: { path: 'b.ts' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'export const a = 1;' },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: 'export const b = 2;' },
            { type: 'text', text: 'Now compare.', cache_control: { type: 'ephemeral' } },
          ],
        },
      ],
      stop_sequences: ['STOP'],
      temperature: 0.2,
      top_k: 10,
      metadata: { user_id: 'u1' },
      thinking: { type: 'enabled', budget_tokens: 2048 },
      stream: true,
    };
    expect(openAIRequestToAnthropic(anthropicRequestToOpenAI(original))).toEqual(original);
  });
});
