import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import mongoose from 'mongoose';
import OpenAI from 'openai';
import { request } from 'undici';

import { ConfigChangeBus } from '../src/modules/config-sync/config-change.bus';
import { ROUTING_CONFIG_SCOPE } from '../src/modules/routing/catalog/routing-catalog';
import { listenOnRandomPort, startTestApp } from './support/app';
import { publishConfig, seedProvider, seedTenant, type SeededTenant } from './support/gateway';
import { type MockUpstream, startMockUpstream } from './support/mock-upstream';

/**
 * Issue 18 and issue 15 item 8: large bodies (a ~400 KB conversation, a 3 MB image as base64) reach
 * the upstream as the very bytes the client sent when no stage changed them, through the OpenAI
 * ingress and through the Anthropic ingress to an Anthropic upstream, streaming and not; a stage's
 * change (clamp, stream usage, routed model, category system prompt) rewrites only that member;
 * a translation for another upstream carries the image payload intact; token counts and costs are
 * the same as on the parse-and-serialise path (`inject`), or for an Anthropic passthrough the
 * upstream's own count for the client's body; bodies over the limit get a JSON 413, also read by
 * a client still writing its body.
 */
describe('gateway: large bodies forwarded as received (issue 18)', () => {
  let app: NestFastifyApplication;
  let mock: MockUpstream;
  let baseUrl: string;
  let plain: SeededTenant;
  let routed: SeededTenant;
  let db: mongoose.Connection;
  const CATEGORY_PROMPT = 'Category prompt: answer as a careful engineer.';

  beforeAll(async () => {
    mock = await startMockUpstream();
    app = await startTestApp({ NODE_ROLE: 'worker' });
    baseUrl = await listenOnRandomPort(app);
    const openai = await seedProvider(app, mock.url, [
      { id: 'big-model', tier: 'medium', contextWindow: 200_000, maxOutputTokens: 8192 },
    ]);
    const anthropic = await seedProvider(
      app,
      mock.url,
      [{ id: 'claude-sonnet-4', tier: 'medium', contextWindow: 200_000, maxOutputTokens: 8192 }],
      { type: 'anthropic' },
    );
    const routing = {
      enabled: true,
      strictness: 'off' as const,
      optOutToken: '--model-prism-accept-model',
      classifierChain: [],
      defaultModel: 'claude-sonnet-4',
      baselineModel: 'claude-sonnet-4',
      ruleSetId: null,
      costMode: null,
      overrides: {},
    };
    plain = await seedTenant(app, [openai.id, anthropic.id], { routing });
    routed = await seedTenant(app, [anthropic.id], { routing });
    await publishConfig(app);
    db = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
    await db.collection('routing_categories').updateMany({}, { $set: { systemPrompt: CATEGORY_PROMPT } });
    await app.get(ConfigChangeBus).publish(ROUTING_CONFIG_SCOPE);
  });
  afterAll(async () => {
    await app.close();
    await mock.close();
    await db.close();
  });
  beforeEach(() => mock.reset());

  const turn =
    'The function "parseConfig" reads C:\\work\\app.json; if (v === "") throw new Error("x");\n'.repeat(100);
  function conversation(extra: Record<string, unknown> = {}, model = 'big-model'): string {
    const messages: unknown[] = [{ role: 'system', content: 'You are terse.' }];
    for (let i = 0; i < 49; i++)
      messages.push({ role: i % 2 ? 'assistant' : 'user', content: `${i}: ${turn}` });
    // Spaces and key order of a hand-written client: nothing may be normalised on the way.
    return JSON.stringify({ model, messages, max_tokens: 256, ...extra }, null, 1);
  }
  const image = randomBytes(3 * 1024 * 1024).toString('base64');
  function imageRequest(extra: Record<string, unknown> = {}): string {
    return JSON.stringify({
      model: 'big-model',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${image}`, detail: 'high' } },
          ],
        },
      ],
      ...extra,
    });
  }

  async function post(
    path: string,
    body: string | Buffer | Readable,
    key: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; text: string }> {
    const response = await request(baseUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
      body,
    });
    return { status: response.statusCode, text: await response.body.text() };
  }

  const received = (): Buffer => {
    const raw = mock.requests[0]?.rawBody;
    if (!raw) throw new Error('the mock received no body');
    return raw;
  };

  /**
   * The same request through the lean path (bytes forwarded) and through `inject()` (Fastify's
   * parser and JSON.stringify: the behaviour before issue 18): the usage, cost and cost header the
   * client is given must be the same.
   */
  async function bookedBothWays(
    path: string,
    body: string,
    key: string,
    headers: Record<string, string> = {},
  ): Promise<{ lean: unknown; injected: unknown }> {
    const booked = (status: number, text: string, cost: unknown): unknown => {
      const answer = JSON.parse(text) as { usage?: unknown; cost_info?: unknown };
      return { status, usage: answer.usage, costInfo: answer.cost_info, costHeader: cost };
    };
    const response = await request(baseUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
      body,
    });
    const lean = booked(
      response.statusCode,
      await response.body.text(),
      response.headers['x-prism-cost-usd'],
    );
    const injected = await app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
      payload: body,
    });
    return {
      lean,
      injected: booked(injected.statusCode, injected.body, injected.headers['x-prism-cost-usd']),
    };
  }

  describe('OpenAI ingress', () => {
    it('forwards a 400 KB conversation byte for byte, and books the same tokens and cost as the serialising path', async () => {
      const body = conversation();
      expect(body.length).toBeGreaterThan(400_000);
      const lean = await post('/v1/chat/completions', body, plain.key);
      expect(lean.status).toBe(200);
      expect(received().equals(Buffer.from(body))).toBe(true);
      mock.reset();
      // inject() goes through Fastify's parser and JSON.stringify: the behaviour before issue 18.
      const injected = await app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${plain.key}` },
        payload: body,
      });
      expect(JSON.parse(received().toString())).toEqual(JSON.parse(body));
      const costOf = (text: string): unknown => (JSON.parse(text) as { cost_info: unknown }).cost_info;
      expect(costOf(lean.text)).toEqual(costOf(injected.body));
    });

    it('forwards a 4 MB image request byte for byte', async () => {
      const body = imageRequest();
      expect(body.length).toBeGreaterThan(4_000_000);
      const result = await post('/v1/chat/completions', body, plain.key);
      expect(result.status).toBe(200);
      expect(received().equals(Buffer.from(body))).toBe(true);
    });

    it('books the same usage and cost for a 4 MB image as the serialising path', async () => {
      const { lean, injected } = await bookedBothWays('/v1/chat/completions', imageRequest(), plain.key);
      expect(lean).toMatchObject({ status: 200, costInfo: expect.any(Object) });
      expect(lean).toEqual(injected);
    });

    it('streams with the SDK: unchanged when the client asks for usage, else only stream_options is added', async () => {
      let sent = '';
      const client = new OpenAI({
        apiKey: plain.key,
        baseURL: `${baseUrl}/v1`,
        maxRetries: 0,
        fetch: (url: string | URL | Request, init?: RequestInit) => {
          sent = typeof init?.body === 'string' ? init.body : '';
          return fetch(url, init);
        },
      });
      const messages = (JSON.parse(conversation()) as { messages: OpenAI.ChatCompletionMessageParam[] })
        .messages;
      const stream = await client.chat.completions.create({
        model: 'big-model',
        messages,
        stream: true,
        stream_options: { include_usage: true },
      });
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) usage = chunk.usage ?? usage;
      expect(usage?.prompt_tokens).toBeGreaterThan(0);
      expect(received().toString()).toBe(sent);

      mock.reset();
      const body = imageRequest({ stream: true });
      const result = await post('/v1/chat/completions', body, plain.key);
      expect(result.status).toBe(200);
      const upstream = received().toString();
      expect(JSON.parse(upstream)).toEqual({ ...JSON.parse(body), stream_options: { include_usage: true } });
      expect(upstream.startsWith(body.slice(0, -1))).toBe(true); // the client's bytes, one member added
    });

    it('translates a 4 MB image for an Anthropic upstream with the payload intact', async () => {
      const body = imageRequest({ model: 'claude-sonnet-4', max_tokens: 64 });
      const result = await post('/v1/chat/completions', body, plain.key);
      expect(result.status).toBe(200);
      expect(mock.requests[0]?.path).toBe('/v1/messages');
      const upstream = JSON.parse(received().toString()) as {
        messages: { content: { type: string; source?: { data?: string; media_type?: string } }[] }[];
      };
      const picture = upstream.messages[0]?.content.find((part) => part.type === 'image');
      expect(picture?.source?.media_type).toBe('image/png');
      expect(picture?.source?.data === image).toBe(true);
    });

    it('rewrites only the clamped max_tokens', async () => {
      const body = conversation({ max_tokens: 100_000, temperature: 0.5 });
      const result = await post('/v1/chat/completions', body, plain.key);
      expect(result.status).toBe(200);
      const upstream = received().toString();
      expect(JSON.parse(upstream)).toEqual({ ...JSON.parse(body), max_tokens: 8192 });
      const original = JSON.parse(body) as { messages: unknown[] };
      const messagesBytes = body.slice(body.indexOf('"messages"'), body.indexOf('"max_tokens"'));
      expect(upstream).toContain(messagesBytes.trimEnd().replace(/,$/, ''));
      expect(original.messages.length).toBe(50);
    });
  });

  describe('Anthropic ingress to an Anthropic upstream', () => {
    function messagesRequest(extra: Record<string, unknown> = {}, model = 'claude-sonnet-4'): string {
      const messages: unknown[] = [];
      for (let i = 0; i < 49; i++)
        messages.push({ role: i % 2 ? 'assistant' : 'user', content: `${i}: ${turn}` });
      messages.push({
        role: 'user',
        content: [
          {
            type: 'image',
            source: { type: 'base64', media_type: 'image/png', data: image.slice(0, 1_000_000) },
          },
          { type: 'text', text: 'And this picture?' },
        ],
      });
      return JSON.stringify({ model, max_tokens: 512, messages, ...extra });
    }

    it.each([false, true])('forwards the client body byte for byte (stream %s)', async (stream) => {
      const body = messagesRequest(stream ? { stream: true } : {});
      const result = await post('/v1/messages', body, plain.key, { 'anthropic-version': '2023-06-01' });
      expect(result.status).toBe(200);
      expect(mock.requests[0]?.path).toBe('/v1/messages');
      expect(received().equals(Buffer.from(body))).toBe(true);
    });

    it('books the usage the upstream reports for the client body itself', async () => {
      // The serialising path translated the body there and back (content parts reordered), so
      // the upstream saw another request; the reference here is the client's body sent directly.
      const body = messagesRequest();
      const headers = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' };
      const direct = await request(`${mock.url}/v1/messages`, { method: 'POST', headers, body });
      const upstreamUsage = ((await direct.body.json()) as { usage: Record<string, number> }).usage;
      const lean = await post('/v1/messages', body, plain.key, { 'anthropic-version': '2023-06-01' });
      expect(lean.status).toBe(200);
      const answer = JSON.parse(lean.text) as { usage: unknown; cost_info: Record<string, unknown> };
      expect(answer.usage).toMatchObject({
        input_tokens: upstreamUsage.input_tokens,
        output_tokens: upstreamUsage.output_tokens,
      });
      expect(answer.cost_info).toMatchObject({
        input_tokens: upstreamUsage.input_tokens,
        output_tokens: upstreamUsage.output_tokens,
      });
    });

    it('translates the image payload for an OpenAI-compatible upstream', async () => {
      const body = messagesRequest({}, 'big-model');
      const result = await post('/v1/messages', body, plain.key, { 'anthropic-version': '2023-06-01' });
      expect(result.status).toBe(200);
      expect(mock.requests[0]?.path).toBe('/v1/chat/completions');
      const upstream = JSON.parse(received().toString()) as {
        messages: { content: unknown }[];
      };
      const last = upstream.messages.at(-1)?.content as { type: string; image_url?: { url: string } }[];
      const picture = last.find((part) => part.type === 'image_url');
      expect(picture?.image_url?.url === `data:image/png;base64,${image.slice(0, 1_000_000)}`).toBe(true);
    });

    it('keeps an array system prompt and its cache_control blocks when auto-routing adds the category prompt (issue 15.8)', async () => {
      const system = [
        { type: 'text', text: 'You are Claude Code, a coding agent.' },
        { type: 'text', text: 'Repository notes: '.repeat(200), cache_control: { type: 'ephemeral' } },
      ];
      const tools = [
        {
          name: 'read_file',
          description: 'Reads a file',
          input_schema: { type: 'object', properties: { path: { type: 'string' } } },
          cache_control: { type: 'ephemeral' },
        },
      ];
      const body = messagesRequest({ system, tools, stream: true }, 'auto');
      const result = await post('/v1/messages', body, routed.key, { 'anthropic-version': '2023-06-01' });
      expect(result.status).toBe(200);
      const upstream = received().toString();
      // Golden: the client's body with the routed model and one system block appended, nothing else.
      expect(JSON.parse(upstream)).toEqual({
        ...JSON.parse(body),
        model: 'claude-sonnet-4',
        system: [...system, { type: 'text', text: CATEGORY_PROMPT }],
      });
      const original = JSON.parse(body) as { messages: unknown[] };
      expect(upstream).toContain(JSON.stringify(original.messages)); // messages and tools: the client's bytes
      expect(upstream).toContain(JSON.stringify(tools));
    });
  });

  describe('body limit', () => {
    const limit = 20 * 1024 * 1024;

    it('refuses a body announced over the limit with a JSON 413 before reading it', async () => {
      const result = await post('/v1/chat/completions', Buffer.alloc(limit + 1024, 0x20), plain.key);
      expect(result.status).toBe(413);
      expect(JSON.parse(result.text)).toMatchObject({ error: { code: 'request_too_large' } });
      expect(mock.requests).toHaveLength(0);
    });

    /**
     * A client that writes its whole announced body whatever the server answers meanwhile (as curl
     * or Python's http.client do), in large pieces as fast as the socket takes them or in small
     * pieces with pauses. It must read the 413, not a reset of the connection.
     */
    function writeWholeBody(
      path: string,
      key: string,
      pace: 'fast' | 'slow',
    ): Promise<{ answer: string; error?: string }> {
      const url = new URL(baseUrl);
      const size = limit + 2 * 1024 * 1024;
      return new Promise((resolve) => {
        // Half-open: it keeps writing after the server has answered and closed its side.
        const socket = connect({ port: Number(url.port), host: url.hostname, allowHalfOpen: true });
        let answer = '';
        let error: string | undefined;
        socket.setEncoding('utf8');
        socket.on('data', (text: string) => (answer += text));
        socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
        socket.on('close', () => resolve({ answer, error }));
        socket.write(
          `POST ${path} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\n` +
            `authorization: Bearer ${key}\r\nanthropic-version: 2023-06-01\r\ncontent-length: ${size}\r\n\r\n`,
        );
        const piece = Buffer.alloc(pace === 'fast' ? 256 * 1024 : 128 * 1024, 0x20);
        let sent = 0;
        const pump = (): void => {
          while (sent < size && !socket.destroyed) {
            const part = sent + piece.length > size ? piece.subarray(0, size - sent) : piece;
            sent += part.length;
            if (!socket.write(part)) return void socket.once('drain', pump);
            if (pace === 'slow') return void setTimeout(pump, 1);
          }
          if (!socket.destroyed) socket.end();
        };
        pump();
      });
    }

    it.each([
      ['/v1/chat/completions', 'fast', { error: { code: 'request_too_large' } }],
      ['/v1/chat/completions', 'slow', { error: { code: 'request_too_large' } }],
      ['/v1/messages', 'fast', { type: 'error', error: { type: 'request_too_large' } }],
      // An encoded tenant slug is Fastify's to route: its body reader refuses the body the same way.
      ['/api/{encoded tenant}/v1/chat/completions', 'fast', { error: { code: 'request_too_large' } }],
    ] as const)(
      '%s: a client still writing its body (%s) reads the 413, not a connection reset',
      async (path, pace, shape) => {
        const encoded = `%${plain.slug.charCodeAt(0).toString(16)}${plain.slug.slice(1)}`;
        const target = path.replace('{encoded tenant}', encoded);
        const { answer, error } = await writeWholeBody(target, plain.key, pace);
        expect({ error, status: answer.slice(0, 12) }).toEqual({ error: undefined, status: 'HTTP/1.1 413' });
        expect(answer.toLowerCase()).toContain('connection: close');
        expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject(shape);
        expect(mock.requests).toHaveLength(0);
      },
    );

    it('refuses a chunked body once it passes the limit', async () => {
      async function* chunks(): AsyncGenerator<Buffer> {
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        for (let i = 0; i < 24; i++) yield chunk;
      }
      const result = await post('/v1/messages', Readable.from(chunks()), plain.key, {
        'anthropic-version': '2023-06-01',
      }).catch((error: unknown) => ({ status: 0, text: String(error) }));
      expect(result.status).toBe(413);
      expect(JSON.parse(result.text)).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
    });
  });
});
