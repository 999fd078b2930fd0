import { parseDataUrl } from './data-url';
import { stripOpenAIExtensions } from './openai-extensions';
import { parseToolArguments } from './tool-arguments';
import { TranslationError } from './translation.errors';

describe('parseDataUrl', () => {
  it('reads media type and payload, with or without parameters', () => {
    expect(parseDataUrl('data:image/PNG;base64,iVBO', 'p')).toEqual({ mediaType: 'image/png', data: 'iVBO' });
    expect(parseDataUrl('data:image/jpeg;name=a.jpg;base64,/9j/\n4A==', 'p')).toEqual({
      mediaType: 'image/jpeg',
      data: '/9j/4A==',
    });
  });

  it.each([
    'data:image/png,%89PNG',
    'data:;base64,AAAA',
    'data:image/png;base64,',
    'data:image/png;base64,@@',
  ])('rejects %s with a 400 naming the field', (url) => {
    expect(() => parseDataUrl(url, 'messages[0].content[0]')).toThrow(TranslationError);
  });
});

describe('parseToolArguments', () => {
  it.each([
    ['{"a":1}', { a: 1 }],
    ['', {}],
    ['  ', {}],
    ['{"a":', {}],
    ['[1,2]', {}],
    ['"text"', {}],
  ])('%j → %j', (args, expected) => {
    expect(parseToolArguments(args)).toEqual(expected);
  });
});

describe('stripOpenAIExtensions', () => {
  it('removes every extension field and nothing else', () => {
    const stripped = stripOpenAIExtensions({
      model: 'm',
      top_k: 3,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      temperature: 0.5,
      tools: [{ type: 'function', function: { name: 'f' }, cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'system', content: [{ type: 'text', text: 's', cache_control: { type: 'ephemeral' } }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'u' },
            {
              type: 'image_url',
              image_url: { url: 'https://x/y.png' },
              cache_control: { type: 'ephemeral' },
            },
          ],
        },
        { role: 'assistant', content: 'a', reasoning_content: 'r' },
        { role: 'tool', tool_call_id: 't', content: 'ok' },
      ],
    });
    expect(stripped).toEqual({
      model: 'm',
      temperature: 0.5,
      tools: [{ type: 'function', function: { name: 'f' } }],
      messages: [
        { role: 'system', content: [{ type: 'text', text: 's' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'u' },
            { type: 'image_url', image_url: { url: 'https://x/y.png' } },
          ],
        },
        { role: 'assistant', content: 'a' },
        { role: 'tool', tool_call_id: 't', content: 'ok' },
      ],
    });
  });
});
