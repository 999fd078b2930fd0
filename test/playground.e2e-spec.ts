import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { AnalyticsWriter } from '../src/modules/analytics/analytics-writer.service';
import { listenOnRandomPort, startTestApp } from './support/app';
import { bearer, createUser, setupFirstAdmin, type TestUser } from './support/auth';
import { publishConfig, seedProvider, seedTenant, type SeededTenant, updateTenant } from './support/gateway';
import { type MockUpstream, startMockUpstream } from './support/mock-upstream';

interface SseEvent {
  event: string;
  data: string;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
      const data = lines
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      return { event, data };
    });
}

describe('chat playground (admin/playground, session-authenticated gateway)', () => {
  let mock: MockUpstream;
  let app: NestFastifyApplication;
  let url: string;
  let admin: TestUser;
  let research: SeededTenant;
  let other: SeededTenant;

  const chat = (token: string, body: Record<string, unknown>) =>
    fetch(`${url}/api/prism/admin/playground/chat`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const hello = [{ role: 'user', content: 'Write a haiku about the sea' }];

  beforeAll(async () => {
    mock = await startMockUpstream();
    // The control role: the playground runs the pipeline without the worker's gateway routes.
    app = await startTestApp({ NODE_ROLE: 'control' });
    url = await listenOnRandomPort(app);
    const provider = await seedProvider(app, mock.url, [
      { id: 'small-model', tier: 'minimal', inputPer1M: 0.1, outputPer1M: 0.4 },
      { id: 'big-model', tier: 'high', inputPer1M: 5, outputPer1M: 20 },
    ]);
    research = await seedTenant(app, [provider.id], { name: 'Research' });
    other = await seedTenant(app, [provider.id], { name: 'Other' });
    await publishConfig(app);
    admin = await setupFirstAdmin(app);
  });
  afterAll(async () => {
    await app?.close();
    await mock?.close();
  });

  it('is served by a control pod, which exposes no gateway route', async () => {
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${research.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'small-model', messages: hello }),
    });
    expect(res.status).toBe(404);
  });

  it('lists the tenants the user may chat as, with their models, auto first', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/prism/admin/playground/tenants',
      headers: bearer(admin.token),
    });
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: { id: string; name: string; models: string[] }[] }>().items;
    // Sorted by name; the built-in default tenant is one of them.
    expect(items.map((t) => t.name)).toEqual(['Default', 'Other', 'Research']);
    const models = items.find((t) => t.id === research.id)?.models ?? [];
    expect(models[0]).toBe('auto');
    expect([...models].sort()).toEqual(['auto', 'big-model', 'small-model']);
  });

  it('streams an auto-routed answer with cost, ends with the routing summary, and logs it as a playground request', async () => {
    const res = await chat(admin.token, {
      tenantId: research.id,
      model: 'auto',
      messages: hello,
      systemPrompt: 'You are terse.',
      temperature: 0.3,
      maxTokens: 200,
      sessionId: 'pg-session-1',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    expect(res.headers.get('x-prism-auto-routed')).toBe('true');
    const events = parseSse(await res.text());
    expect(events.at(-1)).toEqual({ event: 'message', data: '[DONE]' });
    const chunks = events
      .filter((e) => e.event === 'message' && e.data !== '[DONE]')
      .map((e) => JSON.parse(e.data));
    const text = chunks.map((c) => c.choices?.[0]?.delta?.content ?? '').join('');
    expect(text.length).toBeGreaterThan(0);
    const usageChunk = chunks.find((c) => c.usage);
    expect(usageChunk.cost_info).toMatchObject({ cost_usd: expect.any(Number) });

    const summary = JSON.parse(events.find((e) => e.event === 'prism')!.data);
    expect(summary).toMatchObject({
      requestId,
      model: expect.stringMatching(/small-model|big-model/),
      routing: { category: expect.any(String), tier: expect.any(String), reason: expect.any(String) },
      attempts: [expect.objectContaining({ outcome: 'ok' })],
    });

    // What went upstream: the system prompt first, the sampling settings, usage requested.
    const upstream = mock.requests.at(-1)!.body as Record<string, unknown>;
    expect(upstream).toMatchObject({
      temperature: 0.3,
      stream: true,
      messages: [{ role: 'system', content: 'You are terse.' }, ...hello],
    });

    await app.get(AnalyticsWriter).flush();
    const detail = await app.inject({
      method: 'GET',
      url: `/api/prism/admin/requests/${requestId!}`,
      headers: bearer(admin.token),
    });
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({
      endpoint: 'playground',
      tenantId: research.id,
      user: admin.username,
      sessionId: 'pg-session-1',
      keyId: null,
      autoRouted: true,
      status: 'success',
    });
  });

  it('answers with one JSON completion when stream is false', async () => {
    const res = await chat(admin.token, {
      tenantId: research.id,
      model: 'big-model',
      messages: hello,
      stream: false,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { model: string; cost_info: { cost_usd: number } };
    expect(body.cost_info.cost_usd).toBeGreaterThan(0);
    expect(res.headers.get('x-prism-model')).toBe('big-model');
  });

  it('refuses invalid bodies with the fields named', async () => {
    const res = await chat(admin.token, {
      tenantId: research.id,
      model: 'auto',
      messages: [{ role: 'system', content: 'x' }],
      temperature: 3,
      extra: true,
    });
    expect(res.status).toBe(400);
    const fields = ((await res.json()) as { details: { field: string }[] }).details.map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['messages[0].role', 'temperature', 'extra']));
    expect((await chat(admin.token, { tenantId: research.id, model: 'auto', messages: [] })).status).toBe(
      400,
    );
  });

  it("answers the gateway's refusals in the admin error shape", async () => {
    const res = await chat(admin.token, { tenantId: research.id, model: 'no-such-model', messages: hello });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await res.json()).toMatchObject({
      statusCode: res.status,
      code: expect.any(String),
      message: expect.any(String),
    });
    expect(
      (await chat(admin.token, { tenantId: '0123456789abcdef01234567', model: 'auto', messages: hello }))
        .status,
    ).toBe(404);
  });

  it("applies the tenant's rate limit to playground requests (no key involved)", async () => {
    await updateTenant(app, other.id, { rateLimit: { requestsPerMinute: 1, tokensPerMinute: 0 } });
    const first = await chat(admin.token, {
      tenantId: other.id,
      model: 'small-model',
      messages: hello,
      stream: false,
    });
    expect(first.status).toBe(200);
    const second = await chat(admin.token, {
      tenantId: other.id,
      model: 'small-model',
      messages: hello,
      stream: false,
    });
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBeTruthy();
    expect(await second.json()).toMatchObject({ statusCode: 429, code: 'rate_limit_exceeded' });
  });

  it('needs a session and the playground.use permission; tenant admins chat only as their own tenants', async () => {
    const anonymous = await fetch(`${url}/api/prism/admin/playground/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: research.id, model: 'auto', messages: hello }),
    });
    expect(anonymous.status).toBe(401);
    for (const role of ['finops', 'auditor', 'tenant-viewer'] as const) {
      const user = await createUser(app, role, { tenantIds: role === 'tenant-viewer' ? [research.id] : [] });
      const res = await chat(user.token, { tenantId: research.id, model: 'small-model', messages: hello });
      expect({ role, status: res.status }).toEqual({ role, status: 403 });
    }

    const tenantAdmin = await createUser(app, 'tenant-admin', { tenantIds: [research.id] });
    const listed = await app.inject({
      method: 'GET',
      url: '/api/prism/admin/playground/tenants',
      headers: bearer(tenantAdmin.token),
    });
    expect(listed.json<{ items: { id: string }[] }>().items.map((t) => t.id)).toEqual([research.id]);
    const foreign = await chat(tenantAdmin.token, {
      tenantId: other.id,
      model: 'small-model',
      messages: hello,
    });
    expect(foreign.status).toBe(403);
    const own = await chat(tenantAdmin.token, {
      tenantId: research.id,
      model: 'small-model',
      messages: hello,
      stream: false,
    });
    expect(own.status).toBe(200);
  });
});
