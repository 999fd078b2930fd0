import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import mongoose from 'mongoose';
import OpenAI from 'openai';

import { SecretBox } from '../src/common/crypto/secret-box';
import { AnalyticsWriter } from '../src/modules/analytics/analytics-writer.service';
import { GatewaySettings } from '../src/modules/gateway/gateway.settings';
import { ModelsRepository } from '../src/modules/providers/models.repository';
import type { ModelApiType, ProviderOptions, ProviderType } from '../src/modules/providers/provider.types';
import { ProvidersRepository } from '../src/modules/providers/providers.repository';
import { listenOnRandomPort, startTestApp } from './support/app';
import { publishConfig, seedTenant, type SeededTenant } from './support/gateway';
import { type MockUpstream, type RecordedRequest, replies, startMockUpstream } from './support/mock-upstream';
import { storedRequestLogs } from './support/request-logs';

type Chunk = OpenAI.Chat.Completions.ChatCompletionChunk;

interface NativeModel {
  id: string;
  contextWindow?: number;
  apiType?: ModelApiType;
}

interface Kind {
  name: string;
  type: ProviderType;
  /** Chat model (Azure: deployment) the text and tool tests use. */
  chat: string;
  /** A model whose id makes the mock answer with the dialect's context overflow. */
  small: string;
  big: string;
  options?: ProviderOptions;
  auth: Record<string, string>;
  extraModels?: NativeModel[];
  /** What every upstream request of this kind must look like. */
  expectRequest(request: RecordedRequest, stream: boolean): void;
}

const KINDS: Kind[] = [
  {
    name: 'Azure OpenAI (chat completions)',
    type: 'azure',
    chat: 'gpt4o-prod',
    small: 'gpt4o-ctx-small',
    big: 'gpt4o-big',
    options: { apiVersion: '2024-10-21' },
    auth: { apiKey: 'az-key' },
    expectRequest: (request) => {
      expect(request.path).toMatch(/^\/openai\/deployments\/[^/]+\/chat\/completions$/);
      expect(request.query['api-version']).toBe('2024-10-21');
      expect(request.headers['api-key']).toBe('az-key');
    },
  },
  {
    name: 'Azure OpenAI (Responses API deployment)',
    type: 'azure',
    chat: 'gpt41-responses',
    small: 'gpt41-ctx-small',
    big: 'gpt41-big',
    options: { apiVersion: '2024-10-21' },
    auth: { apiKey: 'az-key' },
    expectRequest: (request, stream) => {
      expect(request.path).toBe('/openai/v1/responses');
      expect(request.headers['api-key']).toBe('az-key');
      expect(Array.isArray(request.body.input)).toBe(true);
      expect(request.body.stream === true).toBe(stream);
    },
  },
  {
    name: 'Anthropic',
    type: 'anthropic',
    chat: 'claude-sonnet-4',
    small: 'claude-ctx-small',
    big: 'claude-big',
    auth: { apiKey: 'ant-key' },
    expectRequest: (request, stream) => {
      expect(request.path).toBe('/v1/messages');
      expect(request.headers['x-api-key']).toBe('ant-key');
      expect(request.headers['anthropic-version']).toBe('2023-06-01');
      expect(request.body.stream === true).toBe(stream);
    },
  },
  {
    name: 'AWS Bedrock',
    type: 'bedrock',
    chat: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
    small: 'anthropic.claude-ctx-small',
    big: 'anthropic.claude-big',
    options: { region: 'eu-central-1' },
    auth: { accessKeyId: 'AKIDNATIVE', secretAccessKey: 'native-secret' },
    expectRequest: (request, stream) => {
      expect(request.path).toMatch(stream ? /\/converse-stream$/ : /\/converse$/);
      expect(request.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDNATIVE\/\d{8}\/eu-central-1\/bedrock\//,
      );
    },
  },
];

const TOOLS: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Weather of a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
  {
    type: 'function',
    function: {
      name: 'get_time',
      parameters: { type: 'object', properties: { tz: { type: 'string' } }, required: ['tz'] },
    },
  },
];

const TOOL_CALLS = [
  { name: 'get_weather', arguments: { city: 'Berlin' } },
  { name: 'get_time', arguments: { tz: 'Europe/Berlin' } },
];

