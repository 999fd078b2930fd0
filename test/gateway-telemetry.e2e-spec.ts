import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import OpenAI from 'openai';

import { ensureBuilt, Pod } from './cluster/support/cluster';
import { startTestApp, TEST_ENCRYPTION_KEY, TEST_JWT_SECRET } from './support/app';
import { publishConfig, seedProvider, seedTenant, type SeededTenant } from './support/gateway';
import { type MockUpstream, replies, startMockUpstream } from './support/mock-upstream';
import { attributesOf, type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver';
import { freePort } from './support/test-database';

/**
 * The traced gateway runs as a real process (`node dist/main.js`, as in production): the SDK is
 * loaded there with `import()` and its exporters load `http` the same way, which Jest's module
 * sandbox cannot do. An in-process control app seeds the database the pod reads.
 */
jest.setTimeout(180_000);

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;

type ReceivedSpan = OtlpReceiver['spans'][number];

/** Polls until `read` returns something (exporters batch: spans every 100 ms, metrics every 200 ms). */
async function eventually<T>(read: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('gateway: OpenTelemetry export over OTLP/HTTP (issue 13 item 6)', () => {
  let seeder: NestFastifyApplication;
  let pod: Pod;
  let mock: MockUpstream;
  let otlp: OtlpReceiver;
  let tenant: SeededTenant;

  beforeAll(async () => {
    ensureBuilt();
    [otlp, mock] = await Promise.all([startOtlpReceiver(), startMockUpstream()]);
    seeder = await startTestApp({ NODE_ROLE: 'control' });
    const provider = await seedProvider(seeder, mock.url, [
      { id: 'gpt-4o-mini', tier: 'low', inputPer1M: 0.15, outputPer1M: 0.6 },
    ]);
    tenant = await seedTenant(seeder, [provider.id]);
    await publishConfig(seeder);
    pod = new Pod('traced worker', await freePort(), {
      NODE_ENV: 'production',
      NODE_ROLE: 'worker',
      MONGODB_URI: process.env.MONGODB_URI!,
      JWT_SECRET: TEST_JWT_SECRET,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      LOG_LEVEL: 'warn',
      PROVIDER_URL_ALLOW: 'loopback',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_SERVICE_NAME: 'prism-under-test',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_METRIC_EXPORT_INTERVAL: '200',
    });
    await pod.start();
  });
  afterAll(async () => {
    await pod?.stop('SIGTERM');
    await seeder?.close();
    await mock?.close();
    await otlp?.close();
  });
  beforeEach(() => mock.reset());

  const client = (headers: Record<string, string> = {}): OpenAI =>
    new OpenAI({
      apiKey: tenant.key,
      baseURL: `${pod.url}/api/${tenant.slug}/v1`,
      maxRetries: 0,
      defaultHeaders: headers,
    });
  const spansOf = (traceId: string): ReceivedSpan[] => otlp.spans.filter((s) => s.traceId === traceId);
  const serverSpanOf = (traceId: string): ReceivedSpan | undefined =>
    spansOf(traceId).find((s) => s.kind === SPAN_KIND_SERVER);

  it("continues the client's traceparent, sends the upstream span's context upstream, and times every stage", async () => {
    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');
    mock.script({ reply: replies.text('traced', { usage: { promptTokens: 11, completionTokens: 4 } }) });
    const answer = await client({ traceparent: `00-${traceId}-${clientSpanId}-01` }).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(answer.choices[0]?.message.content).toBe('traced');

    const server = await eventually(() => serverSpanOf(traceId), 'the request span');
    expect(server.parentSpanId).toBe(clientSpanId);
    expect(server.name).toBe('POST /v1/chat/completions');
    expect(server.resource['service.name']).toBe('prism-under-test');
    expect(attributesOf(server.attributes)).toMatchObject({
      'http.response.status_code': 200,
      'prism.tenant': tenant.slug,
      'prism.status': 'success',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 11,
      'gen_ai.usage.output_tokens': 4,
    });

    const spans = spansOf(traceId);
    const upstream = spans.find((s) => s.kind === SPAN_KIND_CLIENT);
    expect(upstream).toBeDefined();
    expect(upstream?.parentSpanId).toBe(server.spanId);
    expect(upstream?.name).toBe('chat gpt-4o-mini');
    expect(attributesOf(upstream?.attributes)).toMatchObject({ 'prism.attempt.outcome': 'ok' });
    // The upstream saw the same trace, with the gateway's upstream span as its parent.
    expect(mock.requests[0]?.headers.traceparent).toBe(`00-${traceId}-${upstream?.spanId}-01`);

    // Stage timings: one event per stage on the request span, at the stage's start, in order.
    const stages = server.events ?? [];
    expect(stages.map((e) => e.name)).toEqual(
      expect.arrayContaining([
        'stage auth',
        'stage rate_limit',
        'stage model_resolution',
        'stage max_tokens',
      ]),
    );
    let previous = BigInt(server.startTimeUnixNano);
    for (const stage of stages) {
      expect(BigInt(stage.timeUnixNano)).toBeGreaterThanOrEqual(previous);
      expect(BigInt(stage.timeUnixNano)).toBeLessThanOrEqual(BigInt(server.endTimeUnixNano));
      expect(attributesOf(stage.attributes)['prism.stage.duration_ms']).toEqual(expect.any(Number));
      previous = BigInt(stage.timeUnixNano);
    }
    expect(otlp.contentTypes).toContain('application/json');
  });

  it('starts a new trace without a traceparent and traces a stream to its end', async () => {
    mock.script({
      reply: replies.text('streamed answer', { usage: { promptTokens: 5, completionTokens: 2 } }),
    });
    const stream = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Stream please' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('streamed answer');
    const sent = mock.requests[0]?.headers.traceparent;
    expect(sent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const traceId = String(sent).split('-')[1] as string;
    const server = await eventually(() => serverSpanOf(traceId), 'the stream request span');
    expect(server.parentSpanId ?? '').toBe('');
    const upstream = spansOf(traceId).find((s) => s.kind === SPAN_KIND_CLIENT);
    expect(String(sent).split('-')[2]).toBe(upstream?.spanId);
    expect(attributesOf(server.attributes)).toMatchObject({ 'gen_ai.usage.output_tokens': 2 });
  });

  it('exports request, duration, token and cost metrics', async () => {
    mock.script({ reply: replies.text('counted', { usage: { promptTokens: 100, completionTokens: 50 } }) });
    await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Count' }],
    });
    const forTenant = (name: string) =>
      otlp.metrics
        .filter((m) => m.name === name)
        .flatMap((m) => m.sum?.dataPoints ?? m.histogram?.dataPoints ?? [])
        .filter((p) => attributesOf(p.attributes)['prism.tenant'] === tenant.slug);
    // Cumulative sums: wait for an export that includes all three requests of this file.
    await eventually(
      () =>
        forTenant('prism.gateway.requests').some((p) => Number(p.asInt ?? p.asDouble) >= 3)
          ? true
          : undefined,
      'the request counter',
    );
    const requests = forTenant('prism.gateway.requests').at(-1);
    expect(attributesOf(requests?.attributes)).toMatchObject({
      'prism.model': 'gpt-4o-mini',
      'prism.endpoint': 'chat',
      'prism.status': 'success',
    });
    expect(Number(forTenant('prism.gateway.request.duration').at(-1)?.count)).toBeGreaterThanOrEqual(3);
    const tokens = forTenant('prism.gateway.tokens');
    const lastOf = (type: string): number =>
      Number(
        tokens.filter((p) => attributesOf(p.attributes)['prism.token.type'] === type).at(-1)?.asDouble ?? 0,
      ) +
      Number(
        tokens.filter((p) => attributesOf(p.attributes)['prism.token.type'] === type).at(-1)?.asInt ?? 0,
      );
    expect(lastOf('input')).toBe(11 + 5 + 100);
    expect(lastOf('output')).toBe(4 + 2 + 50);
    const cost = forTenant('prism.gateway.cost').at(-1);
    expect(Number(cost?.asDouble)).toBeCloseTo(((11 + 5 + 100) * 0.15 + (4 + 2 + 50) * 0.6) / 1e6, 10);
  });
});
