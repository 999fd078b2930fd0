import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import mongoose from 'mongoose';
import OpenAI from 'openai';
import { register } from 'prom-client';

import { SecretBox } from '../src/common/crypto/secret-box';
import { AnalyticsRetention } from '../src/modules/analytics/analytics-retention.service';
import { AnalyticsWriter } from '../src/modules/analytics/analytics-writer.service';
import { AnalyticsRepository } from '../src/modules/analytics/analytics.repository';
import { RECENT_COLLECTION } from '../src/modules/analytics/request-log.chunks';
import type { RequestLogRecord } from '../src/modules/analytics/request-log.schema';
import { requestLogRow } from '../src/modules/analytics/testing/log-rows';
import { listenOnRandomPort, startTestApp } from './support/app';
import { startDbFaultProxy } from './support/db-fault-proxy';
import {
  publishConfig,
  seedProvider,
  seedTenant,
  type SeededProvider,
  type SeededTenant,
} from './support/gateway';
import { type MockUpstream, replies, startMockUpstream } from './support/mock-upstream';
import { storedRequestLogs } from './support/request-logs';
import { type StoredRollupRow, storedRollupRows } from './support/rollups';

type Doc = Record<string, unknown>;

const metric = async (name: string): Promise<number> =>
  (await register.getSingleMetric(name)?.get())?.values[0]?.value ?? 0;
const refusedLogs = async (): Promise<number> =>
  (await register.getSingleMetric('prism_analytics_refused_total')?.get())?.values.find(
    (v) => v.labels.what === 'request_log',
  )?.value ?? 0;