describe('gateway: native Azure, Anthropic and Bedrock adapters (OpenAI SDK → gateway → mock upstream)', () => {
  let app: NestFastifyApplication;
  let mock: MockUpstream;
  let baseUrl: string;
  let db: mongoose.Connection;
  const tenants = new Map<string, SeededTenant & { providerSlug: string }>();
  let embeddingTenant: SeededTenant;

  async function seedNative(
    type: ProviderType,
    slug: string,
    auth: Record<string, string>,
    options: ProviderOptions,
    models: NativeModel[],
  ): Promise<string> {
    const box = app.get(SecretBox);
    const encrypted = Object.fromEntries(Object.entries(auth).map(([k, v]) => [k, box.encrypt(v)]));
    const provider = await app.get(ProvidersRepository).create({
      name: slug,
      slug,
      type,
      baseUrl: mock.url,
      auth: { type: type === 'bedrock' ? 'aws_credentials' : 'api_key', ...encrypted },
      options,
      enabled: true,
    });
    const providerId = provider._id.toString();
    for (const model of models) {
      const embeddings = model.apiType === 'embeddings';
      await app.get(ModelsRepository).upsert(providerId, model.id, {
        name: model.id,
        tier: 'medium',
        contextWindow: model.contextWindow ?? 200_000,
        maxOutputTokens: 8192,
        pricing: { inputPer1M: 1, outputPer1M: 2, cachedInputPer1M: null },
        capabilities: { vision: true, tools: true, fim: false, embeddings, reasoning: false },
        visible: true,
        priority: 50,
        apiType: model.apiType ?? 'chat',
      });
    }
    return providerId;
  }

  beforeAll(async () => {
    mock = await startMockUpstream();
    app = await startTestApp({ NODE_ROLE: 'worker' });
    app.get(GatewaySettings).retry = { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 3000 };
    baseUrl = await listenOnRandomPort(app);
    for (const [i, kind] of KINDS.entries()) {
      const apiType: ModelApiType = kind.chat.includes('responses') ? 'responses' : 'chat';
      const slug = `native-${kind.type}-${i}`;
      const providerId = await seedNative(kind.type, slug, kind.auth, kind.options ?? {}, [
        { id: kind.chat, apiType },
        { id: kind.small, apiType },
        { id: kind.big, apiType, contextWindow: 1_000_000 },
      ]);
      const tenant = await seedTenant(app, [providerId]);
      tenants.set(kind.name, { ...tenant, providerSlug: slug });
    }
    const azureEmbeddings = await seedNative('azure', 'native-azure-embed', { apiKey: 'az-key' }, {}, [
      { id: 'text-embedding-3-small', apiType: 'embeddings' },
    ]);
    const bedrockEmbeddings = await seedNative(
      'bedrock',
      'native-bedrock-embed',
      { accessKeyId: 'AKIDNATIVE', secretAccessKey: 'native-secret' },
      {},
      [
        { id: 'amazon.titan-embed-text-v2:0', apiType: 'embeddings' },
        { id: 'cohere.embed-english-v3', apiType: 'embeddings' },
      ],
    );
    embeddingTenant = await seedTenant(app, [azureEmbeddings, bedrockEmbeddings]);
    await publishConfig(app);
    db = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
  });
  afterAll(async () => {
    await app?.close();
    await mock?.close();
    await db?.close();
  });
  beforeEach(() => mock.reset());

  const sdk = (key: string): OpenAI => new OpenAI({ apiKey: key, baseURL: `${baseUrl}/v1`, maxRetries: 0 });

  async function collect(stream: AsyncIterable<Chunk>): Promise<Chunk[]> {
    const chunks: Chunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    return chunks;
  }

  describe.each(KINDS)('$name upstream', (kind) => {
    const tenant = (): SeededTenant & { providerSlug: string } => tenants.get(kind.name)!;

    it('answers a chat completion with usage, cost and an analytics row naming the provider', async () => {
      mock.script({
        reply: replies.text('Hello from upstream', { usage: { promptTokens: 12, completionTokens: 3 } }),
      });
      const { data, response } = await sdk(tenant().key)
        .chat.completions.create({
          model: kind.chat,
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'Hi' },
          ],
          max_tokens: 100,
        })
        .withResponse();
      expect(data.choices[0]?.message.content).toBe('Hello from upstream');
      expect(data.choices[0]?.finish_reason).toBe('stop');
      expect(data.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 3 });
      expect(response.headers.get('x-prism-provider')).toBe(tenant().providerSlug);
      expect(mock.requests).toHaveLength(1);
      kind.expectRequest(mock.requests[0]!, false);

      await app.get(AnalyticsWriter).flush();
      const [row] = await storedRequestLogs(db, (r) => r.requestId === response.headers.get('x-request-id'));
      expect(row).toMatchObject({
        providerSlug: tenant().providerSlug,
        routedModel: kind.chat,
        inputTokens: 12,
        outputTokens: 3,
        status: 'success',
      });
      expect(row?.costUsd).toBeCloseTo((12 * 1 + 3 * 2) / 1e6, 12);
    });

    it('streams text: role on the first chunk only, then the usage chunk with cost', async () => {
      mock.script({
        reply: replies.text('one two three four five six', {
          usage: { promptTokens: 7, completionTokens: 6 },
        }),
      });
      const stream = await sdk(tenant().key).chat.completions.create({
        model: kind.chat,
        messages: [{ role: 'user', content: 'count' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const chunks = await collect(stream);
      const withChoices = chunks.filter((c) => c.choices.length > 0);
      expect(withChoices[0]?.choices[0]?.delta.role).toBe('assistant');
      expect(withChoices.filter((c) => c.choices[0]?.delta.role !== undefined)).toHaveLength(1);
      expect(withChoices.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(
        'one two three four five six',
      );
      expect(withChoices.at(-1)?.choices[0]?.finish_reason).toBe('stop');
      const usage = chunks.at(-1) as unknown as { usage: unknown; cost_info: unknown };
      expect(usage.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 6 });
      expect(usage.cost_info).toMatchObject({ model: kind.chat, input_tokens: 7, output_tokens: 6 });
      kind.expectRequest(mock.requests[0]!, true);
    });

    it('returns several parallel tool calls (non-stream) and sends tools upstream', async () => {
      mock.script({ times: 1, reply: replies.toolCalls(TOOL_CALLS) });
      const data = await sdk(tenant().key).chat.completions.create({
        model: kind.chat,
        messages: [{ role: 'user', content: 'Weather and time in Berlin?' }],
        tools: TOOLS,
      });
      const choice = data.choices[0]!;
      expect(choice.finish_reason).toBe('tool_calls');
      const calls = (choice.message.tool_calls ??
        []) as OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall[];
      expect(calls.map((c) => c.function.name)).toEqual(['get_weather', 'get_time']);
      expect(calls.map((c) => JSON.parse(c.function.arguments) as unknown)).toEqual(
        TOOL_CALLS.map((c) => c.arguments),
      );
      expect(calls.every((c) => typeof c.id === 'string' && c.id.length > 0)).toBe(true);
      expect(JSON.stringify(mock.requests[0]?.body)).toContain('get_weather');

      // The round trip: tool results go back upstream in the vendor's format and the model answers.
      mock.script({ reply: replies.text('Sunny, 14:00') });
      const second = await sdk(tenant().key).chat.completions.create({
        model: kind.chat,
        messages: [
          { role: 'user', content: 'Weather and time in Berlin?' },
          { role: 'assistant', content: null, tool_calls: calls },
          { role: 'tool', tool_call_id: calls[0]!.id, content: 'sunny' },
          { role: 'tool', tool_call_id: calls[1]!.id, content: '14:00' },
        ],
        tools: TOOLS,
      });
      expect(second.choices[0]?.message.content).toBe('Sunny, 14:00');
      expect(JSON.stringify(mock.requests[1]?.body)).toContain(calls[1]!.id);
    });

    it('streams several parallel tool calls with indexes 0 and 1, id and name on their first chunk', async () => {
      mock.script({ reply: replies.toolCalls(TOOL_CALLS) });
      const stream = await sdk(tenant().key).chat.completions.create({
        model: kind.chat,
        messages: [{ role: 'user', content: 'Weather and time in Berlin?' }],
        tools: TOOLS,
        stream: true,
      });
      const chunks = (await collect(stream)).filter((c) => c.choices.length > 0);
      expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
      expect(chunks.filter((c) => c.choices[0]?.delta.role !== undefined)).toHaveLength(1);
      const calls = new Map<number, { id?: string; name?: string; args: string; firstHadId: boolean }>();
      for (const chunk of chunks) {
        for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
          const existing = calls.get(delta.index);
          if (!existing) {
            calls.set(delta.index, {
              id: delta.id,
              name: delta.function?.name,
              args: delta.function?.arguments ?? '',
              firstHadId: Boolean(delta.id && delta.function?.name),
            });
          } else {
            existing.args += delta.function?.arguments ?? '';
          }
        }
      }
      expect([...calls.keys()]).toEqual([0, 1]);
      expect([...calls.values()].every((c) => c.firstHadId)).toBe(true);
      expect([...calls.values()].map((c) => c.name)).toEqual(['get_weather', 'get_time']);
      expect([...calls.values()].map((c) => JSON.parse(c.args) as unknown)).toEqual(
        TOOL_CALLS.map((c) => c.arguments),
      );
      expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
    });

    it('retries after an upstream 429 (Retry-After honoured)', async () => {
      mock.script({ times: 1, reply: replies.rateLimit(1) });
      mock.script({ reply: replies.text('after the pause') });
      const started = Date.now();
      const data = await sdk(tenant().key).chat.completions.create({
        model: kind.chat,
        messages: [{ role: 'user', content: 'x' }],
      });
      expect(data.choices[0]?.message.content).toBe('after the pause');
      expect(mock.requests).toHaveLength(2);
      expect(mock.requests[0]?.status).toBe(429);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    });

    it('moves a prompt the upstream calls too long to the larger-window model', async () => {
      mock.script({ model: kind.big, reply: replies.text('fits now') });
      const { data, response } = await sdk(tenant().key)
        .chat.completions.create({
          model: kind.small,
          messages: [{ role: 'user', content: 'lorem ipsum '.repeat(1_000) }],
        })
        .withResponse();
      expect(data.choices[0]?.message.content).toBe('fits now');
      expect(response.headers.get('x-prism-context-fallback')).toBe(kind.big);
      expect(mock.requests.map((r) => r.model)).toEqual([kind.small, kind.big]);
      expect(mock.requests[0]?.status).toBe(400);
    });

    it('answers 400 without retrying when the upstream rejects the request', async () => {
      mock.script({ reply: replies.error(400, 'bad parameter') });
      await expect(
        sdk(tenant().key).chat.completions.create({
          model: kind.chat,
          messages: [{ role: 'user', content: 'x' }],
        }),
      ).rejects.toMatchObject({ status: 400 });
      expect(mock.requests).toHaveLength(1);
    });
  });

  describe('embeddings', () => {
    it.each([
      [
        'Azure OpenAI',
        'text-embedding-3-small',
        /^\/openai\/deployments\/text-embedding-3-small\/embeddings$/,
      ],
      ['Bedrock Titan', 'amazon.titan-embed-text-v2:0', /\/invoke$/],
      ['Bedrock Cohere', 'cohere.embed-english-v3', /\/invoke$/],
    ])('%s: vectors in input order, usage and an analytics row', async (_name, model, path) => {
      const { data, response } = await sdk(embeddingTenant.key)
        .embeddings.create({ model, input: ['first text', 'second text'] })
        .withResponse();
      expect(data.data.map((d) => d.index)).toEqual([0, 1]);
      expect(data.data.every((d) => Array.isArray(d.embedding) && d.embedding.length > 0)).toBe(true);
      expect(data.data[0]?.embedding).not.toEqual(data.data[1]?.embedding);
      expect(data.usage.prompt_tokens).toBeGreaterThan(0);
      expect(mock.requests.every((r) => path.test(r.path))).toBe(true);
      await app.get(AnalyticsWriter).flush();
      const [row] = await storedRequestLogs(db, (r) => r.requestId === response.headers.get('x-request-id'));
      expect(row).toMatchObject({ endpoint: 'embeddings', routedModel: model, status: 'success' });
      expect(row?.inputTokens).toBe(data.usage.prompt_tokens);
    });
  });
});
