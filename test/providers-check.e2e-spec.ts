import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createApp } from '../src/app.factory';
import { testConfig } from './support/app';
import { bearer, setupFirstAdmin } from './support/auth';
import { type MockUpstream, startMockUpstream } from './support/mock-upstream';

const SECRET = 'sk-check-secret';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The connection check's fallbacks and advice, end to end through the adapters (one provider stack). */
describe('admin/providers check: fallbacks and advice', () => {
  let app: NestFastifyApplication;
  let upstream: MockUpstream;
  let admin: { authorization: string };

  // any: response bodies are inspected freely.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const post = async (url: string, payload?: object): Promise<any> => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/prism/admin/${url}`,
      headers: admin,
      payload,
    });
    expect(res.statusCode).toBeLessThan(300);
    return res.json();
  };

  beforeAll(async () => {
    upstream = await startMockUpstream({ requireKey: SECRET });
    app = await createApp(testConfig());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    admin = bearer((await setupFirstAdmin(app)).token);
  });
  afterAll(async () => {
    await app.close();
    await upstream.close();
  });

  it('recognises a web page where an API was expected', async () => {
    const web = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><html><body>Sign in</body></html>');
    });
    const port = await listen(web);
    const provider = await post('providers', {
      name: 'Web page',
      type: 'openai',
      baseUrl: `http://127.0.0.1:${port}`,
      auth: { type: 'none' },
    });
    const check = await post(`providers/${provider.id}/check`);
    expect(check).toMatchObject({ ok: false, message: 'The server answered, but not like an LLM API' });
    expect(check.steps.map((s: { url: string }) => s.url)).toEqual([
      `http://127.0.0.1:${port}/v1/models`,
      `http://127.0.0.1:${port}/api/v1/models`,
      `http://127.0.0.1:${port}/models`,
    ]);
    expect(check.steps[0]).toMatchObject({ status: 200, cause: 'bad_response' });
    expect(check.steps[0].message).toContain('HTML');
    await close(web);
  });

  it('retries an http URL over https and suggests https when the server speaks only TLS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prism-check-'));
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ]),
      { stdio: 'ignore' },
    );
    const tls = createHttpsServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: [{ id: 'gpt-4o-mini', object: 'model' }] }));
      },
    );
    const port = await listen(tls);
    const provider = await post('providers', {
      name: 'TLS only',
      type: 'vllm',
      baseUrl: `http://127.0.0.1:${port}`,
      auth: { type: 'none' },
      options: { skipTlsVerify: true },
    });
    const check = await post(`providers/${provider.id}/check`);
    expect(check).toMatchObject({
      ok: false,
      message: 'The server does not speak plain http',
      suggestedBaseUrl: `https://127.0.0.1:${port}`,
    });
    expect(check.steps.at(-1)).toMatchObject({
      action: 'Retry over https: List models at /v1',
      url: `https://127.0.0.1:${port}/v1/models`,
      ok: true,
      status: 200,
    });
    await close(tls);
  });

  it('accepts an Azure key without list rights when a configured deployment answers', async () => {
    const azure = await post('providers', {
      name: 'Azure no list',
      type: 'azure',
      baseUrl: upstream.url,
      auth: { type: 'api_key', apiKey: SECRET },
      options: { deployments: ['gpt-4o'] },
    });
    upstream.script({
      path: '/openai/deployments',
      times: 1,
      reply: { kind: 'error', status: 403, message: 'listing not permitted' },
    });
    const check = await post(`providers/${azure.id}/check`);
    expect(check).toMatchObject({
      ok: true,
      message: 'Connected: 1 configured deployment(s)',
      modelCount: 1,
    });
    expect(check.steps[0]).toMatchObject({ cause: 'auth', status: 403 });
    expect(check.steps[1]).toMatchObject({
      action: 'Send a 1-token chat to deployment gpt-4o',
      method: 'POST',
      ok: true,
      message: 'Deployment answered',
    });
    expect(check.steps[1].url).toContain('/openai/deployments/gpt-4o/chat/completions?api-version=');
    const sent = upstream.requests
      .filter((r) => r.path === '/openai/deployments/gpt-4o/chat/completions')
      .at(-1);
    expect(sent?.body.max_tokens).toBe(1);
  });

  it('says so when the credentials are rejected and the configured deployment fails too', async () => {
    const azure = await post('providers', {
      name: 'Azure wrong key',
      type: 'azure',
      baseUrl: upstream.url,
      auth: { type: 'api_key', apiKey: 'sk-wrong' },
      options: { deployments: ['gpt-4o'] },
    });
    const check = await post(`providers/${azure.id}/check`);
    expect(check).toMatchObject({ ok: false, message: 'The provider rejected the credentials' });
    expect(check.steps.map((s: { method: string; cause: string }) => [s.method, s.cause])).toEqual([
      ['GET', 'auth'],
      ['POST', 'auth'],
    ]);
  });

  it('names missing AWS keys for Bedrock without calling AWS', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      const bedrock = await post('providers', {
        name: 'Bedrock no keys',
        type: 'bedrock',
        baseUrl: upstream.url,
        auth: { type: 'aws_credentials' },
      });
      const before = upstream.requests.length;
      const check = await post(`providers/${bedrock.id}/check`);
      expect(check).toMatchObject({ ok: false, message: 'Not checked: configuration incomplete' });
      expect(check.steps).toEqual([
        expect.objectContaining({ cause: 'config', action: 'Find AWS credentials' }),
      ]);
      expect(upstream.requests.length).toBe(before);
    } finally {
      if (saved.id !== undefined) process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret !== undefined) process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  });
});
