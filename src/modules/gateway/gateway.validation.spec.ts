import { type GatewayHttpError } from '../../core/http/gateway-http.error';
import { validateRequestBody } from './gateway.validation';
import { estimateRequestTokens } from './tokens/token-estimator';

function paramOf(
  endpoint: Parameters<typeof validateRequestBody>[0],
  body: unknown,
): string | null | undefined {
  try {
    validateRequestBody(endpoint, body);
    return undefined;
  } catch (error) {
    return (error as GatewayHttpError).param ?? null;
  }
}

describe('validateRequestBody', () => {
  it('accepts well-formed requests', () => {
    expect(
      paramOf('chat', {
        model: 'm',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
        max_tokens: 5,
      }),
    ).toBeUndefined();
    expect(paramOf('completions', { model: 'm', prompt: 'x' })).toBeUndefined();
    expect(paramOf('embeddings', { model: 'm', input: ['a'] })).toBeUndefined();
  });

  it('names the offending field', () => {
    expect(paramOf('chat', [])).toBeNull();
    expect(paramOf('chat', { messages: [] })).toBe('model');
    expect(paramOf('chat', { model: 'm', messages: [] })).toBe('messages');
    expect(paramOf('chat', { model: 'm', messages: ['x'] })).toBe('messages[0]');
    expect(paramOf('chat', { model: 'm', messages: [{ role: 'bot' }] })).toBe('messages[0].role');
    expect(paramOf('chat', { model: 'm', messages: [{ role: 'user' }], stream: 'yes' })).toBe('stream');
    expect(paramOf('chat', { model: 'm', messages: [{ role: 'user' }], max_tokens: 1.5 })).toBe('max_tokens');
    expect(paramOf('completions', { model: 'm' })).toBe('prompt');
    expect(paramOf('embeddings', { model: 'm', input: [] })).toBe('input');
  });
});

describe('estimateRequestTokens', () => {
  it('counts text, images, tool calls and tools', () => {
    const text = estimateRequestTokens({ messages: [{ role: 'user', content: 'x'.repeat(400) }] }, 'chat');
    expect(text).toBe(3 + 4 + 100);
    const image = estimateRequestTokens(
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'abcd' },
              { type: 'image_url', image_url: { url: 'x' } },
            ],
          },
        ],
      },
      'chat',
    );
    expect(image).toBe(3 + 4 + 1 + 512);
    expect(estimateRequestTokens({ prompt: 'x'.repeat(40), suffix: 'y'.repeat(40) }, 'completions')).toBe(20);
    expect(estimateRequestTokens({ input: [[1, 2, 3, 4]] }, 'embeddings')).toBe(4);
  });
});
