import { join } from 'node:path';

import type { OpenAIChatCompletionRequest } from '../../wire/openai.types';
import {
  type ExpectedTranslationError,
  loadGoldenCases,
  thrownTranslationError,
  withBytesAsBase64,
} from '../../wire/testing/golden-fixtures';
import { type ConverseRequestOptions, openAIRequestToConverse } from './openai-request-to-converse';

interface Fixture {
  description: string;
  options?: ConverseRequestOptions;
  input: OpenAIChatCompletionRequest;
  expected?: unknown;
  error?: ExpectedTranslationError;
}

const cases = loadGoldenCases<Fixture>(join(__dirname, '__golden__', 'request-to-converse'));

describe('openAIRequestToConverse (golden)', () => {
  it.each(cases)('$name', ({ fixture }) => {
    const translate = () => openAIRequestToConverse(fixture.input, fixture.options);
    if (fixture.error) {
      expect(thrownTranslationError(translate)).toEqual(fixture.error);
      return;
    }
    expect(withBytesAsBase64(translate())).toEqual(fixture.expected);
  });
});

describe('openAIRequestToConverse', () => {
  const tools: OpenAIChatCompletionRequest['tools'] = [
    { type: 'function', function: { name: 'search', parameters: { type: 'object' } } },
  ];

  it('decodes data-URL images into real bytes', () => {
    const result = openAIRequestToConverse({
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [{ type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4A==' } }],
        },
      ],
    });
    const block = result.messages[0]?.content[0];
    expect(block && 'image' in block && block.image.format).toBe('jpeg');
    expect(block && 'image' in block && [...block.image.source.bytes]).toEqual([0xff, 0xd8, 0xff, 0xe0]);
  });

  it('leaves the tools out for tool_choice none when the history has no tool blocks', () => {
    const result = openAIRequestToConverse({
      model: 'm',
      tools,
      tool_choice: 'none',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(result.toolConfig).toBeUndefined();
  });

  it('uses auto tool choice by default and ignores top_k for non-Anthropic models', () => {
    const result = openAIRequestToConverse({
      model: 'meta.llama3-70b-instruct-v1:0',
      tools,
      top_k: 5,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(result.toolConfig?.toolChoice).toEqual({ auto: {} });
    expect(result.additionalModelRequestFields).toBeUndefined();
  });
});
