import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import OpenAI from 'openai';

import { GatewaySettings } from '../src/modules/gateway/gateway.settings';
import { listenOnRandomPort, startTestApp } from './support/app';
import {
  publishConfig,
  seedProvider,
  seedTenant,
  type SeededProvider,
  type SeededTenant,
} from './support/gateway';
import { type MockUpstream, type RecordedRequest, replies, startMockUpstream } from './support/mock-upstream';

const KEY_A = 'sk-provider-a';
const KEY_B = 'sk-provider-b';
const fromA = (r: RecordedRequest): boolean => r.headers.authorization === `Bearer ${KEY_A}`;
const fromB = (r: RecordedRequest): boolean => r.headers.authorization === `Bearer ${KEY_B}`;

describe('gateway resilience: retries, fallbacks, circuit breakers, streams', () => {
  let app: NestFastifyApplication;
  let mock: MockUpstream;
  let baseUrl: string;
  let a: SeededProvider;
  let b: SeededProvider;
  let tenant: SeededTenant;
  let settings: GatewaySettings;

  beforeAll(async () => {
    mock = await startMockUpstream();
    app = await startTestApp({ NODE_ROLE: 'worker' });
    settings = app.get(GatewaySettings);
    settings.retry = { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 3000 };
    settings.breaker = { failureThreshold: 3, windowMs: 60_000, cooldownMs: 400, halfOpenProbes: 1 };
    baseUrl = await listenOnRandomPort(app);
    a = await seedProvider(
      app,
      mock.url,
      [
        { id: 'shared', priority: 90 },
        { id: 'only-a', priority: 90 },
        { id: 'circuit', priority: 90 },
        { id: 'breaker-a' },
        { id: 'ctx-small', contextWindow: 200_000, tier: 'medium' },
        { id: 'big', contextWindow: 1_000_000, tier: 'medium' },
        { id: 'midstream-error' },
        { id: 'drip-100' },
        { id: 'slow-3000' },
      ],
      { apiKey: KEY_A },
    );
    b = await seedProvider(
      app,
      mock.url,
      [
        { id: 'shared', priority: 10 },
        { id: 'circuit', priority: 10 },
      ],
      { apiKey: KEY_B },
    );
    tenant = await seedTenant(app, [a.id, b.id]);
    await publishConfig(app);
  });
  afterAll(async () => {
    await app.close();
    await mock.close();
  });
  beforeEach(() => mock.reset());

  const client = (): OpenAI => new OpenAI({ apiKey: tenant.key, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
  const ask = (model: string) =>
    client()
      .chat.completions.create({ model, messages: [{ role: 'user', content: 'hello' }] })
      .withResponse();

  it('falls back to the next provider serving the model after a 500', async () => {
    mock.script({ match: fromA, reply: replies.serverError(500) });
    mock.script({ match: fromB, reply: replies.text('from b') });
    const { data, response } = await ask('shared');
    expect(data.choices[0]?.message.content).toBe('from b');
    expect(response.headers.get('x-prism-provider')).toBe(b.slug);
    expect(response.headers.get('x-prism-attempts')).toBe('2');
    expect(mock.requests.map((r) => (fromA(r) ? 'a' : 'b'))).toEqual(['a', 'b']);
  });

  it('falls back after a 200 whose body is not a JSON object, and passes the next answer on as it came plus cost_info', async () => {
    const json = { 'content-type': 'application/json' };
    // Cut off mid-answer (but ending in a brace), then an array: both are failed over.
    mock.script({
      match: fromA,
      times: 1,
      reply: { status: 200, headers: json, body: '{"id":"x","choices":[{"message":{"content":"}"}' },
    });
    mock.script({ match: fromA, times: 1, reply: { status: 200, headers: json, body: '[{"id":"x"}]' } });
    // Pretty-printed, braces and escaped quotes in strings, unicode escapes, no usage, blanks after the brace.
    const answer =
      '{\n  "id": "chatcmpl-b",\n  "object": "chat.completion",\n  "created": 1,\n  "model": "shared",\n' +
      '  "choices": [{"index": 0, "finish_reason": "stop",\n    "message": {"role": "assistant", ' +
      '"content": "a } b { \\"c\\" \\u00e9 ✓"}}]\n}\n \n';
    mock.script({ match: fromB, reply: { status: 200, headers: json, body: answer } });
    const { data, response } = await ask('shared');
    expect(data.choices[0]?.message.content).toBe('a } b { "c" é ✓');
    expect(response.headers.get('x-prism-provider')).toBe(b.slug);
    const cost = (data as unknown as { cost_info: { model: string; output_tokens: number } }).cost_info;
    expect(cost.model).toBe('shared');
    expect(cost.output_tokens).toBeGreaterThan(0); // estimated: the answer has no usage

    const again = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'shared', messages: [{ role: 'user', content: 'hello' }] }),
    });
    const text = await again.text();
    expect(again.headers.get('x-prism-attempts')).toBe('2');
    expect(mock.requests.map((r) => (fromA(r) ? 'a' : 'b'))).toEqual(['a', 'b', 'a', 'b']);
    expect(Number(again.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    // The upstream's own text up to its closing brace, then the gateway's members.
    expect(text.startsWith(answer.slice(0, answer.lastIndexOf('}')) + ',"cost_info":{')).toBe(true);
    expect(JSON.parse(text)).toEqual({ ...(JSON.parse(answer) as object), cost_info: expect.any(Object) });
  });

  it('passes a large answer (spliced as bytes) on with cost_info and the right Content-Length', async () => {
    const content = 'é ✓ } { " \\ '.repeat(2000);
    const answer = `{"id":"chatcmpl-big","object":"chat.completion","created":1,"model":"only-a","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":${JSON.stringify(content)}}}],"usage":{"prompt_tokens":3,"completion_tokens":9000,"total_tokens":9003}}\n`;
    mock.script({
      match: fromA,
      reply: { status: 200, headers: { 'content-type': 'application/json' }, body: answer },
    });
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'only-a', messages: [{ role: 'user', content: 'hello' }] }),
    });
    const text = await response.text();
    expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect(text.startsWith(answer.slice(0, answer.lastIndexOf('}')) + ',"cost_info":{"model":"only-a"')).toBe(
      true,
    );
    const data = JSON.parse(text) as { choices: { message: { content: string } }[]; cost_info: object };
    expect(data.choices[0]?.message.content).toBe(content);
    expect(data.cost_info).toMatchObject({ input_tokens: 3, output_tokens: 9000 });
  });

  it('falls back for streams too, as long as nothing reached the client', async () => {
    mock.script({ match: fromA, reply: replies.serverError(503) });
    mock.script({ match: fromB, reply: replies.text('streamed from b') });
    const stream = await client().chat.completions.create({
      model: 'shared',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('streamed from b');
  });

  it('spreads requests by the tenant strategy (weighted: a zero weight only serves as failover)', async () => {
    const weighted = await seedTenant(app, [a.id, b.id], {
      loadBalancing: { strategy: 'weighted', weights: [{ providerId: a.id, weight: 0 }] },
    });
    await publishConfig(app);
    mock.script({ reply: replies.text('ok') });
    const sdk = new OpenAI({ apiKey: weighted.key, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
    for (let i = 0; i < 6; i++) {
      await sdk.chat.completions.create({ model: 'shared', messages: [{ role: 'user', content: 'x' }] });
    }
    expect(mock.requests.filter(fromB)).toHaveLength(6);
  });

  it('retries after the pause the upstream asked for (Retry-After)', async () => {
    mock.script({ times: 1, match: fromA, reply: replies.rateLimit(1) });
    mock.script({ reply: replies.text('finally') });
    const started = Date.now();
    const { data } = await ask('only-a');
    expect(data.choices[0]?.message.content).toBe('finally');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(mock.requests).toHaveLength(2);
  });

  it('opens the circuit after repeated failures, skips the provider, then probes it half-open', async () => {
    mock.script({ match: fromA, reply: replies.serverError(500) });
    mock.script({ match: fromB, reply: replies.text('b') });
    for (let i = 0; i < 3; i++) await ask('circuit');
    expect(mock.requests.filter(fromA)).toHaveLength(3);
    // Open: provider A is not even tried.
    await ask('circuit');
    await ask('circuit');
    expect(mock.requests.filter(fromA)).toHaveLength(3);
    // After the cooldown one probe goes to A; it succeeds and closes the circuit.
    mock.reset();
    mock.script({ reply: replies.text('a is back') });
    await new Promise((r) => setTimeout(r, 450));
    const { data } = await ask('circuit');
    expect(data.choices[0]?.message.content).toBe('a is back');
    expect(mock.requests.filter(fromA)).toHaveLength(1);
  });

  it('answers 503 provider_unavailable while every provider of the model has an open circuit', async () => {
    mock.script({ model: 'breaker-a', reply: replies.serverError(500) });
    for (let i = 0; i < 2; i++)
      await expect(ask('breaker-a')).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    const before = mock.requests.length;
    const refused = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'breaker-a', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('provider_unavailable');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(mock.requests.length).toBe(before);
  });

  it('retries a prompt the upstream says is too long on a larger-window model, reporting context_fallback', async () => {
    mock.script({ model: 'big', reply: replies.text('fits now') });
    const prompt = 'lorem ipsum '.repeat(1_000);
    const { data, response } = await client()
      .chat.completions.create({ model: 'ctx-small', messages: [{ role: 'user', content: prompt }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('fits now');
    expect((data as unknown as Record<string, unknown>).context_fallback).toEqual({
      original_model: 'ctx-small',
      fallback_model: 'big',
      reason: 'context_length_exceeded',
    });
    expect(response.headers.get('x-prism-context-fallback')).toBe('big');
    expect(mock.requests.map((r) => r.model)).toEqual(['ctx-small', 'big']);
  });

  it('ends a stream that fails midway with an OpenAI error event and never retries it', async () => {
    const stream = await client().chat.completions.create({
      model: 'midstream-error',
      messages: [{ role: 'user', content: 'tell me a long story about prisms and light' }],
      stream: true,
    });
    let received = '';
    const consume = async (): Promise<void> => {
      for await (const chunk of stream) received += chunk.choices[0]?.delta.content ?? '';
    };
    await expect(consume()).rejects.toBeInstanceOf(OpenAI.APIError);
    expect(received.length).toBeGreaterThan(0);
    expect(mock.requests).toHaveLength(1);
  });

  it('aborts the upstream stream when the client disconnects', async () => {
    const controller = new AbortController();
    const stream = await client().chat.completions.create(
      {
        model: 'drip-100',
        messages: [{ role: 'user', content: 'a b c d e f g h i j k l m n o p q r s t' }],
        stream: true,
      },
      { signal: controller.signal },
    );
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();
    await mock.waitFor(() => mock.requests[0]?.aborted === true, 5_000);
    expect(mock.requests[0]?.aborted).toBe(true);
  });

  it('aborts the upstream call when a non-streaming client gives up', async () => {
    const controller = new AbortController();
    const pending = client().chat.completions.create(
      { model: 'slow-3000', messages: [{ role: 'user', content: 'x' }] },
      { signal: controller.signal },
    );
    await mock.waitForRequests(1, 2_000);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await mock.waitFor(() => mock.requests[0]?.aborted === true, 5_000);
  });
});
