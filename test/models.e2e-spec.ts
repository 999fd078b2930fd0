import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { ProviderCatalog } from '../src/modules/providers/provider-catalog.service';
import { startTestApp } from './support/app';
import { bearer, createUser, setupFirstAdmin } from './support/auth';

describe('admin/models', () => {
  let app: NestFastifyApplication;
  let admin: { authorization: string };
  let maintainer: { authorization: string };
  let auditor: { authorization: string };
  let providerId: string;

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    headers: object,
    payload?: object,
  ) =>
    app.inject({
      method,
      url: `/api/prism/admin/${url}`,
      headers: headers as Record<string, string>,
      payload,
    });

  beforeAll(async () => {
    app = await startTestApp();
    admin = bearer((await setupFirstAdmin(app)).token);
    maintainer = bearer((await createUser(app, 'maintainer')).token);
    auditor = bearer((await createUser(app, 'auditor')).token);
    providerId = (
      await call('POST', 'providers', admin, {
        name: 'House vLLM',
        type: 'vllm',
        baseUrl: 'http://127.0.0.1:9',
      })
    ).json().id;
    for (const modelId of [
      'gpt-4o',
      'gpt-4o-mini',
      'claude-sonnet-4-5',
      'text-embedding-3-small',
      'house-model',
    ]) {
      const res = await call('POST', 'models', maintainer, { providerId, modelId });
      expect(res.statusCode).toBe(201);
    }
  });
  afterAll(async () => {
    await app.close();
  });

  it('adds models by hand with metadata from the bundled registry (self-hosted price 0)', async () => {
    const list = (await call('GET', `models?provider=house-vllm&pageSize=200`, auditor)).json();
    expect(list.total).toBe(5);
    const sonnet = list.items.find((m: { modelId: string }) => m.modelId === 'claude-sonnet-4-5');
    expect(sonnet).toMatchObject({
      source: 'manual',
      tier: 'high',
      contextWindow: 200000,
      pricing: { inputPer1M: 0, outputPer1M: 0 },
      prefixedId: 'house-vllm/claude-sonnet-4-5',
      providerName: 'House vLLM',
    });
    const house = list.items.find((m: { modelId: string }) => m.modelId === 'house-model');
    expect(house).toMatchObject({ tier: null, registryId: null });
    expect((await call('POST', 'models', admin, { providerId, modelId: 'gpt-4o' })).statusCode).toBe(409);
  });

  it('filters, searches, sorts and paginates on the server', async () => {
    const page1 = (await call('GET', 'models?search=GPT&sort=modelId&pageSize=1&page=1', admin)).json();
    expect(page1).toMatchObject({ total: 2, page: 1, pageSize: 1 });
    expect(page1.items.map((m: { modelId: string }) => m.modelId)).toEqual(['gpt-4o']);
    const page2 = (await call('GET', 'models?search=GPT&sort=modelId&pageSize=1&page=2', admin)).json();
    expect(page2.items.map((m: { modelId: string }) => m.modelId)).toEqual(['gpt-4o-mini']);
    const embeddings = (await call('GET', 'models?capability=embeddings', admin)).json();
    expect(embeddings.items.map((m: { modelId: string }) => m.modelId)).toEqual(['text-embedding-3-small']);
    const high = (await call('GET', 'models?tier=high', admin)).json();
    expect(high.items.map((m: { modelId: string }) => m.modelId)).toEqual(['claude-sonnet-4-5']);
    const regexSafe = (await call('GET', `models?search=${encodeURIComponent('.*(')}`, admin)).json();
    expect(regexSafe.total).toBe(0);
  });

  it('edits a model, pins the edited fields, and the gateway catalog sees it at once', async () => {
    const list = (await call('GET', 'models?search=house-model', admin)).json();
    const id = list.items[0].id;
    const res = await call('PATCH', `models/${id}`, admin, {
      tier: 'low',
      categories: ['coding'],
      contextWindow: 32768,
      maxOutputTokens: 4096,
      pricing: { inputPer1M: 0.5, outputPer1M: 1.5, cachedInputPer1M: 0.1 },
      capabilities: { tools: true, fim: true },
      benchmarks: { coding: 70 },
      priority: 90,
      notes: 'our own',
    });
    expect(res.statusCode).toBe(200);
    const model = res.json();
    expect(model).toMatchObject({
      tier: 'low',
      categories: ['coding'],
      pricing: { inputPer1M: 0.5, outputPer1M: 1.5, cachedInputPer1M: 0.1 },
      capabilities: { tools: true, fim: true, vision: false },
      benchmarks: { coding: 70, intelligence: null },
      priority: 90,
    });
    expect(model.manualFields).toEqual(
      expect.arrayContaining([
        'tier',
        'categories',
        'contextWindow',
        'pricing',
        'capabilities',
        'benchmarks',
        'priority',
        'notes',
      ]),
    );
    const cached = app.get(ProviderCatalog).findModel('house-vllm', 'house-model');
    expect(cached).toMatchObject({ tier: 'low', priority: 90 });

    const unchanged = await call('PATCH', `models/${id}`, admin, {});
    expect(unchanged.statusCode).toBe(200);
    expect(unchanged.json().tier).toBe('low');

    const reset = await call('POST', `models/${id}/reset`, admin, { fields: ['tier'] });
    expect(reset.json().manualFields).not.toContain('tier');
    expect(reset.json().tier).toBe('low');
  });

  it('hides and shows models in bulk', async () => {
    const all = (await call('GET', 'models?pageSize=200', admin))
      .json()
      .items.map((m: { id: string }) => m.id);
    const hide = await call('POST', 'models/visibility', admin, { ids: all.slice(0, 3), visible: false });
    expect(hide.json()).toEqual({ updated: 3 });
    expect((await call('GET', 'models?visible=false', admin)).json().total).toBe(3);
    expect(
      app
        .get(ProviderCatalog)
        .allModels()
        .filter((m) => !m.visible),
    ).toHaveLength(3);
    await call('POST', 'models/visibility', admin, { ids: all, visible: true });
    expect((await call('GET', 'models?visible=false', admin)).json().total).toBe(0);
  });

  it('rejects bad edits and bad queries with 400', async () => {
    const id = (await call('GET', 'models?pageSize=1', admin)).json().items[0].id;
    for (const payload of [
      { tier: 'premium' },
      { pricing: { inputPer1M: -1, outputPer1M: 1 } },
      { priority: 101 },
      { contextWindow: 0 },
      { benchmarks: { coding: 150 } },
      { modelId: 'renamed' },
    ]) {
      expect({ payload, status: (await call('PATCH', `models/${id}`, admin, payload)).statusCode }).toEqual({
        payload,
        status: 400,
      });
    }
    expect((await call('GET', 'models?pageSize=500', admin)).statusCode).toBe(400);
    expect((await call('GET', 'models?tier=premium', admin)).statusCode).toBe(400);
    expect((await call('POST', 'models/visibility', admin, { ids: [], visible: true })).statusCode).toBe(400);
    expect((await call('POST', 'models', admin, { providerId: 'nope', modelId: 'x' })).statusCode).toBe(400);
  });

  it('sets the API type of Azure deployments (provider default for new ones, per model after)', async () => {
    const azure = await call('POST', 'providers', admin, {
      name: 'Azure Responses',
      type: 'azure',
      baseUrl: 'https://example.openai.azure.com',
      auth: { type: 'api_key', apiKey: 'azure-key' },
      options: { apiType: 'responses' },
    });
    expect(azure.statusCode).toBe(201);
    expect(azure.json().options.apiType).toBe('responses');
    const added = await call('POST', 'models', maintainer, {
      providerId: azure.json().id,
      modelId: 'gpt-5-prod',
    });
    expect(added.json().apiType).toBe('responses');
    const chat = await call('PATCH', `models/${added.json().id}`, maintainer, { apiType: 'chat' });
    expect(chat.statusCode).toBe(200);
    expect(chat.json().apiType).toBe('chat');

    const vllmModel = (await call('GET', 'models?search=house-model', admin)).json().items[0];
    const refused = await call('PATCH', `models/${vllmModel.id}`, maintainer, { apiType: 'responses' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain('only applies to models of Azure providers');
    const badProvider = await call('POST', 'providers', admin, {
      name: 'Not Azure',
      type: 'vllm',
      baseUrl: 'http://127.0.0.1:9',
      options: { apiType: 'responses' },
    });
    expect(badProvider.statusCode).toBe(400);
    expect((await call('PATCH', `models/${vllmModel.id}`, admin, { apiType: 'embeddings' })).statusCode).toBe(
      400,
    );
  });

  it('answers 404 for unknown models and providers', async () => {
    expect((await call('GET', 'models/64b000000000000000000000', admin)).statusCode).toBe(404);
    expect((await call('PATCH', 'models/64b000000000000000000000', admin, { priority: 1 })).statusCode).toBe(
      404,
    );
    expect((await call('DELETE', 'models/nope', admin)).statusCode).toBe(404);
    expect((await call('GET', 'models?provider=nope', admin)).statusCode).toBe(404);
    expect(
      (await call('POST', 'models', admin, { providerId: '64b000000000000000000000', modelId: 'x' }))
        .statusCode,
    ).toBe(404);
  });

  it('lets readers read and only writers write', async () => {
    const id = (await call('GET', 'models?pageSize=1', auditor)).json().items[0].id;
    expect((await call('PATCH', `models/${id}`, auditor, { priority: 1 })).statusCode).toBe(403);
    expect((await call('POST', 'models/visibility', auditor, { ids: [id], visible: false })).statusCode).toBe(
      403,
    );
    expect((await call('DELETE', `models/${id}`, auditor)).statusCode).toBe(403);
    const viewer = bearer((await createUser(app, 'tenant-viewer')).token);
    expect((await call('GET', 'models', viewer)).statusCode).toBe(403);
    expect((await call('DELETE', `models/${id}`, admin)).statusCode).toBe(204);
    expect((await call('GET', `models/${id}`, admin)).statusCode).toBe(404);
  });
});
