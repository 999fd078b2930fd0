import Anthropic from '@anthropic-ai/sdk';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import OpenAI from 'openai';

import { SecretBox } from '../src/common/crypto/secret-box';
import { ModelsRepository } from '../src/modules/providers/models.repository';
import type { ModelApiType, ProviderOptions, ProviderType } from '../src/modules/providers/provider.types';
import { ProvidersRepository } from '../src/modules/providers/providers.repository';
import { listenOnRandomPort, startTestApp } from './support/app';
import { publishConfig, seedTenant, type SeededTenant } from './support/gateway';
import { type Dialect, type MockUpstream, replies, startMockUpstream } from './support/mock-upstream';

/**
 * The "Done when" matrix of issue 6: every client SDK × every upstream kind × stream or not ×
 * text or tool call, through the gateway to the mock upstream, checking content, tool calls
 * (two parallel calls, so indexes matter) and usage.
 */

type Client = 'openai' | 'anthropic';
type Shape = 'text' | 'tool';

interface Upstream {
  name: string;
  type: ProviderType;
  /** The model (Azure: deployment) this upstream serves; unique, so the model picks the upstream. */
  model: string;
  dialect: Dialect;
  path: RegExp;
  options?: ProviderOptions;
  auth: Record<string, string>;
  /** Azure deployments configured for the Responses API. */
  apiType?: ModelApiType;
}

const UPSTREAMS: Upstream[] = [
  {
    name: 'OpenAI-compatible',
    type: 'openai',
    model: 'gpt-4o-mini',
    dialect: 'openai',
    path: /^\/v1\/chat\/completions$/,
    auth: { apiKey: 'sk-openai' },
  },
  {
    name: 'Azure OpenAI',
    type: 'azure',
    model: 'gpt4o-prod',
    dialect: 'azure',
    path: /^\/openai\/deployments\/gpt4o-prod\/chat\/completions$/,
    options: { apiVersion: '2024-10-21' },
    auth: { apiKey: 'az-key' },
  },
  {
    name: 'Azure OpenAI (Responses API)',
    type: 'azure',
    model: 'gpt41-responses',
    dialect: 'azure',
    path: /^\/openai\/v1\/responses$/,
    options: { apiVersion: '2024-10-21' },
    auth: { apiKey: 'az-key' },
    apiType: 'responses',
  },
  {
    name: 'Anthropic',
    type: 'anthropic',
    model: 'claude-sonnet-4',
    dialect: 'anthropic',
    path: /^\/v1\/messages$/,
    auth: { apiKey: 'ant-key' },
  },
  {
    name: 'AWS Bedrock',
    type: 'bedrock',
    model: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
    dialect: 'bedrock',
    path: /^\/model\/[^/]+\/converse(-stream)?$/,
    options: { region: 'eu-central-1' },
    auth: { accessKeyId: 'AKIDMATRIX', secretAccessKey: 'matrix-secret' },
  },
];

const TEXT = 'The matrix answer, streamed in pieces.';
const USAGE = { promptTokens: 23, completionTokens: 9 };
const CALLS = [
  { name: 'get_weather', arguments: { city: 'Berlin, DE' } },
  { name: 'get_time', arguments: { tz: 'Europe/Berlin', format: '24h' } },
];
const SCHEMAS = {
  get_weather: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  get_time: {
    type: 'object',
    properties: { tz: { type: 'string' }, format: { type: 'string' } },
    required: ['tz'],
  },
} as const;

interface Row {
  client: Client;
  upstream: Upstream;
  stream: boolean;
  shape: Shape;
}

const ROWS: Row[] = (['openai', 'anthropic'] as const).flatMap((client) =>
  UPSTREAMS.flatMap((upstream) =>
    [false, true].flatMap((stream) =>
      (['text', 'tool'] as const).map((shape) => ({ client, upstream, stream, shape })),
    ),
  ),
);

interface Outcome {
  text: string;
  calls: { name: string; arguments: unknown }[];
  stop: string | null | undefined;
  inputTokens: number | undefined;
  outputTokens: number | undefined;
}

