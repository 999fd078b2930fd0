/**
 * Proves the mock upstream is faithful: the official OpenAI, Azure OpenAI, Anthropic and AWS Bedrock
 * SDKs talk to it and parse every answer, stream and error it produces. Needs no database.
 */
import Anthropic from '@anthropic-ai/sdk';
import {
  BedrockClient,
  ListFoundationModelsCommand,
  ListInferenceProfilesCommand,
} from '@aws-sdk/client-bedrock';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseStreamOutput,
  ConverseStreamCommand,
  InvokeModelCommand,
} from '@aws-sdk/client-bedrock-runtime';
import OpenAI, { AzureOpenAI } from 'openai';

import { type MockUpstream, replies, startMockUpstream } from './support/mock-upstream';

const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['city', 'unit'],
    },
  },
};

let mock: MockUpstream;

async function failureOf(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  mock = await startMockUpstream();
});
afterEach(() => mock.reset());
afterAll(async () => {
  await mock.close();
});

const openai = (options: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}): OpenAI =>
  new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: 'sk-test', maxRetries: 0, ...options });

const post = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${mock.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('OpenAI chat completions', () => {
  it('answers deterministically from the last user message, with realistic usage, and records the request', async () => {
    const res = await openai().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
    });
    expect(res.object).toBe('chat.completion');
    expect(res.model).toBe('gpt-4o-mini');
    expect(res.choices[0]!.message.content).toBe(
      'Mock answer from gpt-4o-mini to: What is the capital of France?',
    );
    expect(res.choices[0]!.finish_reason).toBe('stop');
    expect(res.usage!.prompt_tokens).toBeGreaterThan(5);
    expect(res.usage!.total_tokens).toBe(res.usage!.prompt_tokens + res.usage!.completion_tokens);

    const [req] = await mock.waitForRequests(1);
    expect(req).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      model: 'gpt-4o-mini',
      stream: false,
    });
    expect(req!.headers.authorization).toBe('Bearer sk-test');
    expect(req!.body.messages[1].content).toBe('What is the capital of France?');
    expect(req!.aborted).toBe(false);
  });

  it('streams SSE chunks: role first, text in pieces, a usage-only chunk when asked, then [DONE]', async () => {
    const stream = await openai().chat.completions.create({
      model: 'gpt-4o',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Tell me a story about a lighthouse' }],
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Mock answer from gpt-4o to: Tell me a story about a lighthouse');
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBeGreaterThan(2);
    const last = chunks[chunks.length - 1]!;
    expect(last.choices).toEqual([]);
    expect(last.usage!.completion_tokens).toBeGreaterThan(0);
    expect(chunks[chunks.length - 2]!.choices[0]!.finish_reason).toBe('stop');
  });

  it('sends no usage chunk unless stream_options.include_usage is true', async () => {
    const res = await post('/v1/chat/completions', {
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const body = await res.text();
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(body).not.toContain('"usage"');
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('returns scripted parallel tool calls that the SDK parses', async () => {
    mock.script({
      path: '/v1/chat/completions',
      reply: replies.toolCalls([
        { name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } },
        { name: 'get_weather', arguments: { city: 'Rome', unit: 'celsius' } },
      ]),
    });
    const res = await openai().chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Weather in Paris and Rome?' }],
      tools: [WEATHER_TOOL],
    });
    const choice = res.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    const calls = choice.message.tool_calls!.map((c) => (c.type === 'function' ? c.function : undefined));
    expect(calls.map((f) => JSON.parse(f!.arguments))).toEqual([
      { city: 'Paris', unit: 'celsius' },
      { city: 'Rome', unit: 'celsius' },
    ]);
    expect(new Set(choice.message.tool_calls!.map((c) => c.id)).size).toBe(2);
  });

  it('streams parallel tool calls with correct indexes and arguments split across chunks', async () => {
    mock.script({
      reply: replies.toolCalls([
        { name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } },
        { name: 'lookup', arguments: { query: 'Rome population' } },
      ]),
    });
    const stream = await openai().chat.completions.create({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'go' }],
      tools: [WEATHER_TOOL],
    });
    const assembled: { id?: string; name?: string; args: string; pieces: number }[] = [];
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      for (const tc of chunk.choices[0]?.delta.tool_calls ?? []) {
        const slot = (assembled[tc.index] ??= { args: '', pieces: 0 });
        if (tc.id) slot.id = tc.id;
        if (tc.function?.name) slot.name = tc.function.name;
        if (tc.function?.arguments) {
          slot.args += tc.function.arguments;
          slot.pieces++;
        }
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(finish).toBe('tool_calls');
    expect(assembled.map((a) => a.name)).toEqual(['get_weather', 'lookup']);
    expect(JSON.parse(assembled[0]!.args)).toEqual({ city: 'Paris', unit: 'celsius' });
    expect(JSON.parse(assembled[1]!.args)).toEqual({ query: 'Rome population' });
    expect(assembled.every((a) => a.pieces >= 2 && a.id)).toBe(true);
  });

  it('a "tool-call" model calls the declared tool with arguments that fit its schema', async () => {
    const res = await openai().chat.completions.create({
      model: 'mock-tool-call',
      messages: [{ role: 'user', content: 'weather?' }],
      tools: [WEATHER_TOOL],
    });
    const call = res.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && call.function.name).toBe('get_weather');
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual({
      city: 'mock',
      unit: 'celsius',
    });
  });

  it('truncates at max_tokens with finish_reason "length"', async () => {
    const res = await openai().chat.completions.create({
      model: 'gpt-4o',
      max_tokens: 3,
      messages: [{ role: 'user', content: 'Write a long essay about the sea' }],
    });
    expect(res.choices[0]!.finish_reason).toBe('length');
    expect(res.choices[0]!.message.content!.length).toBeLessThanOrEqual(12);
  });

  it('rejects a body without messages with a 400 the SDK understands', async () => {
    const err = await openai()
      .chat.completions.create({ model: 'gpt-4o', messages: [] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('messages');
  });
});

