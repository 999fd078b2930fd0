import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import OpenAI from 'openai';

import { listenOnRandomPort, startTestApp } from './support/app';
import { bearer, setupFirstAdmin } from './support/auth';
import { publishConfig, seedProvider, seedTenant, type SeededTenant } from './support/gateway';
import { type MockUpstream, replies, startMockUpstream } from './support/mock-upstream';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Freshness across pods (docs/analytics.md, "Freshness"): two app instances share one database; a
 * request served by pod B shows in pod A's request log within 2 s and in pod A's dashboard within
 * 10 s, with the prompt-cache reads the upstream reported carried into tokens and cost.
 */
describe('analytics freshness across two pods', () => {
  let mock: MockUpstream;
  let podA: NestFastifyApplication;
  let podB: NestFastifyApplication;
  let urlB: string;
  let tenant: SeededTenant;
  let admin: { authorization: string };

  const getA = async (url: string): Promise<Json> => {
    const res = await podA.inject({ method: 'GET', url: `/api/prism/${url}`, headers: admin });
    expect(res.statusCode).toBe(200);
    return res.json<Json>();
  };

  /** Polls until `check` returns a value or `withinMs` passes; returns the value and the time taken. */
  async function waitFor<T>(check: () => Promise<T | undefined>, withinMs: number): Promise<[T, number]> {
    const started = Date.now();
    for (;;) {
      const value = await check();
      if (value !== undefined) return [value, Date.now() - started];
      if (Date.now() - started > withinMs + 5000) throw new Error(`not visible within ${withinMs + 5000} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    mock = await startMockUpstream();
    podA = await startTestApp({ NODE_ROLE: 'full' });
    const provider = await seedProvider(podA, mock.url, [
      { id: 'cache-aware', tier: 'medium', inputPer1M: 2, outputPer1M: 8, cachedInputPer1M: 0.5 },
    ]);
    tenant = await seedTenant(podA, [provider.id]);
    await publishConfig(podA);
    admin = bearer((await setupFirstAdmin(podA)).token);
    // Pod B boots after the seeding, so it serves the tenant without waiting for config sync.
    podB = await startTestApp({ NODE_ROLE: 'full' });
    urlB = await listenOnRandomPort(podB);
    mock.script({
      model: 'cache-aware',
      reply: replies.text('ok', { usage: { promptTokens: 2000, completionTokens: 100, cachedTokens: 1500 } }),
    });
  });

  afterAll(async () => {
    await podB?.close();
    await podA?.close();
    await mock?.close();
  });

  it("shows a request served by pod B in pod A's request log within 2 s and dashboard within 10 s", async () => {
    const summaryUrl = `admin/dashboard/summary?tenant=${tenant.id}`;
    const before = (await getA(summaryUrl)).current as Json;
    const sdk = new OpenAI({ apiKey: tenant.key, baseURL: `${urlB}/v1`, maxRetries: 0 });
    const { data, response } = await sdk.chat.completions
      .create({ model: 'cache-aware', messages: [{ role: 'user', content: 'hello from pod B' }] })
      .withResponse();
    const finished = Date.now();
    const requestId = response.headers.get('x-request-id')!;
    const cost = (data as unknown as { cost_info: Json }).cost_info;
    // 500 uncached × $2 + 1500 cached × $0.5 + 100 output × $8, per million.
    expect(cost).toMatchObject({ input_tokens: 2000, cached_input_tokens: 1500, cost_usd: 0.00255 });

    const [row] = await waitFor(async () => {
      const page = await getA(`admin/requests?requestId=${requestId}`);
      return (page.items as Json[])[0];
    }, 2000);
    expect(Date.now() - finished).toBeLessThan(2000);
    expect(row).toMatchObject({ requestId, inputTokens: 2000, costUsd: 0.00255 });
    expect((await getA(`admin/requests/${requestId}`)).cachedInputTokens).toBe(1500);

    const [after] = await waitFor(async () => {
      const current = (await getA(summaryUrl)).current as Json;
      return current.requests === before.requests + 1 ? current : undefined;
    }, 10_000);
    expect(Date.now() - finished).toBeLessThan(10_000);
    expect(after.cachedInputTokens - before.cachedInputTokens).toBe(1500);
    expect(after.inputTokens - before.inputTokens).toBe(2000);
    expect(Math.round((after.costUsd - before.costUsd) * 1e8) / 1e8).toBe(0.00255);
  });
});
