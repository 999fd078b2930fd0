import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import OpenAI from 'openai';

import { AnalyticsWriter } from '../src/modules/analytics/analytics-writer.service';
import { GatewaySettings } from '../src/modules/gateway/gateway.settings';
import { listenOnRandomPort, startTestApp } from './support/app';
import { bearer, createUserAndLogin, setupFirstAdmin } from './support/auth';
import { publishConfig, seedProvider, seedTenant, type SeededTenant } from './support/gateway';
import { replies, startMockUpstream, type MockUpstream } from './support/mock-upstream';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The request log grouped by conversation (`GET admin/requests/sessions`): real gateway traffic
 * with `x-session-id` headers, read back per session with the log's filters.
 */
describe('request log sessions', () => {
  let app: NestFastifyApplication;
  let mock: MockUpstream;
  let baseUrl: string;
  let one: SeededTenant;
  let two: SeededTenant;
  let admin: { authorization: string };

  const get = async (url: string, headers: { authorization: string } = admin) => {
    const res = await app.inject({ method: 'GET', url: `/api/prism/admin/requests/${url}`, headers });
    return { status: res.statusCode, body: res.json<Json>() };
  };

  async function ask(tenant: SeededTenant, model: string, session?: string): Promise<void> {
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tenant.key}`,
        'content-type': 'application/json',
        ...(session ? { 'x-session-id': session } : {}),
      },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: `about ${model}` }] }),
    });
    await response.arrayBuffer();
  }

  beforeAll(async () => {
    mock = await startMockUpstream();
    app = await startTestApp({ NODE_ROLE: 'full' });
    app.get(GatewaySettings).retry = { maxRetries: 0, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1000 };
    baseUrl = await listenOnRandomPort(app);
    const provider = await seedProvider(app, mock.url, [
      { id: 'small', tier: 'minimal', inputPer1M: 1, outputPer1M: 2 },
      { id: 'large', tier: 'high', inputPer1M: 10, outputPer1M: 20 },
      { id: 'fail-500', tier: 'critical' },
    ]);
    one = await seedTenant(app, [provider.id]);
    two = await seedTenant(app, [provider.id]);
    await publishConfig(app);
    admin = bearer((await setupFirstAdmin(app)).token);
    mock.script({
      model: 'small',
      reply: replies.text('ok', { usage: { promptTokens: 100, completionTokens: 10 } }),
    });
    mock.script({
      model: 'large',
      reply: replies.text('ok', { usage: { promptTokens: 200, completionTokens: 20 } }),
    });

    await ask(one, 'small', 'chat-1');
    await ask(one, 'small', 'chat-1');
    await ask(one, 'large', 'chat-1');
    await ask(one, 'fail-500', 'chat-1');
    await ask(one, 'small', 'chat-2');
    await ask(one, 'small'); // no session: not in the sessions view
    await ask(two, 'large', 'chat-1'); // the same session id in another tenant is another session
    await app.get(AnalyticsWriter).flush();
    // The official SDK sends the header too.
    await new OpenAI({
      apiKey: two.key,
      baseURL: `${baseUrl}/v1`,
      maxRetries: 0,
      defaultHeaders: { 'x-session-id': 'sdk-session' },
    }).chat.completions.create({ model: 'small', messages: [{ role: 'user', content: 'hello' }] });
    await app.get(AnalyticsWriter).flush();
  });
  afterAll(async () => {
    await app.close();
    await mock.close();
  });

  it('groups requests per tenant and session, the most recently active first', async () => {
    const { status, body } = await get('sessions');
    expect(status).toBe(200);
    const items = body.items as Json[];
    expect(items.map((s) => `${s.tenantSlug as string}/${s.sessionId as string}`)).toEqual([
      `${two.slug}/sdk-session`,
      `${two.slug}/chat-1`,
      `${one.slug}/chat-2`,
      `${one.slug}/chat-1`,
    ]);
    expect(body.hasMore).toBe(false);
    const chat = items[3]!;
    expect(chat).toMatchObject({
      tenantId: one.id,
      requests: 4,
      errors: 1,
      inputTokens: 400,
      outputTokens: 40,
    });
    expect(chat.costUsd).toBeCloseTo((2 * (100 * 1 + 10 * 2) + (200 * 10 + 20 * 20)) / 1e6, 10);
    expect(chat.models).toEqual([
      { model: 'small', requests: 2 },
      { model: expect.any(String), requests: 1 },
      { model: expect.any(String), requests: 1 },
    ]);
    expect((chat.models as Json[]).map((m) => m.model)).toContain('large');
    expect(Date.parse(chat.firstAt as string)).toBeLessThanOrEqual(Date.parse(chat.lastAt as string));
  });

  it("applies the request log's filters and pages with offset", async () => {
    const ofOne = (await get(`sessions?tenant=${one.slug}&status=error`)).body.items as Json[];
    expect(ofOne.map((s) => [s.sessionId, s.requests, s.errors])).toEqual([['chat-1', 1, 1]]);
    const failed = (await get(`sessions?tenant=${one.slug}&status=failed`)).body.items as Json[];
    expect(failed.map((s) => [s.sessionId, s.requests, s.errors])).toEqual([['chat-1', 1, 1]]);
    const large = (await get('sessions?routedModel=large')).body.items as Json[];
    expect(large.map((s) => s.tenantId).sort()).toEqual([one.id, two.id].sort());
    const first = (await get('sessions?limit=3')).body;
    expect(first.items).toHaveLength(3);
    expect(first.hasMore).toBe(true);
    const rest = (await get('sessions?limit=3&offset=3')).body;
    expect((rest.items as Json[]).map((s) => s.sessionId)).toEqual(['chat-1']);
    expect(rest.hasMore).toBe(false);
    expect((await get('sessions?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z')).body.items).toEqual([]);
    // The session filter of the list opens one of them.
    const list = await app.inject({
      method: 'GET',
      url: `/api/prism/admin/requests?tenant=${one.id}&session=chat-1`,
      headers: admin,
    });
    expect(list.json<Json>().items).toHaveLength(4);
    const failedList = await app.inject({
      method: 'GET',
      url: `/api/prism/admin/requests?tenant=${one.id}&status=failed`,
      headers: admin,
    });
    expect(failedList.json<Json>().items).toHaveLength(1);
  });

  it("limits tenant roles to their own tenants' sessions", async () => {
    const viewer = bearer(await createUserAndLogin(app, 'tenant-viewer', { tenantIds: [one.id] }));
    const own = (await get('sessions', viewer)).body.items as Json[];
    expect(own.map((s) => [s.tenantId, s.sessionId])).toEqual([
      [one.id, 'chat-2'],
      [one.id, 'chat-1'],
    ]);
    expect((await get(`sessions?tenant=${two.id}`, viewer)).status).toBe(403);
  });

  it('refuses bad input and anonymous callers', async () => {
    expect((await get('sessions?offset=-1')).status).toBe(400);
    expect((await get('sessions?limit=0')).status).toBe(400);
    expect((await get('sessions?limit=500')).status).toBe(400);
    expect((await get('sessions?minCostUsd=cheap')).status).toBe(400);
    expect((await get('sessions?unknown=1')).status).toBe(400);
    expect((await get('sessions?tenant=no-such-tenant')).status).toBe(404);
    const anonymous = await app.inject({ method: 'GET', url: '/api/prism/admin/requests/sessions' });
    expect(anonymous.statusCode).toBe(401);
  });
});