describe('OpenAI completions, embeddings, models', () => {
  it('fills in the middle when a suffix is given, and streams completions with usage', async () => {
    const fim = await openai().completions.create({
      model: 'codestral',
      prompt: 'function add(a, b) {\n',
      suffix: '\n}',
    });
    expect(fim.object).toBe('text_completion');
    expect(fim.choices[0]!.text).toBe('/* filled in by codestral */');
    expect(fim.usage!.prompt_tokens).toBeGreaterThan(0);

    const stream = await openai().completions.create({
      model: 'codestral',
      prompt: 'Once upon a time',
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.text ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toContain('mock completion from codestral');
    expect(usage!.total_tokens).toBeGreaterThan(0);
  });

  it('returns deterministic unit vectors (base64 by SDK default, floats on request) with usage', async () => {
    const a = await openai().embeddings.create({
      model: 'text-embedding-3-small',
      input: ['hello', 'world'],
    });
    const b = await openai().embeddings.create({
      model: 'text-embedding-3-small',
      input: 'hello',
      encoding_format: 'float',
      dimensions: 16,
    });
    expect(a.data).toHaveLength(2);
    const v = a.data[0]!.embedding;
    expect(v).toHaveLength(64);
    expect(Math.hypot(...v)).toBeCloseTo(1, 4);
    expect(a.data[1]!.embedding).not.toEqual(v);
    expect(b.data[0]!.embedding).toHaveLength(16);
    const again = await openai().embeddings.create({ model: 'text-embedding-3-small', input: ['hello'] });
    expect(again.data[0]!.embedding).toEqual(v);
    expect(a.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('lists models (OpenAI) and tags (Ollama)', async () => {
    const models = [];
    for await (const m of openai().models.list()) models.push(m.id);
    expect(models).toContain('gpt-4o-mini');
    const tags = (await (await fetch(`${mock.url}/api/tags`)).json()) as { models: { name: string }[] };
    expect(tags.models.map((m) => m.name)).toContain('gpt-4o-mini');
  });

  it('serves /api/v1/... like /v1/...', async () => {
    const res = await openai({ baseURL: `${mock.url}/api/v1` }).chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.choices[0]!.message.content).toContain('hi');
  });
});

describe('errors and failure modes (OpenAI dialect)', () => {
  it('context overflow: 400 with code context_length_exceeded and the provider wording', async () => {
    mock.script({ model: 'gpt-4o', times: 1, reply: replies.contextOverflow() });
    const err = (await openai()
      .chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err.status).toBe(400);
    expect(err.code).toBe('context_length_exceeded');
    expect(err.type).toBe('invalid_request_error');
    expect(err.message).toContain(
      "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens",
    );
    const ok = await openai().chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(ok.choices[0]!.message.content).toContain('x');
  });

  it('a "ctx-small" model overflows only for long prompts', async () => {
    const short = await openai().chat.completions.create({
      model: 'mock-ctx-small',
      messages: [{ role: 'user', content: 'short' }],
    });
    expect(short.choices[0]!.message.content).toContain('short');
    const err = (await openai()
      .chat.completions.create({
        model: 'mock-ctx-small',
        messages: [{ role: 'user', content: 'a'.repeat(5000) }],
      })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err.code).toBe('context_length_exceeded');
    expect(err.message).toContain('maximum context length is 1024 tokens');
  });

  it('429 with Retry-After: the SDK waits and retries, then succeeds', async () => {
    mock.script({ times: 1, reply: replies.rateLimit(1, { retryAfterMs: 50 }) });
    const started = Date.now();
    const res = await openai({ maxRetries: 1 }).chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.choices[0]!.message.content).toContain('hi');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(mock.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('sends Retry-After on 429s from a "fail-429" model, and 5xx from "fail-5xx" models', async () => {
    const limited = await post('/v1/chat/completions', {
      model: 'm-fail-429',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    const err = await openai()
      .chat.completions.create({ model: 'm-fail-503', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
  });

  it('resets the connection when scripted', async () => {
    mock.script({ reply: replies.reset() });
    const err = await openai()
      .chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIConnectionError);
    await mock.waitFor(() => mock.requests[0]?.done === true);
    expect(mock.requests[0]!.aborted).toBe(false);
  });

  it('breaks a stream mid-way with an error event the SDK throws on', async () => {
    mock.script({ reply: replies.brokenStream(2, 'error', 'one two three four five six seven') });
    const stream = await openai().chat.completions.create({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
    });
    let seen = 0;
    const err = await (async () => {
      for await (const _ of stream) seen++;
    })().catch((e: unknown) => e);
    expect(seen).toBe(2);
    expect(err).toBeInstanceOf(OpenAI.APIError);
  });

  it('breaks a stream mid-way by destroying the socket', async () => {
    const stream = await openai().chat.completions.create({
      model: 'mock-midstream-reset',
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
    });
    let seen = 0;
    const err = await (async () => {
      for await (const _ of stream) seen++;
    })().catch((e: unknown) => e);
    expect(seen).toBe(2);
    // undici's TypeError comes from another realm under jest, so check the message, not the class.
    expect(String(err)).toMatch(/terminated|ECONNRESET|socket/i);
  });

  it('delays answers and drips slow streams', async () => {
    mock.script({ times: 1, reply: { ...replies.text('late'), delayMs: 150 } });
    let started = Date.now();
    await openai().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    mock.script({ reply: replies.slowStream(40, 'abcdefghijklmnopqrstuvwxyz0123') });
    started = Date.now();
    const stream = await openai().chat.completions.create({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
    });
    const arrivals: number[] = [];
    for await (const _ of stream) arrivals.push(Date.now() - started);
    // role + 3 text chunks + finish = 5 chunks, 4 gaps of 40 ms
    expect(arrivals).toHaveLength(5);
    expect(arrivals[arrivals.length - 1]! - arrivals[0]!).toBeGreaterThanOrEqual(140);
  });

  it('records aborted: true when the client disconnects mid-stream', async () => {
    const controller = new AbortController();
    const res = await fetch(`${mock.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'mock-drip-200',
        stream: true,
        messages: [{ role: 'user', content: 'x' }],
      }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await mock.waitFor(() => mock.requests[0]?.aborted === true, 2000);
    expect(mock.requests[0]!.done).toBe(true);
  });

  it('a hanging upstream is recorded as aborted once the client gives up', async () => {
    mock.script({ reply: replies.hang() });
    const err = await failureOf(
      openai({ timeout: 200 }).chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(err).toBeInstanceOf(OpenAI.APIConnectionError);
    await mock.waitFor(() => mock.requests[0]?.aborted === true, 2000);
    expect(mock.requests[0]!.status).toBeUndefined();
  });

  it('rejects output limits above a "maxout-N" model limit', async () => {
    const err = (await openai()
      .chat.completions.create({
        model: 'm-maxout-100',
        max_tokens: 500,
        messages: [{ role: 'user', content: 'x' }],
      })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err.status).toBe(400);
    expect(err.message).toContain('max_tokens is too large: 500');
  });
});

describe('scripting and recording', () => {
  it('matches rules by method, path regex, model and predicate; consumes "times"', async () => {
    const rule = mock.script({
      method: 'POST',
      path: /completions$/,
      model: /^gpt-4/,
      match: (r) => r.body.messages?.[0]?.content === 'special',
      times: 2,
      reply: replies.json(418, { teapot: true }, { 'x-mock': 'yes' }),
    });
    const send = (model: string, content: string): Promise<Response> =>
      post('/v1/chat/completions?trace=1', { model, messages: [{ role: 'user', content }] });
    expect((await send('gpt-4o', 'special')).status).toBe(418);
    expect((await send('o3-mini', 'special')).status).toBe(200);
    expect((await send('gpt-4o', 'plain')).status).toBe(200);
    const second = await send('gpt-4o', 'special');
    expect(second.headers.get('x-mock')).toBe('yes');
    expect(await second.json()).toEqual({ teapot: true });
    expect((await send('gpt-4o', 'special')).status).toBe(200);
    expect(rule.hits).toBe(2);
    expect(rule.remaining).toBe(0);
    expect(mock.requests[0]!.query).toEqual({ trace: '1' });
  });

  it('checks keys only when configured', async () => {
    const guarded = await startMockUpstream({ requireKey: 'sk-right' });
    try {
      const wrong = new OpenAI({ baseURL: `${guarded.url}/v1`, apiKey: 'sk-wrong', maxRetries: 0 });
      await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
      const right = new OpenAI({ baseURL: `${guarded.url}/v1`, apiKey: 'sk-right', maxRetries: 0 });
      await expect(right.models.list()).resolves.toBeDefined();
    } finally {
      await guarded.close();
    }
  });

  it('times out waitForRequests with a message naming what arrived', async () => {
    await fetch(`${mock.url}/v1/models`);
    await expect(mock.waitForRequests(3, 50)).rejects.toThrow(/3 requests, got 1: GET \/v1\/models/);
  });

  it('can be scripted and inspected over HTTP from another process', async () => {
    const scripted = await post('/__mock/script', {
      path: { regex: '^/v1/embeddings$' },
      times: 1,
      reply: { kind: 'error', status: 503 },
    });
    expect(scripted.status).toBe(201);
    expect((await post('/v1/embeddings', { model: 'e', input: 'x' })).status).toBe(503);
    const recorded = (await (await fetch(`${mock.url}/__mock/requests`)).json()) as { path: string }[];
    expect(recorded.map((r) => r.path)).toEqual(['/v1/embeddings']);
  });
});

describe('Azure OpenAI', () => {
  const azure = (): AzureOpenAI =>
    new AzureOpenAI({
      endpoint: mock.url,
      apiKey: 'az-key',
      apiVersion: '2025-04-01-preview',
      maxRetries: 0,
    });

  it('answers chat on a deployment URL, with the api-key header and api-version recorded', async () => {
    const res = await azure().chat.completions.create({
      model: 'gpt-4o-deploy',
      messages: [{ role: 'user', content: 'hello azure' }],
    });
    expect(res.choices[0]!.message.content).toBe('Mock answer from gpt-4o-deploy to: hello azure');
    const [req] = await mock.waitForRequests(1);
    expect(req).toMatchObject({
      path: '/openai/deployments/gpt-4o-deploy/chat/completions',
      query: { 'api-version': '2025-04-01-preview' },
      dialect: 'azure',
      model: 'gpt-4o-deploy',
    });
    expect(req!.headers['api-key']).toBe('az-key');
  });

  it('streams chat and serves embeddings on deployments', async () => {
    const stream = await azure().chat.completions.create({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'stream please' }],
    });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    expect(text).toBe('Mock answer from gpt-4o to: stream please');
    const emb = await azure().embeddings.create({ model: 'text-embedding-3-small', input: 'x' });
    expect(emb.data[0]!.embedding).toHaveLength(64);
  });

  it('requires api-version and lists deployments', async () => {
    const missing = await post(
      '/openai/deployments/gpt-4o/chat/completions',
      { messages: [] },
      { 'api-key': 'k' },
    );
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe(
      'MissingApiVersionParameter',
    );
    const list = (await (await fetch(`${mock.url}/openai/deployments?api-version=2022-12-01`)).json()) as {
      data: { id: string }[];
    };
    expect(list.data.map((d) => d.id)).toContain('gpt-4o');
  });

  it('speaks the Responses API, non-stream and streamed, with function calls', async () => {
    const res = await azure().responses.create({ model: 'gpt-5-mini', input: 'Summarise the news' });
    expect(res.output_text).toBe('Mock answer from gpt-5-mini to: Summarise the news');
    expect(res.usage!.total_tokens).toBeGreaterThan(0);
    expect(mock.requests[0]!.path).toBe('/openai/responses');

    mock.script({
      reply: replies.toolCalls([{ name: 'search', arguments: { q: 'news' } }], { text: 'Looking…' }),
    });
    const stream = await azure().responses.create({ model: 'gpt-5-mini', input: 'x', stream: true });
    const types: string[] = [];
    let text = '';
    let args = '';
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.function_call_arguments.delta') args += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    expect(types[0]).toBe('response.created');
    expect(types[types.length - 1]).toBe('response.completed');
    expect(text).toBe('Looking…');
    expect(JSON.parse(args)).toEqual({ q: 'news' });
    const call = completed!.output.find((o) => o.type === 'function_call');
    expect(call).toMatchObject({ name: 'search', arguments: '{"q":"news"}' });
  });
});

describe('Anthropic Messages API', () => {
  const anthropic = (): Anthropic => new Anthropic({ baseURL: mock.url, apiKey: 'ant-key', maxRetries: 0 });

  it('answers with text blocks, stop_reason and usage; records the Anthropic headers', async () => {
    const msg = await anthropic().messages.create({
      model: 'claude-3-5-haiku-latest',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Bonjour' }],
    });
    expect(msg.content).toEqual([
      { type: 'text', text: 'Mock answer from claude-3-5-haiku-latest to: Bonjour' },
    ]);
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage.input_tokens).toBeGreaterThan(0);
    expect(msg.usage.cache_read_input_tokens).toBe(0);
    const [req] = await mock.waitForRequests(1);
    // This SDK version sends the key as a Bearer token; older ones (and curl users) use x-api-key.
    expect(req!.headers['x-api-key'] ?? req!.headers.authorization).toMatch(/ant-key$/);
    expect(req!.headers['anthropic-version']).toBeDefined();
  });

  it('accounts prompt caching: first a cache write, then a cache read for the same prefix', async () => {
    const request = {
      model: 'claude-3-5-haiku-latest',
      max_tokens: 50,
      system: [
        {
          type: 'text' as const,
          text: 'Long policy. '.repeat(100),
          cache_control: { type: 'ephemeral' as const },
        },
      ],
      messages: [{ role: 'user' as const, content: 'question' }],
    };
    const first = await anthropic().messages.create(request);
    const second = await anthropic().messages.create(request);
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(200);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
  });

  it('streams text with ping, and the SDK assembles the final message', async () => {
    const stream = anthropic().messages.stream({
      model: 'claude-3-5-haiku-latest',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Stream this' }],
    });
    const types: string[] = [];
    stream.on('streamEvent', (e) => types.push(e.type));
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({
      type: 'text',
      text: 'Mock answer from claude-3-5-haiku-latest to: Stream this',
    });
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    expect(types[0]).toBe('message_start');
    expect(types[types.length - 1]).toBe('message_stop');
    // The SDK swallows pings; check the wire.
    const raw = await post(
      '/v1/messages',
      { model: 'claude', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'x' }] },
      { 'anthropic-version': '2023-06-01' },
    );
    expect(await raw.text()).toContain('event: ping\ndata: {"type":"ping"}');
  });

  it('streams several parallel tool_use blocks via input_json_delta', async () => {
    mock.script({
      path: '/v1/messages',
      reply: replies.toolCalls(
        [
          { name: 'get_weather', arguments: { city: 'Paris' } },
          { name: 'get_time', arguments: { tz: 'Europe/Rome' } },
        ],
        { text: 'Checking both.' },
      ),
    });
    const stream = anthropic().messages.stream({
      model: 'claude-3-5-sonnet-latest',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Weather and time?' }],
      tools: [
        { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
        { name: 'get_time', input_schema: { type: 'object', properties: { tz: { type: 'string' } } } },
      ],
    });
    let jsonDeltas = 0;
    stream.on('streamEvent', (e) => {
      if (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta') jsonDeltas++;
    });
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content.map((b) => b.type)).toEqual(['text', 'tool_use', 'tool_use']);
    const tools = final.content.filter((b) => b.type === 'tool_use');
    expect(tools.map((t) => t.input)).toEqual([{ city: 'Paris' }, { tz: 'Europe/Rome' }]);
    expect(jsonDeltas).toBeGreaterThanOrEqual(4);
  });

  it('returns errors in the Anthropic shape', async () => {
    mock.script({ times: 1, reply: replies.rateLimit(7) });
    const limited = await anthropic()
      .messages.create({ model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect((limited as InstanceType<typeof Anthropic.APIError>).headers?.get('retry-after')).toBe('7');
    expect((limited as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error' },
    });

    const overflow = await post(
      '/v1/messages',
      { model: 'claude-ctx-small', max_tokens: 10, messages: [{ role: 'user', content: 'a'.repeat(6000) }] },
      { 'anthropic-version': '2023-06-01' },
    );
    expect(overflow.status).toBe(400);
    expect(await overflow.json()).toMatchObject({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: expect.stringMatching(/^prompt is too long: \d+ tokens > 1024 maximum$/),
      },
    });

    const invalid = await post('/v1/messages', {
      model: 'claude',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { message: 'max_tokens: Field required' } });
  });

  it('throws on a mid-stream error event', async () => {
    mock.script({ reply: replies.brokenStream(3, 'error') });
    const stream = anthropic().messages.stream({
      model: 'claude',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'x' }],
    });
    await expect(stream.finalMessage()).rejects.toBeInstanceOf(Anthropic.APIError);
  });

  it('lists models in the Anthropic shape', async () => {
    const page = await anthropic().models.list();
    expect(page.data[0]).toMatchObject({ type: 'model', id: 'gpt-4o-mini' });
  });
});

describe('AWS Bedrock', () => {
  const credentials = { accessKeyId: 'AKIDMOCK', secretAccessKey: 'mock-secret' };
  const runtime = (): BedrockRuntimeClient =>
    new BedrockRuntimeClient({ region: 'us-east-1', endpoint: mock.url, credentials, maxAttempts: 1 });
  const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';

  async function collect(
    stream: AsyncIterable<ConverseStreamOutput> | undefined,
  ): Promise<ConverseStreamOutput[]> {
    const events: ConverseStreamOutput[] = [];
    for await (const e of stream!) events.push(e);
    return events;
  }

  it('Converse: text answer, stopReason, usage; SigV4 header recorded, model id decoded', async () => {
    const res = await runtime().send(
      new ConverseCommand({
        modelId: MODEL,
        system: [{ text: 'Be kind.' }],
        messages: [{ role: 'user', content: [{ text: 'Hallo Bedrock' }] }],
        inferenceConfig: { maxTokens: 100 },
      }),
    );
    expect(res.output!.message!.content).toEqual([{ text: `Mock answer from ${MODEL} to: Hallo Bedrock` }]);
    expect(res.stopReason).toBe('end_turn');
    expect(res.usage!.totalTokens).toBe(res.usage!.inputTokens! + res.usage!.outputTokens!);
    const [req] = await mock.waitForRequests(1);
    expect(req).toMatchObject({ dialect: 'bedrock', model: MODEL, stream: false });
    expect(req!.path).toBe('/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse');
    expect(String(req!.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 /);
  });

  it('Converse: parallel toolUse blocks with object input', async () => {
    mock.script({
      reply: replies.toolCalls([
        { name: 'get_weather', arguments: { city: 'Oslo' } },
        { name: 'get_weather', arguments: { city: 'Bergen' } },
      ]),
    });
    const res = await runtime().send(
      new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'weather' }] }] }),
    );
    expect(res.stopReason).toBe('tool_use');
    const uses = res.output!.message!.content!.map((c) => c.toolUse);
    expect(uses.map((u) => u!.input)).toEqual([{ city: 'Oslo' }, { city: 'Bergen' }]);
    expect(uses[0]!.toolUseId).not.toBe(uses[1]!.toolUseId);
  });

  it('ConverseStream: binary event stream decoded by the SDK (text, stop, metadata usage)', async () => {
    const res = await runtime().send(
      new ConverseStreamCommand({
        modelId: MODEL,
        messages: [{ role: 'user', content: [{ text: 'stream it' }] }],
      }),
    );
    const events = await collect(res.stream);
    expect(events[0]!.messageStart).toEqual({ role: 'assistant' });
    const text = events.map((e) => e.contentBlockDelta?.delta?.text ?? '').join('');
    expect(text).toBe(`Mock answer from ${MODEL} to: stream it`);
    expect(events.find((e) => e.messageStop)!.messageStop!.stopReason).toBe('end_turn');
    expect(events[events.length - 1]!.metadata!.usage!.outputTokens).toBeGreaterThan(0);
    expect(mock.requests[0]!.stream).toBe(true);
  });

  it('ConverseStream: toolUse start and input split across deltas', async () => {
    const res = await runtime().send(
      new ConverseStreamCommand({
        modelId: 'mock-parallel-tools',
        messages: [{ role: 'user', content: [{ text: 'use tools' }] }],
        toolConfig: {
          tools: [
            {
              toolSpec: {
                name: 'search',
                inputSchema: {
                  json: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
                },
              },
            },
            {
              toolSpec: {
                name: 'count',
                inputSchema: { json: { type: 'object', properties: { n: { type: 'integer' } } } },
              },
            },
          ],
        },
      }),
    );
    const events = await collect(res.stream);
    const starts = events.filter((e) => e.contentBlockStart).map((e) => e.contentBlockStart!);
    expect(starts.map((s) => s.start!.toolUse!.name)).toEqual(['search', 'count']);
    const inputFor = (index: number): string =>
      events
        .filter((e) => e.contentBlockDelta?.contentBlockIndex === index)
        .map((e) => e.contentBlockDelta!.delta!.toolUse!.input)
        .join('');
    expect(JSON.parse(inputFor(starts[0]!.contentBlockIndex!))).toEqual({ q: 'mock' });
    expect(JSON.parse(inputFor(starts[1]!.contentBlockIndex!))).toEqual({ n: 1 });
    expect(events.find((e) => e.messageStop)!.messageStop!.stopReason).toBe('tool_use');
  });

  it('errors: throttling, context overflow (ValidationException) and a mid-stream exception', async () => {
    mock.script({ times: 1, reply: replies.rateLimit(2) });
    const throttled = await failureOf(
      runtime().send(
        new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'x' }] }] }),
      ),
    );
    expect(throttled.name).toBe('ThrottlingException');
    expect(throttled.$metadata?.httpStatusCode).toBe(429);

    const overflow = await failureOf(
      runtime().send(
        new ConverseCommand({
          modelId: 'anthropic.claude-ctx-small',
          messages: [{ role: 'user', content: [{ text: 'b'.repeat(8000) }] }],
        }),
      ),
    );
    expect(overflow.name).toBe('ValidationException');
    expect(overflow.message).toMatch(/prompt is too long: \d+ tokens > 1024 maximum/);

    mock.script({ reply: replies.brokenStream(2, 'error') });
    const res = await runtime().send(
      new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'x' }] }] }),
    );
    const err = await collect(res.stream).catch((e: unknown) => e as Error);
    expect((err as Error).name).toBe('ModelStreamErrorException');
  });

  it('records aborted: true when the SDK cancels a ConverseStream mid-way (HTTP/2)', async () => {
    const controller = new AbortController();
    const res = await runtime().send(
      new ConverseStreamCommand({
        modelId: 'mock-drip-200',
        messages: [{ role: 'user', content: [{ text: 'a long answer please' }] }],
      }),
      { abortSignal: controller.signal },
    );
    const iterator = res.stream![Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();
    await iterator.next().catch(() => undefined);
    await mock.waitFor(() => mock.requests[0]?.aborted === true, 2000);
  });

  it('InvokeModel embeddings for Titan and Cohere', async () => {
    const titan = await runtime().send(
      new InvokeModelCommand({
        modelId: 'amazon.titan-embed-text-v2:0',
        contentType: 'application/json',
        body: JSON.stringify({ inputText: 'hello', dimensions: 256 }),
      }),
    );
    const titanBody = JSON.parse(new TextDecoder().decode(titan.body)) as {
      embedding: number[];
      inputTextTokenCount: number;
    };
    expect(titanBody.embedding).toHaveLength(256);
    expect(titanBody.inputTextTokenCount).toBeGreaterThan(0);

    const cohere = await runtime().send(
      new InvokeModelCommand({
        modelId: 'cohere.embed-english-v3',
        contentType: 'application/json',
        body: JSON.stringify({ texts: ['a', 'b'], input_type: 'search_document' }),
      }),
    );
    const cohereBody = JSON.parse(new TextDecoder().decode(cohere.body)) as { embeddings: number[][] };
    expect(cohereBody.embeddings).toHaveLength(2);
  });

  it('control plane: ListFoundationModels and ListInferenceProfiles', async () => {
    const control = new BedrockClient({
      region: 'us-east-1',
      endpoint: mock.url,
      credentials,
      maxAttempts: 1,
    });
    const models = await control.send(new ListFoundationModelsCommand({}));
    expect(models.modelSummaries!.map((m) => m.modelId)).toContain(MODEL);
    expect(models.modelSummaries![0]).toMatchObject({
      responseStreamingSupported: true,
      inferenceTypesSupported: ['ON_DEMAND'],
    });
    const profiles = await control.send(new ListInferenceProfilesCommand({}));
    expect(profiles.inferenceProfileSummaries![0]).toMatchObject({
      type: 'SYSTEM_DEFINED',
      status: 'ACTIVE',
    });
  });
});
