import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { TenantDirectory } from '../src/modules/tenants/tenant-directory.service';
import { startTestApp } from './support/app';
import { bearer, setupFirstAdmin } from './support/auth';
import { type MockUpstream, startMockUpstream } from './support/mock-upstream';

describe('onboarding through the admin API alone', () => {
  let app: NestFastifyApplication;
  let upstream: MockUpstream;

  beforeAll(async () => {
    upstream = await startMockUpstream({ requireKey: 'sk-onboarding' });
    app = await startTestApp({ OFFLINE: 'true' });
  });
  afterAll(async () => {
    await app.close();
    await upstream.close();
  });

  it('provider → check → discover → priced models → tenant → key → client config', async () => {
    const headers = bearer((await setupFirstAdmin(app)).token);
    const api = async (method: 'GET' | 'POST', url: string, payload?: object) => {
      const res = await app.inject({ method, url: `/api/prism/admin/${url}`, headers, payload });
      expect(res.statusCode).toBeLessThan(300);
      return res.json();
    };

    const provider = await api('POST', 'providers', {
      name: 'Upstream',
      type: 'openai',
      baseUrl: upstream.url,
      auth: { type: 'api_key', apiKey: 'sk-onboarding' },
    });
    expect((await api('POST', `providers/${provider.id}/check`)).ok).toBe(true);
    const discovered = await api('POST', `providers/${provider.id}/discover`);
    expect(discovered.added.length).toBeGreaterThan(3);

    const models = await api('GET', `models?provider=${provider.slug}&sort=modelId&pageSize=100`);
    const priced = models.items.filter(
      (m: { tier: string | null; pricing: { inputPer1M: number } }) => m.tier && m.pricing.inputPer1M > 0,
    );
    expect(priced.map((m: { modelId: string }) => m.modelId)).toEqual(
      expect.arrayContaining(['gpt-4o', 'gpt-4o-mini', 'o3-mini']),
    );

    const tenant = await api('POST', 'tenants', {
      slug: 'first-team',
      name: 'First team',
      providerIds: [provider.id],
    });
    const key = await api('POST', `tenants/${tenant.id}/keys`, { label: 'laptop' });
    expect(key.apiKey).toMatch(/^omp-[0-9a-f]{64}$/);
    const resolved = await app.get(TenantDirectory).resolveApiKey(key.apiKey);
    expect(resolved.ok && resolved.tenant.slug).toBe('first-team');

    const config = await api(
      'GET',
      `tenants/${tenant.id}/client-config/openai-python?baseUrl=https://llm.example.com`,
    );
    expect(config.content).toContain('base_url="https://llm.example.com/api/first-team/v1"');
    expect(config.content).not.toContain(key.apiKey);
  });
});