describe('analytics: request log and daily rollups written off the request path', () => {
  let app: NestFastifyApplication;
  let mock: MockUpstream;
  let baseUrl: string;
  let provider: SeededProvider;
  let tenant: SeededTenant;
  let db: mongoose.Connection;

  beforeAll(async () => {
    mock = await startMockUpstream();
    app = await startTestApp({ NODE_ROLE: 'worker' });
    baseUrl = await listenOnRandomPort(app);
    provider = await seedProvider(app, mock.url, [
      { id: 'cheap', inputPer1M: 1, outputPer1M: 2 },
      { id: 'pricey', inputPer1M: 10, outputPer1M: 20 },
      { id: 'fail-500' },
      { id: 'drip-30' },
    ]);
    tenant = await seedTenant(app, [provider.id]);
    await publishConfig(app);
    db = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
  });
  afterAll(async () => {
    await app.close();
    await mock.close();
    await db.close();
  });
  beforeEach(() => mock.reset());

  const sdk = (key = tenant.key, headers: Record<string, string> = {}): OpenAI =>
    new OpenAI({ apiKey: key, baseURL: `${baseUrl}/v1`, maxRetries: 0, defaultHeaders: headers });
  /** Stored rows whose fields equal `filter`'s (null = absent, `{ $in }` = one of). */
  const logsOf = async (filter: Doc): Promise<Doc[]> => {
    const matches = (value: unknown, wanted: unknown): boolean =>
      wanted === null
        ? value === null || value === undefined
        : typeof wanted === 'object' && wanted !== null && '$in' in wanted
          ? (wanted.$in as unknown[]).includes(value)
          : value === wanted;
    const rows = await storedRequestLogs(db, (row) =>
      Object.entries(filter).every(([k, v]) => matches((row as unknown as Doc)[k], v)),
    );
    return rows as unknown as Doc[];
  };

  it('writes one row per request with user, session, models, tokens, cost, baseline and latency split', async () => {
    mock.script({ reply: replies.text('ok', { usage: { promptTokens: 1000, completionTokens: 500 } }) });
    const { response } = await sdk(tenant.key, { 'x-user': 'alice', 'x-session-id': 'sess-1' })
      .chat.completions.create({ model: 'cheap', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    const requestId = response.headers.get('x-request-id');
    await app.get(AnalyticsWriter).flush();
    const [row] = await logsOf({ requestId });
    expect(row).toMatchObject({
      tenantId: tenant.id,
      tenantSlug: tenant.slug,
      keyId: tenant.keyId,
      keyPrefix: tenant.key.slice(0, 12),
      user: 'alice',
      sessionId: 'sess-1',
      endpoint: 'chat',
      requestedModel: 'cheap',
      routedModel: 'cheap',
      providerId: provider.id,
      providerSlug: provider.slug,
      inputTokens: 1000,
      outputTokens: 500,
      costUsd: 0.002,
      baselineModel: 'cheap',
      status: 'success',
      httpStatus: 200,
    });
    // Stored compactly: default values (false, 0, null) are left out.
    expect(row).not.toHaveProperty('stream');
    expect(row).not.toHaveProperty('fallback');
    expect(row).not.toHaveProperty('savedUsd');
    expect(row!.latencyMs as number).toBeGreaterThan(0);
    expect((row!.overheadMs as number) + (row!.upstreamMs as number)).toBeCloseTo(
      row!.latencyMs as number,
      0,
    );
    expect(JSON.stringify(row)).not.toContain(tenant.key);
    // The same cost as the response and the header.
    expect(Number(response.headers.get('x-prism-cost-usd'))).toBe(row!.costUsd);
  });

  it('records time to first token for streams', async () => {
    const stream = await sdk().chat.completions.create({
      model: 'drip-30',
      messages: [{ role: 'user', content: 'one two three four' }],
      stream: true,
    });
    for await (const chunk of stream) void chunk;
    await app.get(AnalyticsWriter).flush();
    const [row] = await logsOf({ tenantId: tenant.id, requestedModel: 'drip-30' });
    expect(row).toMatchObject({ stream: true, status: 'success' });
    expect(row!.ttftMs as number).toBeGreaterThan(0);
    expect(row!.ttftMs as number).toBeLessThan(row!.latencyMs as number);
    expect(row!.outputTokens as number).toBeGreaterThan(0);
  });

  it('logs failed requests too: rejected keys and upstream failures with attempts', async () => {
    await expect(
      sdk('omp-bad').chat.completions.create({ model: 'cheap', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toThrow();
    await expect(
      sdk().chat.completions.create({ model: 'fail-500', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toThrow();
    await app.get(AnalyticsWriter).flush();
    const [rejected] = await logsOf({ tenantId: null, errorCode: 'invalid_api_key' });
    expect(rejected).toMatchObject({ status: 'error', httpStatus: 401, requestedModel: 'cheap' });
    const [failed] = await logsOf({ tenantId: tenant.id, requestedModel: 'fail-500' });
    expect(failed).toMatchObject({ status: 'error', httpStatus: 502, errorCode: 'upstream_error' });
    expect((failed!.attempts as Doc[])[0]).toMatchObject({
      provider: provider.slug,
      outcome: 'server',
      status: 500,
    });
  });

  it('keeps hourly and daily rollups per tenant and per model, user, … with $inc', async () => {
    const other = await seedTenant(app, [provider.id]);
    await publishConfig(app);
    mock.script({ reply: replies.text('ok', { usage: { promptTokens: 100, completionTokens: 100 } }) });
    for (const [model, user] of [
      ['cheap', 'bob'],
      ['cheap', 'carol'],
      ['pricey', 'bob'],
    ] as const) {
      await sdk(other.key, { 'x-user': user }).chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'x' }],
      });
    }
    await app.get(AnalyticsWriter).flush();
    const rollups = await storedRollupRows(db.db!, other.id);
    const find = (grain: string, dimension: string, key: string): StoredRollupRow | undefined =>
      rollups.find((r) => r.grain === grain && r.dimension === dimension && r.key === key);
    for (const grain of ['hour', 'day']) {
      expect(find(grain, 'all', '')).toMatchObject({ requests: 3, inputTokens: 300, outputTokens: 300 });
      // Money in 1e-8 USD: 0.0003 + 0.0003 + 0.003.
      expect(find(grain, 'all', '')!.costE8).toBe(360_000);
      expect(find(grain, 'model', 'cheap')).toMatchObject({ requests: 2 });
      expect(find(grain, 'user', 'bob')).toMatchObject({ requests: 2 });
      expect(find(grain, 'user', 'carol')).toMatchObject({ requests: 1 });
      expect(find(grain, 'provider', provider.id)).toMatchObject({ requests: 3, label: provider.slug });
    }
  });

  it('stores prompts only with prompt logging on, encrypted, and deletes them after retention', async () => {
    const logged = await seedTenant(app, [provider.id], { promptLogging: true });
    await publishConfig(app);
    mock.script({ reply: replies.text('the secret answer') });
    await sdk(logged.key).chat.completions.create({
      model: 'cheap',
      messages: [{ role: 'user', content: 'my secret question' }],
    });
    await sdk().chat.completions.create({
      model: 'cheap',
      messages: [{ role: 'user', content: 'not logged' }],
    });
    await app.get(AnalyticsWriter).flush();
    const prompts = await db.collection('request_prompts').find({}).toArray();
    expect(prompts).toHaveLength(1);
    const stored = prompts[0]!;
    expect(stored.tenantId).toBe(logged.id);
    expect(String(stored.data)).toMatch(/^enc:/);
    expect(String(stored.data)).not.toContain('secret');
    const plain = JSON.parse(app.get(SecretBox).decrypt(String(stored.data))) as {
      request: Doc[];
      response: string;
    };
    expect(plain.request[0]).toMatchObject({ content: 'my secret question' });
    expect(plain.response).toBe('the secret answer');
    // Kept for promptRetentionDays (runtime setting, default 30 days), deleted after it.
    const day = 86_400_000;
    expect(await app.get(AnalyticsRetention).purgePrompts(new Date(Date.now() + 29 * day))).toBe(0);
    expect(await app.get(AnalyticsRetention).purgePrompts(new Date(Date.now() + 31 * day))).toBe(1);
    expect(await db.collection('request_prompts').countDocuments()).toBe(0);
  });

  it('sweeps prompts past their expiresAt within the current retention, in bounded batches', async () => {
    const prompts = db.collection('request_prompts');
    const prompt = (expiresAt: Date) => ({
      _id: new mongoose.Types.ObjectId(),
      tenantId: 'sweep-tenant',
      timestamp: new Date(),
      data: 'enc:x',
      expiresAt,
    });
    // Written under a shorter retention than the current 30 days: gone at its own expiresAt.
    const past = new Date(Date.now() - 1000);
    await prompts.insertMany([prompt(past), prompt(new Date(Date.now() + 86_400_000))]);
    expect(await app.get(AnalyticsRetention).purgePrompts()).toBe(1);
    expect(await prompts.countDocuments({ tenantId: 'sweep-tenant' })).toBe(1);

    // One call deletes at most size × max prompts; the next run takes the rest.
    await prompts.insertMany(Array.from({ length: 25 }, () => prompt(past)));
    const repository = app.get(AnalyticsRepository);
    const batch = { size: 10, max: 2 };
    expect(await repository.deletePromptsPastRetention(new Date(), new Date(0), batch)).toBe(20);
    expect(await repository.deletePromptsPastRetention(new Date(), new Date(0), batch)).toBe(5);
    expect(await prompts.countDocuments({ tenantId: 'sweep-tenant' })).toBe(1);
    await prompts.deleteMany({ tenantId: 'sweep-tenant' });
  });

  it('skips the rows of a batch written again (a retried flush) and fails on other write errors', async () => {
    const repository = app.get(AnalyticsRepository);
    const row = (requestId: string): RequestLogRecord =>
      ({
        _id: new mongoose.Types.ObjectId(),
        timestamp: new Date(),
        requestId,
        endpoint: 'chat',
        status: 'success',
        httpStatus: 200,
      }) as unknown as RequestLogRecord;
    const first = row('retry-1');
    await repository.insertLogs([first]);
    await expect(repository.insertLogs([first, row('retry-2')])).resolves.toBeUndefined();
    expect(await logsOf({ requestId: { $in: ['retry-1', 'retry-2'] } })).toHaveLength(2);
    const invalid = { ...row('retry-3'), _id: [1, 2] } as unknown as RequestLogRecord;
    await expect(repository.insertLogs([invalid])).rejects.toThrow();
  });

  it('exposes queue depth and drops in /metrics', async () => {
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toContain('prism_analytics_queue_depth');
    expect(metrics).toContain('prism_analytics_dropped_total 0');
    expect(metrics).toMatch(/prism_gateway_requests_total\{[^}]*status="success"/);
    expect(metrics).toContain('prism_gateway_stage_duration_seconds_bucket');
    expect(metrics).toMatch(/prism_gateway_upstream_errors_total\{provider="[^"]+",kind="server"\}/);
    expect(metrics).toMatch(/prism_gateway_cache_lookups_total\{cache="auth",result="hit"\}/);
  });

  it('drops (counts, logs) a row the database refuses for good and stores the rest; the queue moves on', async () => {
    const writer = app.get(AnalyticsWriter);
    await writer.flush();
    const tenantId = new mongoose.Types.ObjectId().toHexString();
    const rows = Array.from({ length: 5 }, (_, i) =>
      requestLogRow({ tenantId, requestId: `refuse-${i}`, timestamp: new Date() }),
    );
    // FerretDB refuses a key starting with '$' (a per-document write error, code 2).
    const bad = { ...rows[2]!, labels: { $bad: 1 } } as unknown as (typeof rows)[number];
    const before = { dropped: await metric('prism_analytics_dropped_total'), refused: await refusedLogs() };
    for (const log of [rows[0], rows[1], bad, rows[3], rows[4]])
      expect(writer.enqueue({ log: log! })).toBe(true);
    await writer.flush();
    expect(writer.queued).toBe(0);
    const stored = await logsOf({ tenantId });
    expect(stored.map((row) => row.requestId).sort()).toEqual([
      'refuse-0',
      'refuse-1',
      'refuse-3',
      'refuse-4',
    ]);
    expect((await metric('prism_analytics_dropped_total')) - before.dropped).toBe(1);
    expect((await refusedLogs()) - before.refused).toBe(1);
    const rollups = await storedRollupRows(db.db!, tenantId);
    for (const grain of ['hour', 'day']) {
      expect(rollups.find((r) => r.grain === grain && r.dimension === 'all')).toMatchObject({ requests: 4 });
    }
  });
});

describe('analytics: nothing is lost on graceful shutdown', () => {
  it('drains running streams and flushes every queued row before the process exits', async () => {
    const mock = await startMockUpstream();
    const app = await startTestApp({ NODE_ROLE: 'worker' });
    const baseUrl = await listenOnRandomPort(app);
    const provider = await seedProvider(app, mock.url, [{ id: 'quick' }, { id: 'drip-40' }]);
    const tenant = await seedTenant(app, [provider.id]);
    await publishConfig(app);
    const client = new OpenAI({ apiKey: tenant.key, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
    await Promise.all(
      Array.from({ length: 40 }, () =>
        client.chat.completions.create({ model: 'quick', messages: [{ role: 'user', content: 'x' }] }),
      ),
    );
    const stream = await client.chat.completions.create({
      model: 'drip-40',
      messages: [{ role: 'user', content: 'a b c d e f g h i j k l m n o p' }],
      stream: true,
    });
    const reading = (async () => {
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    })();
    await app.close();
    expect((await reading).length).toBeGreaterThan(10);
    await mock.close();
    const db = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
    try {
      expect(await storedRequestLogs(db, (row) => row.tenantId === tenant.id)).toHaveLength(41);
    } finally {
      await db.close();
    }
  });
});

describe('analytics: a segment partly stored, then refused until shutdown', () => {
  it('counts the stored rows as written and in the rollups, and only the others as dropped', async () => {
    // The real database behind a proxy that lets the first insert command into the request
    // log through and cuts the connection of every later one (updates, reads pass).
    const proxy = await startDbFaultProxy(process.env.MONGODB_URI!, {
      collection: RECENT_COLLECTION,
      passInserts: 1,
    });
    const app = await startTestApp({ NODE_ROLE: 'worker', MONGODB_URI: proxy.uri });
    const db = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
    try {
      // One segment of 2500 rows: two insert commands (2000 + 500); the second is cut.
      const writer = new AnalyticsWriter(app.get(AnalyticsRepository), new SecretBox(Buffer.alloc(32, 3)), {
        batchSize: 2500,
        maxQueue: 10_000,
        flushIntervalMs: 60_000,
        rollupIntervalMs: 60_000,
      });
      const tenantId = new mongoose.Types.ObjectId().toHexString();
      const now = new Date();
      const rows = Array.from({ length: 2500 }, (_, i) =>
        requestLogRow({ tenantId, requestId: `partial-${i}`, timestamp: now }),
      );
      const before = {
        dropped: await metric('prism_analytics_dropped_total'),
        written: await metric('prism_analytics_written_total'),
      };
      for (const log of rows) writer.enqueue({ log });
      await writer.close();
      expect(proxy.inserts).toBeGreaterThanOrEqual(2);
      const stored = await storedRequestLogs(db, (row) => row.tenantId === tenantId);
      expect(stored).toHaveLength(2000);
      expect((await metric('prism_analytics_written_total')) - before.written).toBe(2000);
      expect((await metric('prism_analytics_dropped_total')) - before.dropped).toBe(500);
      const rollups = await storedRollupRows(db.db!, tenantId);
      for (const grain of ['hour', 'day']) {
        expect(rollups.find((r) => r.grain === grain && r.dimension === 'all')).toMatchObject({
          requests: 2000,
          inputTokens: 2000 * rows[0]!.inputTokens,
        });
      }
    } finally {
      await app.close();
      await db.close();
      await proxy.close();
    }
  }, 120_000);
});
