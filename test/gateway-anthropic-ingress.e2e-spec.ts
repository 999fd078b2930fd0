import Anthropic from '@anthropic-ai/sdk';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import mongoose from 'mongoose';

import { AnalyticsWriter } from '../src/modules/analytics/analytics-writer.service';
import { GatewaySettings } from '../src/modules/gateway/gateway.settings';
import { listenOnRandomPort, startTestApp } from './support/app';
import {
  publishConfig,
  seedProvider,
  seedTenant,
  type SeededProvider,
  type SeededTenant,
} from './support/gateway';
import { type MockUpstream, replies, startMockUpstream } from './support/mock-upstream';
import type { RecordedRequest } from './support/mock-upstream';
import { storedRequestLogs } from './support/request-logs';

const KEY_A = 'sk-upstream-a';
const KEY_B = 'sk-upstream-b';
const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

interface AnthropicErrorBody {
  type: string;
  error: { type: string; message: string };
}

const fromA = (req: RecordedRequest): boolean => req.headers.authorization === `Bearer ${KEY_A}`;
const fromB = (req: RecordedRequest): boolean => req.headers.authorization === `Bearer ${KEY_B}`;

describe('gateway: Anthropic Messages ingress (/v1/messages) with the official Anthropic SDK', () => {
  let app: NestFastifyApplication;
  let mock: MockUpstream;
  let baseUrl: string;
  let a: SeededProvider;
  let tenant: SeededTenant;
  let db: mongoose.Connection;

  beforeAll(async () => {
    mock = await startMockUpstream();
    app = await startTestApp({ NODE_ROLE: 'worker' });
    app.get(GatewaySettings).retry = { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2000 };
    baseUrl = await listenOnRandomPort(app);
    a = await seedProvider(
      app,
      mock.url,
      [
        { id: 'gpt-4o-mini', tier: 'low', inputPer1M: 0.15, outputPer1M: 0.6 },
        { id: 'gpt-4o', tier: 'high', inputPer1M: 2.5, outputPer1M: 10, priority: 90 },
        { id: 'midstream-error' },
        { id: 'midstream-reset' },
        { id: 'fail-500' },
      ],
      { apiKey: KEY_A },
    );
    const b = await seedProvider(app, mock.url, [{ id: 'gpt-4o', tier: 'high', priority: 10 }], {
      apiKey: KEY_B,
    });
    tenant = await seedTenant(app, [a.id, b.id], {
      aliases: [
        { alias: 'claude-sonnet-4-6', model: 'gpt-4o' },
        { alias: 'claude-haiku-4-5', model: 'gpt-4o-mini' },
      ],
      routing: {
        enabled: true,
        strictness: 'off',
        optOutToken: '--model-prism-accept-model',
        classifierChain: [],
        defaultModel: 'gpt-4o-mini',
        baselineModel: 'gpt-4o',
        ruleSetId: null,
        costMode: null,
        overrides: {},
      },
    });
    await publishConfig(app);
    db = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
  });
  afterAll(async () => {
    await app.close();
    await mock.close();
    await db.close();
  });
  beforeEach(() => mock.reset());

  /** Default: `x-api-key` on `/api/:tenant/v1/messages` (the SDK appends `/v1/messages`). */
  const claude = (
    options: { key?: string; bearer?: boolean; path?: string; headers?: Record<string, string> } = {},
  ): Anthropic => {
    const key = options.key ?? tenant.key;
    return new Anthropic({
      baseURL: baseUrl + (options.path ?? `/api/${tenant.slug}`),
      apiKey: options.bearer ? null : key,
      authToken: options.bearer ? key : null,
      maxRetries: 0,
      defaultHeaders: options.headers,
    });
  };

  /** Raw POST for what the SDK's types do not let us send. */
  async function post(
    path: string,
    body: unknown,
    headers: Record<string, string> = { 'x-api-key': tenant.key },
  ): Promise<{ status: number; body: AnthropicErrorBody; headers: Headers }> {
    const response = await fetch(baseUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: response.status,
      body: (await response.json()) as AnthropicErrorBody,
      headers: response.headers,
    };
  }

  function expectAnthropicError(
    result: { status: number; body: AnthropicErrorBody },
    status: number,
    type: string,
  ): void {
    expect({ status: result.status, shape: result.body.type, type: result.body.error?.type }).toEqual({
      status,
      shape: 'error',
      type,
    });
    expect(typeof result.body.error.message).toBe('string');
  }

  const WEATHER_TOOL: Anthropic.Tool = {
    name: 'get_weather',
    description: 'Current weather of a city',
    input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  };
  const TIME_TOOL: Anthropic.Tool = {
    name: 'get_time',
    input_schema: { type: 'object', properties: { zone: { type: 'string' } } },
  };

  describe('answers', () => {
    it('text with a system prompt, a claude-style alias, usage and x-prism headers (x-api-key)', async () => {
      mock.script({
        reply: replies.text('Bonjour!', { usage: { promptTokens: 21, completionTokens: 4 } }),
      });
      const { data, response } = await claude()
        .messages.create({
          model: 'claude-sonnet-4-6',
          max_tokens: 256,
          system: 'You answer in French.',
          messages: [{ role: 'user', content: 'Say hello' }],
        })
        .withResponse();
      expect(data).toMatchObject({
        type: 'message',
        role: 'assistant',
        content: [{ type: 'text', text: 'Bonjour!' }],
        stop_reason: 'end_turn',
        usage: { input_tokens: 21, output_tokens: 4 },
      });
      expect(data.id).toMatch(/^msg_/);
      expect((data as unknown as { cost_info: { model: string } }).cost_info.model).toBe('gpt-4o');
      expect(response.headers.get('x-prism-model')).toBe('gpt-4o');
      const upstream = mock.requests[0]!;
      expect(upstream.path).toBe('/v1/chat/completions');
      expect(upstream.body.model).toBe('gpt-4o');
      expect(upstream.body.max_tokens).toBe(256);
      expect(upstream.body.messages).toEqual([
        { role: 'system', content: 'You answer in French.' },
        { role: 'user', content: 'Say hello' },
      ]);
    });

    it('authenticates with Authorization: Bearer on /v1/messages and accepts anthropic-beta', async () => {
      mock.script({ reply: replies.text('hi') });
      const data = await claude({
        bearer: true,
        path: '',
        headers: { 'anthropic-beta': 'prompt-caching-2024-07-31,fine-grained-tool-streaming-2025-05-14' },
      }).messages.create({
        model: 'gpt-4o-mini',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(data.content).toEqual([{ type: 'text', text: 'hi' }]);
      expect(mock.requests[0]?.headers.authorization).toBe(`Bearer ${KEY_A}`);
      // Claude Code calls the beta endpoint: `/v1/messages?beta=true`.
      const beta = await claude().beta.messages.create({
        model: 'gpt-4o-mini',
        max_tokens: 64,
        betas: ['interleaved-thinking-2025-05-14'],
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(beta.content).toEqual([{ type: 'text', text: 'hi' }]);
      expect(mock.requests).toHaveLength(2);
    });

    it('/api/v1/messages takes the tenant from the key; model auto is auto-routed', async () => {
      mock.script({ reply: replies.text('routed') });
      const { data, response } = await claude({ path: '/api' })
        .messages.create({
          model: 'auto',
          max_tokens: 64,
          messages: [{ role: 'user', content: 'hello there' }],
        })
        .withResponse();
      expect(data.content).toEqual([{ type: 'text', text: 'routed' }]);
      expect(response.headers.get('x-prism-auto-routed')).toBe('true');
      expect(data).toHaveProperty('auto_routing');
    });

    it('streams message_start, ping, text deltas, content_block_stop, message_delta with usage, message_stop', async () => {
      mock.script({
        reply: replies.text('one two three four five', { usage: { promptTokens: 9, completionTokens: 5 } }),
      });
      const response = await fetch(`${baseUrl}/v1/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-api-key': tenant.key,
          'anthropic-version': '2023-06-01',
        },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          max_tokens: 64,
          stream: true,
          messages: [{ role: 'user', content: 'count' }],
        }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const text = await response.text();
      const events = [...text.matchAll(/^event: (\S+)\ndata: (.*)$/gm)].map((m) => ({
        event: m[1],
        data: JSON.parse(m[2]!) as Record<string, unknown>,
      }));
      for (const e of events) expect(e.data.type).toBe(e.event);
      const kinds = events.map((e) => e.event);
      expect(kinds.slice(0, 3)).toEqual(['message_start', 'ping', 'content_block_start']);
      expect(kinds.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
      const streamed = events
        .filter((e) => e.event === 'content_block_delta')
        .map((e) => (e.data.delta as { text: string }).text)
        .join('');
      expect(streamed).toBe('one two three four five');
      expect(events.at(-2)?.data).toMatchObject({
        delta: { stop_reason: 'end_turn' },
        usage: { input_tokens: 9, output_tokens: 5 },
      });
      expect(mock.requests[0]?.body.stream_options).toEqual({ include_usage: true });
    });

    it('streams through the SDK helper to the final message', async () => {
      mock.script({
        reply: replies.text('streamed answer', { usage: { promptTokens: 7, completionTokens: 3 } }),
      });
      const stream = claude().messages.stream({
        model: 'claude-haiku-4-5',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'go' }],
      });
      let deltas = '';
      stream.on('text', (t) => (deltas += t));
      const final = await stream.finalMessage();
      expect(deltas).toBe('streamed answer');
      expect(final.content).toEqual([{ type: 'text', text: 'streamed answer' }]);
      expect(final.usage).toMatchObject({ input_tokens: 7, output_tokens: 3 });
      expect(final.stop_reason).toBe('end_turn');
    });

    it('images (base64 and url) reach the upstream as image_url parts', async () => {
      mock.script({ reply: replies.text('a red pixel') });
      const data = await claude().messages.create({
        model: 'gpt-4o-mini',
        max_tokens: 64,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_1PX } },
              { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
              { type: 'text', text: 'What is this?' },
            ],
          },
        ],
      });
      expect(data.content).toEqual([{ type: 'text', text: 'a red pixel' }]);
      expect(mock.requests[0]?.body.messages[0].content).toEqual([
        { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_1PX}` } },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
        { type: 'text', text: 'What is this?' },
      ]);
    });
  });

  describe('tools', () => {
    it('round trip: tool_use out, tool_result back in, tool_choice any → required', async () => {
      mock.script({
        times: 1,
        reply: replies.toolCalls([{ id: 'call_w1', name: 'get_weather', arguments: { city: 'Paris' } }]),
      });
      const first = await claude().messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 256,
        tools: [WEATHER_TOOL],
        tool_choice: { type: 'any' },
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
      });
      expect(first.stop_reason).toBe('tool_use');
      const toolUse = first.content.find((block) => block.type === 'tool_use');
      expect(toolUse).toEqual({
        type: 'tool_use',
        id: 'call_w1',
        name: 'get_weather',
        input: { city: 'Paris' },
      });
      expect(mock.requests[0]?.body.tool_choice).toBe('required');
      expect(mock.requests[0]?.body.tools[0]).toEqual({
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Current weather of a city',
          parameters: WEATHER_TOOL.input_schema,
        },
      });

      mock.script({ reply: replies.text('It is sunny in Paris.') });
      const second = await claude().messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 256,
        tools: [WEATHER_TOOL],
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          { role: 'assistant', content: first.content },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'call_w1', content: '{"sky":"clear","c":24}' }],
          },
        ],
      });
      expect(second.content).toEqual([{ type: 'text', text: 'It is sunny in Paris.' }]);
      expect(second.stop_reason).toBe('end_turn');
      const sent = mock.requests[1]!.body.messages as Record<string, unknown>[];
      expect(sent[1]).toMatchObject({
        role: 'assistant',
        tool_calls: [{ id: 'call_w1', type: 'function', function: { name: 'get_weather' } }],
      });
      expect(
        JSON.parse((sent[1]!.tool_calls as { function: { arguments: string } }[])[0]!.function.arguments),
      ).toEqual({ city: 'Paris' });
      expect(sent[2]).toEqual({ role: 'tool', tool_call_id: 'call_w1', content: '{"sky":"clear","c":24}' });
    });

    it('parallel tool calls in a stream get their own block indexes and complete JSON inputs', async () => {
      mock.script({
        reply: replies.toolCalls(
          [
            { id: 'call_a', name: 'get_weather', arguments: { city: 'Paris, France' } },
            { id: 'call_b', name: 'get_time', arguments: { zone: 'Europe/Paris' } },
          ],
          { text: 'Checking both.', stream: { chunkChars: 4 } },
        ),
      });
      const stream = await claude().messages.create({
        model: 'gpt-4o',
        max_tokens: 256,
        stream: true,
        tools: [WEATHER_TOOL, TIME_TOOL],
        messages: [{ role: 'user', content: 'Weather and time in Paris?' }],
      });
      const starts: { index: number; type: string; name?: string }[] = [];
      const json = new Map<number, string>();
      const stops: number[] = [];
      let stopReason: string | null = null;
      for await (const event of stream) {
        if (event.type === 'content_block_start') {
          const block = event.content_block as { type: string; name?: string };
          starts.push({ index: event.index, type: block.type, name: block.name });
        } else if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') {
          json.set(event.index, (json.get(event.index) ?? '') + event.delta.partial_json);
        } else if (event.type === 'content_block_stop') stops.push(event.index);
        else if (event.type === 'message_delta') stopReason = event.delta.stop_reason;
      }
      expect(starts).toEqual([
        { index: 0, type: 'text', name: undefined },
        { index: 1, type: 'tool_use', name: 'get_weather' },
        { index: 2, type: 'tool_use', name: 'get_time' },
      ]);
      expect(JSON.parse(json.get(1)!)).toEqual({ city: 'Paris, France' });
      expect(JSON.parse(json.get(2)!)).toEqual({ zone: 'Europe/Paris' });
      expect([...stops].sort()).toEqual([0, 1, 2]);
      expect(stopReason).toBe('tool_use');
    });

    it('the SDK stream helper assembles parallel tool_use blocks', async () => {
      mock.script({
        reply: replies.toolCalls([
          { id: 'call_1', name: 'get_weather', arguments: { city: 'Oslo' } },
          { id: 'call_2', name: 'get_weather', arguments: { city: 'Rome' } },
        ]),
      });
      const final = await claude()
        .messages.stream({
          model: 'gpt-4o',
          max_tokens: 256,
          tools: [WEATHER_TOOL],
          messages: [{ role: 'user', content: 'Oslo and Rome?' }],
        })
        .finalMessage();
      expect(final.content).toEqual([
        { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Oslo' } },
        { type: 'tool_use', id: 'call_2', name: 'get_weather', input: { city: 'Rome' } },
      ]);
      expect(final.stop_reason).toBe('tool_use');
    });
  });

  describe('errors are Anthropic-shaped', () => {
    it('401 without a key and with a wrong key', async () => {
      expectAnthropicError(
        await post(
          '/v1/messages',
          { model: 'gpt-4o-mini', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] },
          {},
        ),
        401,
        'authentication_error',
      );
      await expect(
        claude({ key: 'omp-not-a-real-key' }).messages.create({
          model: 'gpt-4o-mini',
          max_tokens: 10,
          messages: [{ role: 'user', content: 'x' }],
        }),
      ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
      expect(mock.requests).toHaveLength(0);
    });

    it('400 with the offending field: missing max_tokens, messages not an array, bad role, bad block, bad JSON', async () => {
      const ok = { model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] };
      const cases: [unknown, RegExp][] = [
        [{ model: 'gpt-4o-mini', messages: ok.messages }, /^max_tokens: /],
        [{ ...ok, max_tokens: 0 }, /^max_tokens: /],
        [{ ...ok, model: '' }, /^model: /],
        [{ ...ok, messages: 'hello' }, /^messages: /],
        [{ ...ok, messages: [] }, /^messages: at least one/],
        [{ ...ok, messages: [{ role: 'system', content: 'x' }] }, /^messages\.0\.role: /],
        [
          { ...ok, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file' } }] }] },
          /^messages\.0\.content\.0\.source\.type: /,
        ],
        [{ ...ok, messages: [{ role: 'user', content: [{ type: 'tool_result' }] }] }, /tool_use_id/],
        [{ ...ok, tools: [{ name: 'f' }] }, /^tools\.0\.input_schema: /],
        [{ ...ok, tool_choice: { type: 'tool' } }, /^tool_choice\.name: /],
        [{ ...ok, system: [{ type: 'image' }] }, /^system\.0: /],
        [{ ...ok, stream: 'yes' }, /^stream: /],
      ];
      for (const [body, message] of cases) {
        const res = await post('/v1/messages', body);
        expectAnthropicError(res, 400, 'invalid_request_error');
        expect(res.body.error.message).toMatch(message);
      }
      const bad = await post('/v1/messages', '{"model": ');
      expectAnthropicError(bad, 400, 'invalid_request_error');
      expect(bad.body.error.message).toBe('Request body is not valid JSON');
      expect(mock.requests).toHaveLength(0);
    });

    it('404 not_found_error for an unknown model, through the SDK', async () => {
      const error = await claude()
        .messages.create({
          model: 'claude-unknown-9',
          max_tokens: 10,
          messages: [{ role: 'user', content: 'x' }],
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.NotFoundError);
      expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
        type: 'error',
        error: { type: 'not_found_error' },
      });
    });

    it('429 rate_limit_error with retry-after when the tenant limit is reached', async () => {
      const limited = await seedTenant(app, [a.id], {
        rateLimit: { requestsPerMinute: 1, tokensPerMinute: 0 },
      });
      await publishConfig(app);
      mock.script({ reply: replies.text('ok') });
      const request = {
        model: 'gpt-4o-mini',
        max_tokens: 10,
        messages: [{ role: 'user' as const, content: 'x' }],
      };
      await claude({ key: limited.key, path: '' }).messages.create(request);
      const refused = await post('/v1/messages', request, { 'x-api-key': limited.key });
      expectAnthropicError(refused, 429, 'rate_limit_error');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      await expect(claude({ key: limited.key, path: '' }).messages.create(request)).rejects.toBeInstanceOf(
        Anthropic.RateLimitError,
      );
    });

    it('429 when the budget is spent', async () => {
      const capped = await seedTenant(app, [a.id], {
        budgets: { dailyUsd: 0.000001, weeklyUsd: 0, monthlyUsd: 0, enforcement: 'hard_block' },
      });
      await publishConfig(app);
      mock.script({ reply: replies.text('ok', { usage: { promptTokens: 1000, completionTokens: 1000 } }) });
      const request = { model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] };
      expect((await post('/v1/messages', request, { 'x-api-key': capped.key })).status).toBe(200);
      const blocked = await post('/v1/messages', request, { 'x-api-key': capped.key });
      expectAnthropicError(blocked, 429, 'rate_limit_error');
      expect(blocked.body.error.message).toMatch(/budget/);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('an upstream 500 falls back to the next provider; when every attempt fails, 502 api_error', async () => {
      mock.script({ match: fromA, reply: replies.serverError(500) });
      mock.script({ match: fromB, reply: replies.text('from b') });
      const { data, response } = await claude()
        .messages.create({
          model: 'claude-sonnet-4-6',
          max_tokens: 10,
          messages: [{ role: 'user', content: 'x' }],
        })
        .withResponse();
      expect(data.content).toEqual([{ type: 'text', text: 'from b' }]);
      expect(response.headers.get('x-prism-attempts')).toBe('2');

      const failed = await post('/v1/messages', {
        model: 'fail-500',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
      });
      expectAnthropicError(failed, 502, 'api_error');
    });

    it('a stream that fails upstream before the first byte falls back too', async () => {
      mock.script({ match: fromA, reply: replies.serverError(503) });
      mock.script({ match: fromB, reply: replies.text('streamed from b') });
      const final = await claude()
        .messages.stream({ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
        .finalMessage();
      expect(final.content).toEqual([{ type: 'text', text: 'streamed from b' }]);
    });

    it('mid-stream failures end the stream with an error event (upstream error event, connection reset)', async () => {
      for (const model of ['midstream-error', 'midstream-reset']) {
        const response = await fetch(`${baseUrl}/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': tenant.key },
          body: JSON.stringify({
            model,
            max_tokens: 64,
            stream: true,
            messages: [{ role: 'user', content: 'x' }],
          }),
        });
        expect(response.status).toBe(200);
        const text = await response.text();
        expect(text).toMatch(/^event: message_start\n/);
        const last = text.trim().split('\n\n').at(-1)!;
        expect(last).toMatch(/^event: error\ndata: /);
        const data = JSON.parse(last.split('\n')[1]!.slice(6)) as AnthropicErrorBody;
        expect(data.type).toBe('error');
        expect(typeof data.error.type).toBe('string');
        expect(text).not.toContain('message_stop');
        expect(text).not.toContain('[DONE]');
      }
      await expect(
        (async () => {
          const stream = await claude().messages.create({
            model: 'midstream-error',
            max_tokens: 64,
            stream: true,
            messages: [{ role: 'user', content: 'x' }],
          });
          for await (const _event of stream) void _event;
        })(),
      ).rejects.toBeInstanceOf(Anthropic.APIError);
    });
  });

  describe('count_tokens and analytics', () => {
    it('count_tokens answers an estimate without calling the upstream; it needs a key', async () => {
      const counted = await claude().messages.countTokens({
        model: 'claude-sonnet-4-6',
        system: 'Be brief.',
        tools: [WEATHER_TOOL],
        messages: [{ role: 'user', content: 'How is the weather in Paris today?' }],
      });
      expect(counted.input_tokens).toBeGreaterThan(10);
      expect(mock.requests).toHaveLength(0);
      expectAnthropicError(
        await post(
          '/v1/messages/count_tokens',
          { model: 'x', messages: [{ role: 'user', content: 'x' }] },
          {},
        ),
        401,
        'authentication_error',
      );
      expectAnthropicError(
        await post('/v1/messages/count_tokens', { model: 'x', messages: 'x' }),
        400,
        'invalid_request_error',
      );
    });

    it('writes an analytics row with endpoint messages (successes and refusals)', async () => {
      mock.script({ reply: replies.text('logged', { usage: { promptTokens: 30, completionTokens: 6 } }) });
      const { response } = await claude()
        .messages.create({
          model: 'claude-sonnet-4-6',
          max_tokens: 32,
          messages: [{ role: 'user', content: 'x' }],
        })
        .withResponse();
      const refused = await post('/v1/messages', { model: 'claude-sonnet-4-6', messages: [] });
      await app.get(AnalyticsWriter).flush();
      const [row] = await storedRequestLogs(db, (r) => r.requestId === response.headers.get('x-request-id'));
      expect(row).toMatchObject({
        tenantId: tenant.id,
        endpoint: 'messages',
        requestedModel: 'claude-sonnet-4-6',
        routedModel: 'gpt-4o',
        providerSlug: a.slug,
        inputTokens: 30,
        outputTokens: 6,
        status: 'success',
        httpStatus: 200,
      });
      expect(row?.costUsd).toBeCloseTo((30 * 2.5 + 6 * 10) / 1e6, 12);
      const [refusal] = await storedRequestLogs(
        db,
        (r) => r.requestId === refused.headers.get('x-request-id'),
      );
      expect(refusal).toMatchObject({
        endpoint: 'messages',
        status: 'error',
        httpStatus: 400,
        errorCode: 'invalid_request',
      });
    });
  });
});
