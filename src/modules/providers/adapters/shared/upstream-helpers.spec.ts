import { forUpstream } from '../openai/openai-compatible.adapter';
import type { ProviderConnection } from '../provider-adapter';
import {
  errorFromStatus,
  errorFromTransport,
  isContextOverflowMessage,
  parseRetryAfter,
} from '../upstream-errors';
import { completionAsChunk, withStreamUsage } from './openai-stream';
import { connectionFingerprint, resolveBase } from './upstream-dispatchers';

describe('resolveBase', () => {
  it('adds /v1 to a bare origin and keeps an explicit path', () => {
    expect(resolveBase('https://api.openai.com')).toEqual({
      origin: 'https://api.openai.com',
      basePath: '/v1',
    });
    expect(resolveBase('http://vllm:8000/v1/')).toEqual({ origin: 'http://vllm:8000', basePath: '/v1' });
    expect(resolveBase('https://gw.corp/openai', '/v1')).toEqual({
      origin: 'https://gw.corp',
      basePath: '/openai/v1',
    });
    expect(resolveBase('https://openrouter.ai', 'api/v1')).toEqual({
      origin: 'https://openrouter.ai',
      basePath: '/api/v1',
    });
    expect(() => resolveBase('ftp://x')).toThrow(/http or https/);
    expect(() => resolveBase('not a url')).toThrow(/not a valid URL/);
  });

  it('changes the dispatcher fingerprint when connection settings change', () => {
    const base = {
      id: 'p',
      slug: 'p',
      type: 'openai' as const,
      baseUrl: 'http://x',
      options: {},
      credentials: {},
    };
    expect(connectionFingerprint(base)).toBe(connectionFingerprint({ ...base }));
    expect(connectionFingerprint(base)).not.toBe(
      connectionFingerprint({ ...base, options: { skipTlsVerify: true } }),
    );
    expect(connectionFingerprint(base)).not.toBe(
      connectionFingerprint({ ...base, options: { httpProxy: 'http://proxy:3128' } }),
    );
  });
});

describe('upstream error classification', () => {
  it('maps statuses to failure kinds', () => {
    expect(errorFromStatus(429, {}, { 'retry-after': '3' }, 'p')).toMatchObject({
      kind: 'rate_limited',
      retryAfterSeconds: 3,
    });
    expect(errorFromStatus(503, {}, {}, 'p').kind).toBe('server');
    expect(errorFromStatus(401, {}, {}, 'p').kind).toBe('auth');
    expect(errorFromStatus(404, {}, {}, 'p').kind).toBe('not_found');
    expect(errorFromStatus(400, { error: { message: 'bad temperature' } }, {}, 'p')).toMatchObject({
      kind: 'bad_request',
      message: "Provider 'p' answered 400: bad temperature",
    });
    expect(
      errorFromStatus(
        400,
        { error: { message: "This model's maximum context length is 8192 tokens" } },
        {},
        'p',
      ).kind,
    ).toBe('context_overflow');
  });

  it('recognises context overflow messages of common providers', () => {
    for (const message of [
      "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
      'prompt is too long: 210000 tokens > 200000 maximum',
      'Input is too long for requested model.',
      "This model's maximum context length is 4096 tokens (max_model_len)",
    ]) {
      expect(isContextOverflowMessage(message)).toBe(true);
    }
    expect(isContextOverflowMessage('temperature must be between 0 and 2')).toBe(false);
  });

  it('parses Retry-After as seconds, milliseconds or a date', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '1500' })).toBe(1.5);
    expect(parseRetryAfter({ 'retry-after': '7' })).toBe(7);
    expect(parseRetryAfter({ 'retry-after': new Date(10_000).toUTCString() }, 5_000)).toBe(5);
    expect(parseRetryAfter({})).toBeUndefined();
  });

  it('maps transport errors', () => {
    expect(errorFromTransport({ code: 'ECONNREFUSED', message: 'x' }, 'p').kind).toBe('connect');
    expect(errorFromTransport({ code: 'UND_ERR_HEADERS_TIMEOUT', message: 'x' }, 'p').kind).toBe('timeout');
    expect(errorFromTransport({ name: 'AbortError', message: 'x' }, 'p').kind).toBe('aborted');
    expect(
      errorFromTransport({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' }, 'p')
        .kind,
    ).toBe('connect');
  });
});

describe('request and response helpers', () => {
  it('asks for the usage chunk, keeping the client stream options', () => {
    expect(withStreamUsage({ model: 'm', stream_options: { foo: 1 } })).toEqual({
      model: 'm',
      stream: true,
      stream_options: { foo: 1, include_usage: true },
    });
  });

  it('turns a whole completion into one stream chunk (servers that ignore stream: true)', () => {
    const chunk = completionAsChunk({
      id: 'x',
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'hi', tool_calls: [{ id: 't', type: 'function' }] },
          finish_reason: 'stop',
        },
      ],
    }) as { object: string; choices: { delta: { content: string; tool_calls: { index: number }[] } }[] };
    expect(chunk.object).toBe('chat.completion.chunk');
    expect(chunk.choices[0]?.delta.content).toBe('hi');
    expect(chunk.choices[0]?.delta.tool_calls[0]?.index).toBe(0);
  });
});

describe('forUpstream', () => {
  const connection = (type: ProviderConnection['type']): ProviderConnection => ({
    id: 'p1',
    slug: 'p1',
    type,
    baseUrl: 'http://upstream',
    options: {},
    credentials: {},
  });
  const claudeCodeStyle = {
    model: 'gpt-4.1',
    top_k: 5,
    thinking: { type: 'enabled', budget_tokens: 1024 },
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] },
    ],
  };

  it('removes Anthropic-only fields for OpenAI itself, which rejects unknown fields', () => {
    expect(forUpstream(connection('openai'), claudeCodeStyle)).toEqual({
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    });
  });

  it('keeps them for OpenRouter (prompt caching) and servers that ignore them', () => {
    for (const type of ['openrouter', 'vllm', 'ollama', 'custom'] as const) {
      expect(forUpstream(connection(type), claudeCodeStyle)).toBe(claudeCodeStyle);
    }
  });
});
