import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import OpenAI from 'openai';

import { listenOnRandomPort, startTestApp } from './support/app';
import {
  publishConfig,
  seedProvider,
  seedTenant,
  type SeededProvider,
  type SeededTenant,
} from './support/gateway';
import { type MockUpstream, replies, startMockUpstream } from './support/mock-upstream';

describe('gateway: OpenAI SDK against the mock upstream', () => {
  let app: NestFastifyApplication;
  let mock: MockUpstream;
  let baseUrl: string;
  let provider: SeededProvider;
  let tenant: SeededTenant;

  beforeAll(async () => {
    mock = await startMockUpstream();
    app = await startTestApp({ NODE_ROLE: 'worker' });
    baseUrl = await listenOnRandomPort(app);
    provider = await seedProvider(app, mock.url, [
      { id: 'gpt-4o-mini', tier: 'low', inputPer1M: 0.15, outputPer1M: 0.6, contextWindow: 128_000 },
      { id: 'gpt-4o', tier: 'high', inputPer1M: 2.5, outputPer1M: 10, contextWindow: 128_000 },
      { id: 'long-context', tier: 'high', inputPer1M: 3, outputPer1M: 15, contextWindow: 1_000_000 },
      { id: 'text-embedding-3-small', embeddings: true, inputPer1M: 0.02, outputPer1M: 0 },
      { id: 'secret-model', visible: false },
    ]);
    tenant = await seedTenant(app, [provider.id], {
      aliases: [{ alias: 'fast', model: 'gpt-4o-mini' }],
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
  });
  afterAll(async () => {
    await app.close();
    await mock.close();
  });
  beforeEach(() => mock.reset());

  const client = (path = `/api/${tenant.slug}/v1`): OpenAI =>
    new OpenAI({ apiKey: tenant.key, baseURL: baseUrl + path, maxRetries: 0 });

  it('answers a chat completion with usage, cost_info and x-prism headers', async () => {
    mock.script({ reply: replies.text('Hello there', { usage: { promptTokens: 12, completionTokens: 3 } }) });
    const { data, response } = await client()
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('Hello there');
    expect(data.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 3 });
    const cost = (data as unknown as { cost_info: Record<string, number | string> }).cost_info;
    const expected = (12 * 0.15 + 3 * 0.6) / 1e6;
    expect(cost).toMatchObject({
      model: 'gpt-4o-mini',
      input_tokens: 12,
      output_tokens: 3,
      baseline_model: 'gpt-4o-mini',
      saved_usd: 0,
    });
    expect(cost.cost_usd).toBeCloseTo(expected, 10);
    expect(response.headers.get('x-prism-model')).toBe('gpt-4o-mini');
    expect(response.headers.get('x-prism-provider')).toBe(provider.slug);
    expect(response.headers.get('x-prism-tier')).toBe('low');
    expect(Number(response.headers.get('x-prism-cost-usd'))).toBe(cost.cost_usd);
    expect(Number(response.headers.get('x-prism-overhead-ms'))).toBeGreaterThanOrEqual(0);
    expect(mock.requests[0]?.headers.authorization).toBe('Bearer sk-upstream-test');
    expect(mock.requests[0]?.body.model).toBe('gpt-4o-mini');
  });

  it('streams chunk by chunk with the usage chunk and its cost when the client asks for usage', async () => {
    mock.script({
      reply: replies.text('one two three four five six', { usage: { promptTokens: 5, completionTokens: 6 } }),
    });
    const { data: stream, response } = await client('/v1')
      .chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'count' }],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    expect(response.headers.get('x-prism-model')).toBe('gpt-4o-mini');
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    let text = '';
    let chunks = 0;
    let last: Record<string, unknown> | undefined;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) last = chunk as unknown as Record<string, unknown>;
    }
    expect(text).toBe('one two three four five six');
    expect(chunks).toBeGreaterThan(2);
    expect(last?.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 6 });
    expect(last?.cost_info).toMatchObject({ model: 'gpt-4o-mini', input_tokens: 5, output_tokens: 6 });
    expect(mock.requests[0]?.body.stream_options).toEqual({ include_usage: true });
  });

  it('asks the upstream for usage but does not send the usage chunk to a client that did not ask', async () => {
    mock.script({ reply: replies.text('abc def', { usage: { promptTokens: 5, completionTokens: 2 } }) });
    const stream = await client('/api/v1').chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
    expect(mock.requests[0]?.body.stream_options).toEqual({ include_usage: true });
  });

  it('round-trips tools and tool_calls', async () => {
    mock.script({
      times: 1,
      reply: replies.toolCalls([{ name: 'get_weather', arguments: { city: 'Berlin' }, id: 'call_1' }]),
    });
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    ];
    const first = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Berlin?' }],
      tools,
    });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Berlin' });
    expect(mock.requests[0]?.body.tools).toEqual(tools);

    mock.script({ reply: replies.text('It is sunny in Berlin.') });
    const second = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: 'Weather in Berlin?' },
        first.choices[0]!.message,
        { role: 'tool', tool_call_id: call!.id, content: '{"temp": 21}' },
      ],
      tools,
    });
    expect(second.choices[0]?.message.content).toBe('It is sunny in Berlin.');
    const sent = mock.requests[1]?.body.messages;
    expect(sent[1].tool_calls[0].id).toBe('call_1');
    expect(sent[2]).toMatchObject({ role: 'tool', tool_call_id: 'call_1' });
  });

  it('streams tool calls', async () => {
    mock.script({ reply: replies.toolCalls([{ name: 'lookup', arguments: { q: 'prism' } }]) });
    const stream = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'look it up' }],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
      stream: true,
    });
    let args = '';
    let name = '';
    for await (const chunk of stream) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      if (call?.function?.name) name = call.function.name;
      args += call?.function?.arguments ?? '';
    }
    expect(name).toBe('lookup');
    expect(JSON.parse(args)).toEqual({ q: 'prism' });
  });

  it('creates embeddings', async () => {
    const result = await client().embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(result.data).toHaveLength(2);
    expect(result.data[0]?.embedding.length).toBeGreaterThan(0);
    expect(mock.requests[0]?.path).toBe('/v1/embeddings');
  });

  it('serves legacy completions', async () => {
    mock.script({ reply: replies.text('world') });
    const result = await client().completions.create({ model: 'gpt-4o-mini', prompt: 'hello', suffix: '!' });
    expect(result.choices[0]?.text).toBe('world');
    expect(mock.requests[0]?.path).toBe('/v1/completions');
  });

  it('lists only the models the key may use, auto first, hidden models left out', async () => {
    const page = await client().models.list();
    const ids = page.data.map((m) => m.id);
    expect(ids[0]).toBe('auto');
    expect(ids).toEqual(expect.arrayContaining(['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small']));
    expect(ids).not.toContain('secret-model');
    const one = await client().models.retrieve('gpt-4o');
    expect(one).toMatchObject({ id: 'gpt-4o', object: 'model', owned_by: provider.slug });
  });

  it('auto-routes through the routing engine and reports routing and savings against the baseline', async () => {
    mock.script({ reply: replies.text('routed', { usage: { promptTokens: 100, completionTokens: 10 } }) });
    const { data: result, response } = await client()
      .chat.completions.create({
        model: 'auto',
        messages: [{ role: 'user', content: 'Hi, how are you today?' }],
      })
      .withResponse();
    const body = result as unknown as Record<string, Record<string, unknown>>;
    // Small talk lands on the cheapest suitable model.
    expect(mock.requests[0]?.body.model).toBe('gpt-4o-mini');
    expect(body.auto_routing).toMatchObject({ model_id: 'gpt-4o-mini' });
    expect(typeof body.auto_routing?.category).toBe('string');
    expect(typeof body.auto_routing?.tier).toBe('string');
    expect(typeof body.auto_routing?.confidence).toBe('number');
    expect(response.headers.get('x-prism-auto-routed')).toBe('true');
    expect(response.headers.get('x-prism-category')).toBe(body.auto_routing?.category);
    expect(body.cost_info).toMatchObject({ model: 'gpt-4o-mini', baseline_model: 'gpt-4o' });
    const baseline = (100 * 2.5 + 10 * 10) / 1e6;
    const actual = (100 * 0.15 + 10 * 0.6) / 1e6;
    expect(body.cost_info?.saved_usd).toBeCloseTo(baseline - actual, 10);
  });

  it('resolves aliases and provider prefixes', async () => {
    mock.script({ reply: replies.text('ok') });
    await client().chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'x' }] });
    await client().chat.completions.create({
      model: `${provider.slug}/gpt-4o`,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(mock.requests.map((r) => r.body.model)).toEqual(['gpt-4o-mini', 'gpt-4o']);
  });

  it('moves a prompt too long for the model to a larger window before calling, and says so', async () => {
    mock.script({ reply: replies.text('summary') });
    const huge = 'word '.repeat(150_000);
    const result = await client().chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: huge }],
    });
    expect(mock.requests[0]?.body.model).toBe('long-context');
    expect((result as unknown as Record<string, unknown>).context_fallback).toEqual({
      original_model: 'gpt-4o',
      fallback_model: 'long-context',
      reason: 'context_preflight',
    });
    // Cost is compared honestly with what the client asked for: this cost more.
    const cost = (result as unknown as { cost_info: { saved_usd: number; baseline_model: string } })
      .cost_info;
    expect(cost.baseline_model).toBe('gpt-4o');
    expect(cost.saved_usd).toBeLessThan(0);
  });

  it('clamps max_tokens to the model output limit', async () => {
    mock.script({ reply: replies.text('ok') });
    await client().chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x' }],
      max_tokens: 500_000,
    });
    expect(mock.requests[0]?.body.max_tokens).toBe(16_384);
  });

  it('strips the opt-out token before forwarding', async () => {
    mock.script({ reply: replies.text('ok') });
    await client().chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Explain this --model-prism-accept-model please' }],
    });
    expect(mock.requests[0]?.body.messages[0].content).toBe('Explain this please');
  });
});
