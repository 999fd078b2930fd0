import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { startTestApp } from './support/app';
import { bearer, createUser, setupFirstAdmin } from './support/auth';

describe('portal/tenants (tenant self-service)', () => {
  let app: NestFastifyApplication;
  let admin: { authorization: string };
  let own: { id: string; slug: string };
  let foreign: { id: string; slug: string };
  let tenantAdmin: { authorization: string };
  let tenantViewer: { authorization: string };

  let providerId: string;

  const adminCall = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    app.inject({ method, url: `/api/prism/admin/${url}`, headers: admin, payload });
  const portal = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    headers: object,
    payload?: object,
  ) =>
    app.inject({
      method,
      url: `/api/prism/portal/tenants${url}`,
      headers: headers as Record<string, string>,
      payload,
    });

  beforeAll(async () => {
    app = await startTestApp();
    admin = bearer((await setupFirstAdmin(app)).token);
    const provider = (await adminCall('POST', 'providers', { name: 'Local', type: 'ollama' })).json();
    providerId = provider.id;
    for (const modelId of ['llama3.1:8b', 'qwen2.5-coder:7b', 'nomic-embed-text']) {
      await adminCall('POST', 'models', { providerId: provider.id, modelId });
    }
    own = (
      await adminCall('POST', 'tenants', { slug: 'team-own', name: 'Own team', providerIds: [provider.id] })
    ).json();
    foreign = (await adminCall('POST', 'tenants', { slug: 'team-foreign', name: 'Foreign team' })).json();
    await adminCall('POST', `tenants/${foreign.id}/keys`, { label: 'theirs' });
    tenantAdmin = bearer((await createUser(app, 'tenant-admin', { tenantIds: [own.id] })).token);
    tenantViewer = bearer((await createUser(app, 'tenant-viewer', { tenantIds: [own.id] })).token);
  });
  afterAll(async () => {
    await app.close();
  });

  it("lists only the caller's own tenants, with endpoint and key prefixes", async () => {
    await adminCall('POST', `tenants/${own.id}/keys`, { label: 'ours' });
    const res = await portal('GET', '', tenantViewer);
    expect(res.statusCode).toBe(200);
    const list = res.json();
    expect(list.map((t: { slug: string }) => t.slug)).toEqual(['team-own']);
    expect(list[0]).toMatchObject({
      endpoint: expect.stringMatching(/\/api\/team-own\/v1$/),
      anthropicBaseUrl: expect.stringMatching(/\/api\/team-own$/),
      usage: { activeKeys: 1, totalKeys: 1, lastUsedAt: null },
    });
    expect(list[0].keys[0]).toMatchObject({
      label: 'ours',
      prefix: expect.stringMatching(/^omp-[0-9a-f]{8}$/),
    });
    expect(list[0].keys[0]).not.toHaveProperty('apiKey');
    const all = (await portal('GET', '', admin)).json().map((t: { slug: string }) => t.slug);
    expect(all).toEqual(expect.arrayContaining(['default', 'team-own', 'team-foreign']));
  });

  it('hides foreign tenants from tenant roles (403), everywhere', async () => {
    for (const url of [
      `/${foreign.id}`,
      `/${foreign.id}/models`,
      `/${foreign.id}/keys`,
      `/${foreign.slug}/client-config/cursor`,
    ]) {
      expect({ url, status: (await portal('GET', url, tenantAdmin)).statusCode }).toEqual({
        url,
        status: 403,
      });
    }
    expect((await portal('POST', `/${foreign.id}/keys`, tenantAdmin, {})).statusCode).toBe(403);
    expect(
      (await portal('PUT', `/${foreign.id}/model-access`, tenantAdmin, { mode: 'all', list: [] })).statusCode,
    ).toBe(403);
    expect((await portal('GET', '/64b000000000000000000000', tenantAdmin)).statusCode).toBe(404);
  });

  it('shows the models of the tenant with their access state, and lets a tenant admin change access', async () => {
    const models = (await portal('GET', `/${own.id}/models`, tenantViewer)).json();
    expect(models.map((m: { modelId: string }) => m.modelId).sort()).toEqual([
      'llama3.1:8b',
      'qwen2.5-coder:7b',
    ]);
    expect(models.every((m: { allowed: boolean }) => m.allowed)).toBe(true);

    expect(
      (
        await portal('PUT', `/${own.id}/model-access`, tenantViewer, {
          mode: 'whitelist',
          list: ['llama3.1:8b'],
        })
      ).statusCode,
    ).toBe(403);
    const updated = await portal('PUT', `/${own.id}/model-access`, tenantAdmin, {
      mode: 'whitelist',
      list: ['local/llama3.1:8b'],
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().modelAccess).toEqual({ mode: 'whitelist', list: ['local/llama3.1:8b'] });
    const after = (await portal('GET', `/${own.id}/models`, tenantViewer)).json();
    expect(after.find((m: { modelId: string }) => m.modelId === 'qwen2.5-coder:7b').allowed).toBe(false);
    expect(
      (await portal('PUT', `/${own.id}/model-access`, tenantAdmin, { mode: 'some', list: [] })).statusCode,
    ).toBe(400);
  });

  it('lists no models of a disabled provider (the gateway serves none of them)', async () => {
    expect((await adminCall('PATCH', `providers/${providerId}`, { enabled: false })).statusCode).toBe(200);
    try {
      expect((await portal('GET', `/${own.id}/models`, tenantViewer)).json()).toEqual([]);
    } finally {
      await adminCall('PATCH', `providers/${providerId}`, { enabled: true });
    }
  });

  it('lets a tenant admin manage its keys (plaintext once) and a viewer only read them', async () => {
    const created = await portal('POST', `/${own.id}/keys`, tenantAdmin, { label: 'from portal' });
    expect(created.statusCode).toBe(201);
    const key = created.json();
    expect(key.apiKey).toMatch(/^omp-[0-9a-f]{64}$/);
    const listed = await portal('GET', `/${own.id}/keys`, tenantViewer);
    expect(listed.body).not.toContain(key.apiKey);
    expect((await portal('POST', `/${own.id}/keys`, tenantViewer, {})).statusCode).toBe(403);
    expect((await portal('POST', `/${own.id}/keys/${key.id}/disable`, tenantViewer)).statusCode).toBe(403);
    expect((await portal('POST', `/${own.id}/keys/${key.id}/disable`, tenantAdmin)).json().enabled).toBe(
      false,
    );
    const rotated = (await portal('POST', `/${own.id}/keys/${key.id}/rotate`, tenantAdmin)).json();
    expect(rotated.apiKey).not.toBe(key.apiKey);
    expect((await portal('DELETE', `/${own.id}/keys/${key.id}`, tenantAdmin)).statusCode).toBe(204);
  });

  it('generates client configs for the own tenant', async () => {
    const res = await portal(
      'GET',
      `/${own.slug}/client-config/continue?baseUrl=https://llm.corp`,
      tenantViewer,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().content).toContain('apiBase: "https://llm.corp/api/team-own/v1"');
  });

  it('requires a login', async () => {
    expect((await portal('GET', '', {})).statusCode).toBe(401);
  });
});
