import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import OpenAI from 'openai';
import pino from 'pino';

import { createApp } from '../src/app.factory';
import { listenOnRandomPort, testConfig } from './support/app';
import { bearer, TEST_PASSWORD } from './support/auth';
import { publishConfig, seedKey, seedTenant } from './support/gateway';
import { type MockUpstream, startMockUpstream } from './support/mock-upstream';

/** Issue 15 item 11: a full flow at trace level leaves no provider key, tenant key, password or JWT in the logs. */
describe('secrets never reach the log output', () => {
  const PROVIDER_KEY = 'sk-provider-secret-0123456789abcdef';
  const ADMIN_PASSWORD = `${TEST_PASSWORD}-admin`;
  let app: NestFastifyApplication;
  let mock: MockUpstream;
  let base: string;
  const lines: string[] = [];

  beforeAll(async () => {
    mock = await startMockUpstream({ requireKey: PROVIDER_KEY });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    app = await createApp(testConfig({ LOG_LEVEL: 'trace' }), { logger: pino({ level: 'trace' }, sink) });
    await app.init();
    base = await listenOnRandomPort(app);
  });
  afterAll(async () => {
    await app.close();
    await mock.close();
  });

  it('setup, login, provider with a key, tenant key, chat and a failed login: nothing secret is logged', async () => {
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    expect(
      (await post('/api/prism/setup/admin', { username: 'root-admin', password: ADMIN_PASSWORD })).status,
    ).toBe(201);
    const login = await post('/api/prism/auth/login', { username: 'root-admin', password: ADMIN_PASSWORD });
    expect(login.status).toBe(200);
    const jwt = ((await login.json()) as { accessToken: string }).accessToken;
    expect(
      (await post('/api/prism/auth/login', { username: 'root-admin', password: 'wrong-guess-123' })).status,
    ).toBe(401);

    const provider = await post(
      '/api/prism/admin/providers',
      { name: 'Mock', type: 'openai', baseUrl: mock.url, auth: { type: 'api_key', apiKey: PROVIDER_KEY } },
      bearer(jwt),
    );
    expect(provider.status).toBe(201);
    const providerId = ((await provider.json()) as { id: string }).id;
    const models = await post(`/api/prism/admin/providers/${providerId}/discover`, {}, bearer(jwt));
    expect(models.status).toBeLessThan(500);
    const tenant = await seedTenant(app, [providerId]);
    const { key } = await seedKey(app, tenant.id);
    await publishConfig(app);

    const client = new OpenAI({ apiKey: key, baseURL: `${base}/api/${tenant.slug}/v1`, maxRetries: 0 });
    await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .catch(() => undefined);
    await new OpenAI({ apiKey: `${key}-wrong`, baseURL: `${base}/v1`, maxRetries: 0 }).models
      .list()
      .catch(() => undefined);
    expect((await fetch(`${base}/api/prism/auth/me`, { headers: bearer(jwt) })).status).toBe(200);

    const output = lines.join('');
    expect(output.length).toBeGreaterThan(1000); // the flow was logged at all
    for (const [name, secret] of Object.entries({
      providerKey: PROVIDER_KEY,
      tenantKey: key,
      adminPassword: ADMIN_PASSWORD,
      wrongPassword: 'wrong-guess-123',
      jwt,
      jwtSignature: jwt.split('.')[2] ?? jwt,
    })) {
      expect({ name, found: output.includes(secret) }).toEqual({ name, found: false });
    }
  });
});
