import { getConnectionToken } from '@nestjs/mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Connection } from 'mongoose';
import OpenAI from 'openai';

import { listenOnRandomPort, startTestApp } from './support/app';
import { bearer, setupFirstAdmin } from './support/auth';
import { publishConfig, seedProvider, seedTenant, type SeededTenant } from './support/gateway';
import { type MockUpstream, replies, startMockUpstream } from './support/mock-upstream';

const PASSPHRASE = 'move-me-between-environments';
const UPSTREAM_KEY = 'sk-upstream-roundtrip-secret';
const PROMPT = 'Write a TypeScript function that merges two sorted arrays.';

describe('settings export/import (admin/system/export, admin/system/import)', () => {
  let mock: MockUpstream;
  let source: NestFastifyApplication;
  let target: NestFastifyApplication;
  let sourceUrl: string;
  let targetUrl: string;
  let tenant: SeededTenant;
  let sourceAdmin: { authorization: string };
  let targetAdmin: { authorization: string };

  const providerCount = () =>
    target.get<Connection>(getConnectionToken()).collection('providers').countDocuments();
  const importInto = (payload: object, dryRun = false) =>
    target.inject({
      method: 'POST',
      url: `/api/prism/admin/system/import${dryRun ? '?dryRun=true' : ''}`,
      headers: targetAdmin,
      payload,
    });
  const exportFrom = async (passphrase?: string) => {
    const response = await source.inject({
      method: 'GET',
      url: '/api/prism/admin/system/export',
      headers: { ...sourceAdmin, ...(passphrase ? { 'x-prism-passphrase': passphrase } : {}) },
    });
    expect(response.statusCode).toBe(200);
    return response;
  };
  const askAuto = async (baseUrl: string, key: string) => {
    mock.reset();
    mock.script({ reply: replies.text('ok') });
    const client = new OpenAI({ apiKey: key, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
    const { response } = await client.chat.completions
      .create({ model: 'auto', messages: [{ role: 'user', content: PROMPT }] })
      .withResponse();
    return {
      model: response.headers.get('x-prism-model'),
      category: response.headers.get('x-prism-category'),
      upstreamAuth: mock.requests[0]?.headers.authorization,
    };
  };

  beforeAll(async () => {
    mock = await startMockUpstream();
    source = await startTestApp({ NODE_ROLE: 'full' });
    const targetDb = new URL(process.env.MONGODB_URI!);
    targetDb.pathname = `${targetDb.pathname}_target`;
    target = await startTestApp({ NODE_ROLE: 'full', MONGODB_URI: targetDb.toString() });
    sourceUrl = await listenOnRandomPort(source);
    targetUrl = await listenOnRandomPort(target);
    const provider = await seedProvider(
      source,
      mock.url,
      [
        { id: 'small-model', tier: 'low', contextWindow: 128_000 },
        { id: 'big-model', tier: 'high', contextWindow: 128_000 },
      ],
      { apiKey: UPSTREAM_KEY },
    );
    tenant = await seedTenant(source, [provider.id], {
      routing: {
        enabled: true,
        strictness: 'off',
        optOutToken: '--model-prism-accept-model',
        classifierChain: [],
        defaultModel: 'small-model',
        baselineModel: 'big-model',
        ruleSetId: null,
        costMode: null,
        overrides: {},
      },
    });
    await publishConfig(source);
    sourceAdmin = bearer((await setupFirstAdmin(source)).token);
    targetAdmin = bearer((await setupFirstAdmin(target)).token);
    await source.inject({
      method: 'PUT',
      url: '/api/prism/admin/system/settings',
      headers: sourceAdmin,
      payload: { requestLogRetentionDays: 45 },
    });
  });
  afterAll(async () => {
    await target?.close();
    await source?.close();
    await mock?.close();
  });

  it('exports secrets only encrypted under the passphrase, or not at all', async () => {
    const withSecrets = (await exportFrom(PASSPHRASE)).body;
    expect(withSecrets).not.toContain(UPSTREAM_KEY);
    expect(withSecrets).not.toContain('sk-prism'); // no tenant keys
    expect(JSON.parse(withSecrets)).toMatchObject({ secrets: 'encrypted', kdf: { name: 'scrypt' } });
    const without = (await exportFrom()).body;
    expect(without).not.toContain(UPSTREAM_KEY);
    expect(without).not.toContain('enc:');
    expect(JSON.parse(without).secrets).toBe('omitted');
  });

  it('refuses a document with a bad entry or a wrong passphrase and changes nothing', async () => {
    const document = (await exportFrom(PASSPHRASE)).json();
    const before = await providerCount();
    const wrong = await importInto({ document, passphrase: 'not-the-passphrase-at-all' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().message).toMatch(/passphrase is wrong/);

    const broken = structuredClone(document);
    broken.sections.models[1].tier = 'enormous';
    const response = await importInto({ document: broken, passphrase: PASSPHRASE });
    expect(response.statusCode).toBe(400);
    expect(response.json().details).toEqual([expect.objectContaining({ section: 'models', field: 'tier' })]);

    const badSetting = structuredClone(document);
    badSetting.sections.runtimeSettings[0].values.gatewayMaxInFlight = -1;
    expect((await importInto({ document: badSetting, passphrase: PASSPHRASE })).statusCode).toBe(400);
    expect((await importInto({ document: { format: 'x' } })).statusCode).toBe(400);
    expect(await providerCount()).toBe(before);
  });

  it('shows the diff in a dry run without changing anything', async () => {
    const document = (await exportFrom(PASSPHRASE)).json();
    const response = await importInto({ document, passphrase: PASSPHRASE }, true);
    expect(response.statusCode).toBe(200);
    const { diff, applied } = response.json();
    expect(applied).toBe(false);
    expect(diff.providers.added).toHaveLength(1);
    expect(diff.models.added).toEqual(expect.arrayContaining(['small-model', 'big-model']));
    expect(diff.tenants.added).toContain(tenant.slug);
    expect(await providerCount()).toBe(0);
  });

  it('round trip: imported into an empty database, a request routes the same way and reaches the upstream', async () => {
    const before = await askAuto(sourceUrl, tenant.key);
    expect(before.upstreamAuth).toBe(`Bearer ${UPSTREAM_KEY}`);

    const document = (await exportFrom(PASSPHRASE)).json();
    const response = await importInto({ document, passphrase: PASSPHRASE });
    expect(response.statusCode).toBe(200);
    expect(response.json().applied).toBe(true);

    // Keys never travel: the target issues its own for the imported tenant.
    const key = await target.inject({
      method: 'POST',
      url: `/api/prism/admin/tenants/${tenant.slug}/keys`,
      headers: targetAdmin,
      payload: { label: 'after-import' },
    });
    expect(key.statusCode).toBe(201);
    const after = await askAuto(targetUrl, key.json().apiKey);
    expect(after).toEqual(before);

    const settings = await target.inject({
      method: 'GET',
      url: '/api/prism/admin/system/settings',
      headers: targetAdmin,
    });
    expect(settings.json().values.requestLogRetentionDays).toBe(45);

    const audit = await target.inject({
      method: 'GET',
      url: '/api/prism/admin/audit?action=settings.import',
      headers: targetAdmin,
    });
    expect(audit.json().items).toHaveLength(1);
  });

  it('keeps the target id of an entry with the same unique key, so its keys and references stay attached', async () => {
    // The same provider, model and tenant were set up by hand in both environments (other ids).
    const slugs = { provider: 'shared-provider', tenant: 'shared-team' };
    const inSource = await seedProvider(source, mock.url, [{ id: 'shared-model', tier: 'low' }], {
      slug: slugs.provider,
      apiKey: UPSTREAM_KEY,
    });
    await seedTenant(source, [inSource.id], { slug: slugs.tenant, defaultSystemPrompt: 'from the source' });
    const inTarget = await seedProvider(target, mock.url, [{ id: 'shared-model', tier: 'low' }], {
      slug: slugs.provider,
      apiKey: UPSTREAM_KEY,
    });
    const targetTenant = await seedTenant(target, [inTarget.id], { slug: slugs.tenant });
    await publishConfig(target);
    const db = target.get<Connection>(getConnectionToken());
    const modelBefore = await db.collection('models').findOne({ modelId: 'shared-model' });

    const document = (await exportFrom(PASSPHRASE)).json();
    const dry = await importInto({ document, passphrase: PASSPHRASE }, true);
    expect(dry.statusCode).toBe(200);
    const changed = dry.json().diff.tenants.changed as { id: string; label: string; fields: string[] }[];
    expect(changed.find((c) => c.label === slugs.tenant)).toMatchObject({
      id: targetTenant.id,
      fields: ['defaultSystemPrompt'],
    });
    expect(dry.json().diff.tenants.added).not.toContain(slugs.tenant);

    expect((await importInto({ document, passphrase: PASSPHRASE })).statusCode).toBe(200);
    const tenantAfter = await db.collection('tenants').findOne({ slug: slugs.tenant });
    expect(String(tenantAfter!._id)).toBe(targetTenant.id);
    expect(tenantAfter).toMatchObject({ defaultSystemPrompt: 'from the source', providerIds: [inTarget.id] });
    expect(String((await db.collection('providers').findOne({ slug: slugs.provider }))!._id)).toBe(
      inTarget.id,
    );
    const modelAfter = await db.collection('models').findOne({ modelId: 'shared-model' });
    expect(String(modelAfter!._id)).toBe(String(modelBefore!._id));
    expect(String(modelAfter!.providerId)).toBe(inTarget.id);
    expect(await db.collection('models').countDocuments({ modelId: 'shared-model' })).toBe(1);

    // The key issued in the target before the import still belongs to a tenant and works.
    mock.reset();
    mock.script({ reply: replies.text('ok') });
    const client = new OpenAI({ apiKey: targetTenant.key, baseURL: `${targetUrl}/v1`, maxRetries: 0 });
    const { response } = await client.chat.completions
      .create({ model: 'shared-model', messages: [{ role: 'user', content: 'still here?' }] })
      .withResponse();
    expect(response.headers.get('x-prism-provider')).toBe(slugs.provider);
  });

  it('is for admins only', async () => {
    const response = await source.inject({ method: 'GET', url: '/api/prism/admin/system/export' });
    expect(response.statusCode).toBe(401);
  });
});
