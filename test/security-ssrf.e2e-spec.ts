import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { startTestApp } from './support/app';
import { bearer, setupFirstAdmin } from './support/auth';

/** Issue 15 item 5: provider URLs pass the SSRF guard (PROVIDER_URL_ALLOW) with a clear 400. */
describe('SSRF guard for provider URLs', () => {
  let app: NestFastifyApplication;
  let admin: { authorization: string };

  beforeAll(async () => {
    app = await startTestApp({ NODE_ROLE: 'control', PROVIDER_URL_ALLOW: 'loopback, 10.20.0.0/16' });
    admin = bearer((await setupFirstAdmin(app)).token);
  });
  afterAll(() => app.close());

  const create = (baseUrl: string, options: object = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/prism/admin/providers',
      headers: admin,
      payload: { name: `p-${Math.random()}`, type: 'openai', baseUrl, auth: { type: 'none' }, options },
    });

  it('refuses cloud metadata and link-local addresses with a 400, whatever the allow-list', async () => {
    for (const url of ['http://169.254.169.254/latest', 'http://[fe80::1]:80', 'http://0.0.0.0:8080']) {
      const res = await create(url);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ details: { field: 'baseUrl' } });
      expect(res.json().message).toMatch(/never allowed/);
    }
  });

  it('refuses a private address that is not listed and says how to allow it', async () => {
    const res = await create('http://10.1.2.3:8000');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/private address.*PROVIDER_URL_ALLOW/);
    const proxy = await create('http://10.20.1.1:8000', { httpProxy: 'http://192.168.7.7:3128' });
    expect(proxy.statusCode).toBe(400);
    expect(proxy.json()).toMatchObject({ details: { field: 'options.httpProxy' } });
  });

  it('accepts the listed range and loopback (allowed for this app)', async () => {
    expect((await create('http://10.20.1.1:8000')).statusCode).toBe(201);
    expect((await create('http://127.0.0.1:11434')).statusCode).toBe(201);
  });
});
