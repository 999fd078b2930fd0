import type { ProbeStep } from '../adapters/provider-adapter';
import { failureAdvice, successAdvice, wantsHttpsRetry } from './check-advice';

const get = (step: Partial<ProbeStep>): ProbeStep => ({
  action: 'List models',
  method: 'GET',
  ok: false,
  message: '',
  ...step,
});
const openai = { type: 'openai' as const, baseUrl: 'http://llm.local:8000' };

describe('check advice', () => {
  it('puts missing configuration and rejected credentials first', () => {
    expect(
      failureAdvice(openai, [{ action: 'x', ok: false, cause: 'config', message: '' }], 1000).message,
    ).toBe('Not checked: configuration incomplete');
    const auth = failureAdvice(openai, [get({ status: 401, cause: 'auth' })], 1000);
    expect(auth.suggestion).toContain('API key');
  });

  it('names the network cause when no listing request got an answer', () => {
    expect(failureAdvice(openai, [get({ cause: 'dns' })], 1000).message).toBe(
      'The host name does not resolve',
    );
    expect(failureAdvice(openai, [get({ cause: 'tls' })], 1000).suggestion).toContain(
      'skip TLS verification',
    );
    expect(failureAdvice(openai, [get({ cause: 'timeout' })], 1500).suggestion).toContain('1500 ms');
    expect(failureAdvice(openai, [get({ cause: 'proxy' })], 1000).message).toBe('The HTTP proxy failed');
    expect(failureAdvice(openai, [get({ cause: 'refused' })], 1000).message).toBe('Connection refused');
    expect(failureAdvice(openai, [get({ cause: 'reset' })], 1000).message).toBe('The connection failed');
  });

  it('retries an http URL over https after a connection failure, and suggests https when it answers', () => {
    expect(wantsHttpsRetry(openai, [get({ cause: 'refused' })])).toBe(true);
    expect(wantsHttpsRetry(openai, [get({ cause: 'dns' })])).toBe(false);
    expect(wantsHttpsRetry({ ...openai, baseUrl: 'https://x' }, [get({ cause: 'refused' })])).toBe(false);
    expect(wantsHttpsRetry({ type: 'bedrock', baseUrl: 'http://x' }, [get({ cause: 'refused' })])).toBe(
      false,
    );
    expect(failureAdvice(openai, [get({ cause: 'refused' })], 1000, true)).toEqual({
      message: 'The server does not speak plain http',
      suggestion: 'Use https:// in the base URL.',
      suggestedBaseUrl: 'https://llm.local:8000',
    });
  });

  it('ignores the Azure chat test when judging the listing', () => {
    const steps = [
      get({ cause: 'refused' }),
      { action: 'chat', method: 'POST', ok: false, status: 500, cause: 'http' as const, message: '' },
    ];
    expect(failureAdvice(openai, steps, 1000).message).toBe('Connection refused');
    const answered = [get({ status: 500, cause: 'http' }), { ...steps[1]!, status: 502 }];
    expect(failureAdvice(openai, answered, 1000).message).toBe('The provider answered HTTP 500');
  });

  it('points at the server root when only 404s came back', () => {
    const notFound = [get({ status: 404, cause: 'not_found' }), get({ status: 404, cause: 'not_found' })];
    expect(failureAdvice(openai, notFound, 1000).message).toBe('No model list found under the base URL');
    const endpoint = failureAdvice({ ...openai, baseUrl: 'https://h/v1/chat/completions' }, notFound, 1000);
    expect(endpoint).toMatchObject({ message: 'No model list found', suggestedBaseUrl: 'https://h/v1' });
  });

  it('says when the server answered but not like an LLM API', () => {
    const html = [get({ status: 200, cause: 'bad_response' })];
    expect(failureAdvice(openai, html, 1000).message).toBe('The server answered, but not like an LLM API');
  });

  it('suggests dropping a trailing /v1 that only works with an empty API path', () => {
    expect(successAdvice('https://h/v1', '')).toEqual({
      suggestion: expect.stringContaining('drop the trailing /v1') as string,
      suggestedBaseUrl: 'https://h',
    });
    expect(successAdvice('https://h/api/v1/', '').suggestedBaseUrl).toBe('https://h');
    expect(successAdvice('https://h', '/v1')).toEqual({});
    expect(successAdvice('https://h/v1', undefined)).toEqual({});
  });
});