describe('gateway SDK matrix: {OpenAI, Anthropic SDK} × {OpenAI, Azure, Anthropic, Bedrock} × {stream, JSON} × {text, tools}', () => {
  let app: NestFastifyApplication;
  let mock: MockUpstream;
  let baseUrl: string;
  let tenant: SeededTenant;

  async function seedUpstream(upstream: Upstream, index: number): Promise<string> {
    const box = app.get(SecretBox);
    const auth = Object.fromEntries(Object.entries(upstream.auth).map(([k, v]) => [k, box.encrypt(v)]));
    const slug = `matrix-${upstream.type}-${index}`;
    const provider = await app.get(ProvidersRepository).create({
      name: slug,
      slug,
      type: upstream.type,
      baseUrl: mock.url,
      auth: { type: upstream.type === 'bedrock' ? 'aws_credentials' : 'api_key', ...auth },
      options: upstream.options ?? {},
      enabled: true,
    });
    const providerId = provider._id.toString();
    await app.get(ModelsRepository).upsert(providerId, upstream.model, {
      name: upstream.model,
      tier: 'medium',
      contextWindow: 200_000,
      maxOutputTokens: 8192,
      pricing: { inputPer1M: 1, outputPer1M: 2, cachedInputPer1M: null },
      capabilities: { vision: true, tools: true, fim: false, embeddings: false, reasoning: false },
      visible: true,
      priority: 50,
      apiType: upstream.apiType ?? 'chat',
    });
    return providerId;
  }

  beforeAll(async () => {
    mock = await startMockUpstream();
    app = await startTestApp({ NODE_ROLE: 'worker' });
    baseUrl = await listenOnRandomPort(app);
    const providerIds: string[] = [];
    for (const [i, upstream] of UPSTREAMS.entries()) providerIds.push(await seedUpstream(upstream, i));
    tenant = await seedTenant(app, providerIds);
    await publishConfig(app);
  });
  afterAll(async () => {
    await app.close();
    await mock.close();
  });
  beforeEach(() => mock.reset());

  async function viaOpenAI(row: Row): Promise<Outcome> {
    const sdk = new OpenAI({ apiKey: tenant.key, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
    const params = {
      model: row.upstream.model,
      max_tokens: 512,
      messages: [
        { role: 'system' as const, content: 'You are a test.' },
        { role: 'user' as const, content: 'Weather and time in Berlin?' },
      ],
      ...(row.shape === 'tool'
        ? {
            tools: CALLS.map((c) => ({
              type: 'function' as const,
              function: { name: c.name, parameters: SCHEMAS[c.name as keyof typeof SCHEMAS] },
            })),
          }
        : {}),
    };
    if (!row.stream) {
      const data = await sdk.chat.completions.create(params);
      const message = data.choices[0]?.message;
      return {
        text: message?.content ?? '',
        calls: (message?.tool_calls ?? []).map((c) => {
          if (c.type !== 'function') throw new Error('unexpected tool call type');
          return { name: c.function.name, arguments: JSON.parse(c.function.arguments) as unknown };
        }),
        stop: data.choices[0]?.finish_reason,
        inputTokens: data.usage?.prompt_tokens,
        outputTokens: data.usage?.completion_tokens,
      };
    }
    const stream = await sdk.chat.completions.create({
      ...params,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let roles = 0;
    let stop: string | null | undefined;
    let usage: OpenAI.CompletionUsage | undefined | null;
    const calls = new Map<number, { id?: string; name: string; args: string }>();
    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice) continue;
      if (choice.delta.role) roles += 1;
      text += choice.delta.content ?? '';
      for (const call of choice.delta.tool_calls ?? []) {
        const entry = calls.get(call.index) ?? { name: '', args: '' };
        if (call.id) {
          expect(entry.id).toBeUndefined();
          entry.id = call.id;
        }
        entry.name += call.function?.name ?? '';
        entry.args += call.function?.arguments ?? '';
        calls.set(call.index, entry);
      }
      if (choice.finish_reason) stop = choice.finish_reason;
    }
    expect(roles).toBe(1);
    const ordered = [...calls.entries()].sort(([a], [b]) => a - b);
    expect(ordered.map(([index]) => index)).toEqual(ordered.map((_, i) => i));
    for (const [, call] of ordered) expect(call.id).toBeTruthy();
    return {
      text,
      calls: ordered.map(([, c]) => ({ name: c.name, arguments: JSON.parse(c.args) as unknown })),
      stop,
      inputTokens: usage?.prompt_tokens,
      outputTokens: usage?.completion_tokens,
    };
  }

  async function viaAnthropic(row: Row): Promise<Outcome> {
    const sdk = new Anthropic({ apiKey: tenant.key, baseURL: baseUrl, maxRetries: 0 });
    const params: Anthropic.MessageCreateParamsNonStreaming = {
      model: row.upstream.model,
      max_tokens: 512,
      system: 'You are a test.',
      messages: [{ role: 'user', content: 'Weather and time in Berlin?' }],
      ...(row.shape === 'tool'
        ? {
            tools: CALLS.map((c) => ({
              name: c.name,
              input_schema: SCHEMAS[c.name as keyof typeof SCHEMAS] as unknown as Anthropic.Tool.InputSchema,
            })),
          }
        : {}),
    };
    let message: Anthropic.Message;
    if (row.stream) {
      const stream = sdk.messages.stream(params);
      const starts: number[] = [];
      stream.on('streamEvent', (event) => {
        if (event.type === 'content_block_start') starts.push(event.index);
      });
      message = await stream.finalMessage();
      expect(starts).toEqual(message.content.map((_, i) => i));
    } else {
      message = await sdk.messages.create(params);
    }
    expect(message.id).toMatch(/^msg_/);
    return {
      text: message.content.map((b) => (b.type === 'text' ? b.text : '')).join(''),
      calls: message.content.flatMap((b) =>
        b.type === 'tool_use' ? [{ name: b.name, arguments: b.input }] : [],
      ),
      stop: message.stop_reason,
      inputTokens: message.usage.input_tokens,
      outputTokens: message.usage.output_tokens,
    };
  }

  it.each(ROWS.map((row) => [row.client, row.upstream.name, row.stream ? 'stream' : 'json', row.shape, row]))(
    '%s SDK → %s upstream, %s, %s',
    async (_client, _upstream, _mode, _shape, r) => {
      mock.script({
        reply:
          r.shape === 'text'
            ? replies.text(TEXT, { usage: USAGE, stream: { chunkChars: 5 } })
            : replies.toolCalls(CALLS, { usage: USAGE, stream: { chunkChars: 6 } }),
      });
      const outcome = r.client === 'openai' ? await viaOpenAI(r) : await viaAnthropic(r);

      expect(mock.requests).toHaveLength(1);
      const upstreamRequest = mock.requests[0]!;
      expect(upstreamRequest.dialect).toBe(r.upstream.dialect);
      expect(upstreamRequest.path).toMatch(r.upstream.path);
      if (r.upstream.dialect !== 'bedrock') expect(upstreamRequest.body.stream === true).toBe(r.stream);
      else expect(upstreamRequest.path.endsWith('-stream')).toBe(r.stream);

      if (r.shape === 'text') {
        expect(outcome.text).toBe(TEXT);
        expect(outcome.calls).toEqual([]);
        expect(outcome.stop).toBe(r.client === 'openai' ? 'stop' : 'end_turn');
      } else {
        expect(outcome.calls).toEqual(CALLS);
        expect(outcome.stop).toBe(r.client === 'openai' ? 'tool_calls' : 'tool_use');
      }
      expect({ input: outcome.inputTokens, output: outcome.outputTokens }).toEqual({
        input: USAGE.promptTokens,
        output: USAGE.completionTokens,
      });
    },
  );
});
