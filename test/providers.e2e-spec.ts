import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect, createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';

import { createApp } from '../src/app.factory';
import { ProvidersRepository } from '../src/modules/providers/providers.repository';
import { testConfig } from './support/app';
import { bearer, createUser, setupFirstAdmin } from './support/auth';
import { type MockUpstream, startMockUpstream } from './support/mock-upstream';

const SECRET = 'sk-test-super-secret-value-123456';

describe('admin/providers', () => {
  let app: NestFastifyApplication;
  let upstream: MockUpstream;
  let admin: { authorization: string };
  let auditor: { authorization: string };
  let finops: { authorization: string };
  let tenantAdmin: { authorization: string };
  const logLines: string[] = [];

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
    upstream = await startMockUpstream({ requireKey: SECRET });
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    app = await createApp(testConfig({ LOG_LEVEL: 'trace' }), { logger: pino({ level: 'trace' }, sink) });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    admin = bearer((await setupFirstAdmin(app)).token);
    auditor = bearer((await createUser(app, 'auditor')).token);
    finops = bearer((await createUser(app, 'finops')).token);
    tenantAdmin = bearer((await createUser(app, 'tenant-admin')).token);
  });
  afterAll(async () => {
    await app.close();
    await upstream.close();
  });

  // any: response bodies are inspected freely.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function createOpenAi(extra: object = {}): Promise<Record<string, any>> {
    const res = await call('POST', 'providers', admin, {
      name: 'Mock OpenAI',
      type: 'openai',
      baseUrl: upstream.url,
      auth: { type: 'api_key', apiKey: SECRET },
      ...extra,
    });
    expect(res.statusCode).toBe(201);
    return res.json();
  }

  it('creates a provider with an encrypted secret that no response ever shows', async () => {
    const provider = await createOpenAi({
      options: { extraHeaders: { 'X-Team': 'ml', 'X-Api-Token': 'header-secret' } },
    });
    expect(provider).toMatchObject({
      slug: 'mock-openai',
      type: 'openai',
      auth: { type: 'api_key', apiKey: '********' },
      hasCredentials: true,
      status: 'unchecked',
      options: { extraHeaders: { 'X-Team': 'ml', 'X-Api-Token': '********' } },
    });
    const stored = await app.get(ProvidersRepository).findById(provider.id);
    expect(stored?.auth.apiKey).toMatch(/^enc:[0-9a-f]+:[0-9a-f]+:[0-9a-f]+$/);
    expect(stored?.options.extraHeaders?.['X-Api-Token']).toMatch(/^enc:/);
    for (const res of [
      await call('GET', 'providers', auditor),
      await call('GET', `providers/${provider.id}`, finops),
    ]) {
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(SECRET);
      expect(res.body).not.toContain('header-secret');
      expect(res.body).not.toContain('enc:');
    }
  });

  it('makes slugs unique and refuses a taken explicit slug', async () => {
    const second = await createOpenAi();
    expect(second.slug).toBe('mock-openai-2');
    const dup = await call('POST', 'providers', admin, { name: 'x', slug: 'mock-openai', type: 'ollama' });
    expect(dup.statusCode).toBe(409);
    expect((await call('DELETE', `providers/${second.id}`, admin)).statusCode).toBe(204);
  });

  it('checks the connection with a step log and stores the working API path', async () => {
    const res = await call('POST', 'providers/mock-openai/check', admin);
    expect(res.statusCode).toBe(200);
    const check = res.json();
    expect(check).toMatchObject({ ok: true, apiPath: '/v1' });
    expect(check.steps[0]).toMatchObject({
      ok: true,
      status: 200,
      url: `${upstream.url}/v1/models`,
      method: 'GET',
    });
    expect(typeof check.steps[0].latencyMs).toBe('number');
    const provider = (await call('GET', 'providers/mock-openai', admin)).json();
    expect(provider).toMatchObject({ status: 'connected', options: { apiPath: '/v1' } });
    expect(provider.lastCheckedAt).toBeTruthy();
    const sent = upstream.requests.filter((r) => r.path === '/v1/models').at(-1);
    expect(sent?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(sent?.headers['x-api-token']).toBe('header-secret');
  });

  it('keeps the secret when an update sends the mask back, replaces it when a new one is sent', async () => {
    const masked = await call('PATCH', 'providers/mock-openai', admin, {
      auth: { type: 'api_key', apiKey: '********' },
      name: 'Renamed',
    });
    expect(masked.statusCode).toBe(200);
    expect(masked.json().name).toBe('Renamed');
    expect((await call('POST', 'providers/mock-openai/check', admin)).json().ok).toBe(true);

    await call('PATCH', 'providers/mock-openai', admin, { auth: { type: 'api_key', apiKey: 'sk-wrong' } });
    const rejected = (await call('POST', 'providers/mock-openai/check', admin)).json();
    expect(rejected.ok).toBe(false);
    expect(rejected.steps[0]).toMatchObject({ cause: 'auth', status: 401 });
    expect(rejected.suggestion).toContain('API key');
    expect((await call('GET', 'providers/mock-openai', admin)).json()).toMatchObject({ status: 'error' });

    await call('PATCH', 'providers/mock-openai', admin, { auth: { type: 'api_key', apiKey: SECRET } });
  });

  it('suggests dropping a trailing /v1 and still works', async () => {
    const provider = await createOpenAi({ name: 'With v1', baseUrl: `${upstream.url}/v1` });
    const check = (await call('POST', `providers/${provider.id}/check`, admin)).json();
    expect(check.ok).toBe(true);
    expect(check.apiPath).toBe('');
    expect(check.suggestion).toContain('drop the trailing /v1');
    expect(check.suggestedBaseUrl).toBe(upstream.url);
    expect(check.steps[0]).toMatchObject({ ok: false, cause: 'not_found', status: 404 });
  });

  it('names connection refused and timeouts', async () => {
    const closed = createTcpServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const dead = await createOpenAi({ name: 'Dead', baseUrl: `http://127.0.0.1:${port}` });
    const refused = (await call('POST', `providers/${dead.id}/check`, admin)).json();
    expect(refused.ok).toBe(false);
    expect(refused.steps[0].cause).toBe('refused');
    expect(refused.message).toBe('Connection refused');

    const slow = await createOpenAi({ name: 'Slow', options: { timeoutMs: 1000 } });
    upstream.script({ path: '/v1/models', times: 1, reply: { kind: 'hang' } });
    const started = Date.now();
    const timedOutRes = await call('POST', `providers/${slow.id}/check`, admin);
    const timedOut = timedOutRes.json();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(timedOut.steps[0].cause).toBe('timeout');
    expect(timedOut.suggestion).toContain('1000 ms');
  });

  describe('TLS and proxy options really apply', () => {
    let tlsServer: HttpsServer;
    let tlsUrl: string;
    let proxy: TcpServer;
    let proxyUrl: string;
    const tunnels: string[] = [];
    const proxySockets: Socket[] = [];

    beforeAll(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'prism-tls-'));
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      tlsServer = createHttpsServer(
        { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
        (_req, res) => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ data: [{ id: 'gpt-4o-mini', object: 'model' }] }));
        },
      );
      await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
      tlsUrl = `https://127.0.0.1:${(tlsServer.address() as { port: number }).port}`;

      proxy = createTcpServer((client) => {
        proxySockets.push(client);
        client.once('data', (head) => {
          const match = /^CONNECT ([^ ]+) HTTP/.exec(head.toString());
          if (!match?.[1]) {
            client.destroy();
            return;
          }
          tunnels.push(match[1]);
          const [host, port] = match[1].split(':');
          const target = connect(Number(port), host, () => {
            proxySockets.push(target);
            client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
            target.pipe(client);
            client.pipe(target);
          });
          target.on('error', () => client.destroy());
        });
      });
      await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
      proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    });
    afterAll(async () => {
      tlsServer.closeAllConnections();
      for (const socket of proxySockets) socket.destroy();
      await new Promise((r) => tlsServer.close(r));
      await new Promise((r) => proxy.close(r));
    });

    it('reports an untrusted certificate and suggests skip-TLS, which then works', async () => {
      const provider = await createOpenAi({ name: 'Self signed', baseUrl: tlsUrl, auth: { type: 'none' } });
      const failed = (await call('POST', `providers/${provider.id}/check`, admin)).json();
      expect(failed.ok).toBe(false);
      expect(failed.steps[0].cause).toBe('tls');
      expect(failed.suggestion).toContain('skip TLS verification');

      await call('PATCH', `providers/${provider.id}`, admin, { options: { skipTlsVerify: true } });
      const ok = (await call('POST', `providers/${provider.id}/check`, admin)).json();
      expect(ok).toMatchObject({ ok: true, modelCount: 1 });
    });

    it('sends requests through the configured HTTP proxy', async () => {
      const provider = await createOpenAi({ name: 'Proxied', options: { httpProxy: proxyUrl } });
      const before = tunnels.length;
      const check = (await call('POST', `providers/${provider.id}/check`, admin)).json();
      expect(check.ok).toBe(true);
      expect(tunnels.length).toBeGreaterThan(before);
      expect(tunnels.at(-1)).toBe(new URL(upstream.url).host);
    });
  });

  it('discovers models and fills price, window and tier from the bundled registry', async () => {
    const res = await call('POST', 'providers/mock-openai/discover', admin);
    expect(res.statusCode).toBe(200);
    const result = res.json();
    expect(result.ok).toBe(true);
    expect(result.added).toEqual(expect.arrayContaining(['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small']));
    const models = (await call('GET', 'models?provider=mock-openai&search=gpt-4o', auditor)).json();
    const gpt4o = models.items.find((m: { modelId: string }) => m.modelId === 'gpt-4o');
    expect(gpt4o).toMatchObject({
      prefixedId: 'mock-openai/gpt-4o',
      tier: 'medium',
      contextWindow: 128000,
      maxOutputTokens: 16384,
      pricing: { inputPer1M: 2.5, outputPer1M: 10, cachedInputPer1M: 1.25 },
      capabilities: { vision: true, tools: true },
      visible: true,
      registryId: 'gpt-4o',
    });
    expect(gpt4o.benchmarks.intelligence).toEqual(expect.any(Number));
  });

  it('keeps admin edits when discovering again', async () => {
    const list = (await call('GET', 'models?provider=mock-openai&search=gpt-4o-mini', admin)).json();
    const mini = list.items.find((m: { modelId: string }) => m.modelId === 'gpt-4o-mini');
    const edit = await call('PATCH', `models/${mini.id}`, admin, {
      tier: 'low',
      pricing: { inputPer1M: 0.2, outputPer1M: 0.7 },
    });
    expect(edit.statusCode).toBe(200);
    expect(edit.json().manualFields).toEqual(expect.arrayContaining(['tier', 'pricing']));
    const again = (await call('POST', 'providers/mock-openai/discover', admin)).json();
    expect(again.updated).toContain('gpt-4o-mini');
    const after = (await call('GET', `models/${mini.id}`, admin)).json();
    expect(after).toMatchObject({
      tier: 'low',
      pricing: { inputPer1M: 0.2, outputPer1M: 0.7 },
      contextWindow: 128000,
    });
  });

  it('discovers Ollama, Azure and Bedrock models through their own list APIs', async () => {
    const ollama = (
      await call('POST', 'providers', admin, {
        name: 'Local',
        type: 'ollama',
        baseUrl: upstream.url,
        auth: { type: 'bearer', apiKey: SECRET },
      })
    ).json();
    const ollamaResult = (await call('POST', `providers/${ollama.id}/discover`, admin)).json();
    expect(ollamaResult.ok).toBe(true);
    expect(ollamaResult.steps[0].url).toBe(`${upstream.url}/api/tags`);
    const local = (await call('GET', `models?provider=${ollama.id}&search=gpt-4o`, admin)).json().items;
    expect(local[0].pricing.inputPer1M).toBe(0);

    const azure = (
      await call('POST', 'providers', admin, {
        name: 'Azure',
        type: 'azure',
        baseUrl: upstream.url,
        auth: { type: 'api_key', apiKey: SECRET },
      })
    ).json();
    const azureResult = (await call('POST', `providers/${azure.id}/discover`, admin)).json();
    expect(azureResult.ok).toBe(true);
    expect(azureResult.added).toEqual(expect.arrayContaining(['gpt-4o', 'gpt-4o-mini']));
    expect(upstream.requests.filter((r) => r.path === '/openai/deployments').at(-1)?.headers['api-key']).toBe(
      SECRET,
    );

    const bedrock = (
      await call('POST', 'providers', admin, {
        name: 'Bedrock',
        type: 'bedrock',
        baseUrl: upstream.url,
        auth: { type: 'aws_credentials', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'aws-secret-value' },
        options: { region: 'eu-central-1' },
      })
    ).json();
    expect(JSON.stringify(bedrock)).not.toContain('aws-secret-value');
    const bedrockResult = (await call('POST', `providers/${bedrock.id}/discover`, admin)).json();
    expect(bedrockResult.ok).toBe(true);
    expect(bedrockResult.added).toEqual(expect.arrayContaining(['amazon.nova-micro-v1:0']));
    const nova = (await call('GET', `models?provider=${bedrock.id}&search=nova`, admin)).json().items[0];
    expect(nova).toMatchObject({ tier: 'micro', pricing: { inputPer1M: 0.035 } });
    expect(
      upstream.requests.filter((r) => r.path === '/foundation-models').at(-1)?.headers.authorization,
    ).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE\/\d{8}\/eu-central-1\/bedrock\/aws4_request/);
  });

  it('tries a one-off chat through the provider', async () => {
    upstream.script({
      path: '/v1/chat/completions',
      times: 1,
      reply: { kind: 'answer', text: 'pong', usage: { promptTokens: 5, completionTokens: 1 } },
    });
    const res = await call('POST', 'providers/mock-openai/try', admin, {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'ping' }],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, content: 'pong', inputTokens: 5, outputTokens: 1 });
    upstream.script({
      path: '/v1/chat/completions',
      times: 1,
      reply: { kind: 'error', status: 500, message: 'boom' },
    });
    const failed = (
      await call('POST', 'providers/mock-openai/try', admin, {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'ping' }],
      })
    ).json();
    expect(failed).toMatchObject({ ok: false, status: 500 });
    expect(failed.error).toContain('boom');
  });

  it('checks and tries Anthropic, Azure and Bedrock with their own wire formats', async () => {
    const anthropic = (
      await call('POST', 'providers', admin, {
        name: 'Claude',
        type: 'anthropic',
        baseUrl: upstream.url,
        auth: { type: 'api_key', apiKey: SECRET },
      })
    ).json();
    const check = (await call('POST', `providers/${anthropic.id}/check`, admin)).json();
    expect(check.ok).toBe(true);
    const sentList = upstream.requests.filter((r) => r.path === '/v1/models').at(-1);
    expect(sentList?.headers['x-api-key']).toBe(SECRET);
    expect(sentList?.headers['anthropic-version']).toBeDefined();
    upstream.script({ path: '/v1/messages', times: 1, reply: { kind: 'answer', text: 'hello from claude' } });
    const tried = (
      await call('POST', `providers/${anthropic.id}/try`, admin, {
        model: 'claude-3-5-haiku-latest',
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'hi' },
        ],
      })
    ).json();
    expect(tried).toMatchObject({ ok: true, content: 'hello from claude' });
    expect(upstream.requests.filter((r) => r.path === '/v1/messages').at(-1)?.body.system).toBe('be brief');

    const azure = (await call('GET', 'providers/azure', admin)).json();
    upstream.script({
      path: /\/openai\/deployments\/gpt-4o\/chat\/completions/,
      times: 1,
      reply: { kind: 'answer', text: 'azure ok' },
    });
    const azureTry = (
      await call('POST', `providers/${azure.id}/try`, admin, {
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'hi' }],
      })
    ).json();
    expect(azureTry).toMatchObject({ ok: true, content: 'azure ok' });

    const bedrock = (await call('GET', 'providers/bedrock', admin)).json();
    upstream.script({ path: /\/converse$/, times: 1, reply: { kind: 'answer', text: 'bedrock ok' } });
    const bedrockTry = (
      await call('POST', `providers/${bedrock.id}/try`, admin, {
        model: 'amazon.nova-micro-v1:0',
        messages: [{ role: 'user', content: 'hi' }],
      })
    ).json();
    expect(bedrockTry).toMatchObject({ ok: true, content: 'bedrock ok' });
  });

  it('rejects invalid configuration with 400', async () => {
    const cases: object[] = [
      { name: 'x', type: 'magic' },
      { name: 'x', type: 'openai', baseUrl: 'ftp://host' },
      { name: 'x', type: 'azure' },
      { name: 'x', type: 'openai', auth: { type: 'api_key' } },
      {
        name: 'x',
        type: 'openai',
        auth: { type: 'aws_credentials', accessKeyId: 'a', secretAccessKey: 'b' },
      },
      { name: 'x', type: 'openai', options: { timeoutMs: 5 } },
      { name: 'x', type: 'openai', options: { extraHeaders: { Host: 'evil' } } },
      { name: 'x', type: 'openai', options: { deployments: ['a'] } },
      { name: 'x', type: 'openai', slug: 'Bad Slug' },
      { name: 'x', type: 'openai', surprise: true },
    ];
    for (const payload of cases) {
      const res = await call('POST', 'providers', admin, payload);
      expect({ payload, status: res.statusCode }).toEqual({ payload, status: 400 });
      expect(res.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    }
    expect(
      (
        await call('POST', 'providers/mock-openai/try', admin, {
          model: 'x',
          messages: [{ role: 'robot', content: 'x' }],
        })
      ).statusCode,
    ).toBe(400);
  });

  it('answers 404 for unknown providers', async () => {
    for (const [method, url] of [
      ['GET', 'providers/nope'],
      ['PATCH', 'providers/nope'],
      ['DELETE', 'providers/64b000000000000000000000'],
      ['POST', 'providers/nope/check'],
      ['POST', 'providers/nope/discover'],
    ] as const) {
      expect(
        (await call(method, url, admin, method === 'PATCH' ? { name: 'x' } : undefined)).statusCode,
      ).toBe(404);
    }
  });

  it('lets only provider writers mutate, and no tenant role read', async () => {
    expect((await call('POST', 'providers', auditor, { name: 'x', type: 'ollama' })).statusCode).toBe(403);
    expect((await call('POST', 'providers/mock-openai/check', finops)).statusCode).toBe(403);
    expect((await call('POST', 'providers/mock-openai/discover', auditor)).statusCode).toBe(403);
    expect((await call('DELETE', 'providers/mock-openai', finops)).statusCode).toBe(403);
    expect((await call('GET', 'providers', tenantAdmin)).statusCode).toBe(403);
    expect((await call('GET', 'providers', {})).statusCode).toBe(401);
  });

  it('deleting a provider removes its models and detaches it from tenants', async () => {
    const provider = await createOpenAi({ name: 'Doomed' });
    await call('POST', `providers/${provider.id}/discover`, admin);
    const tenant = (
      await call('POST', 'tenants', admin, { slug: 'uses-doomed', name: 'x', providerIds: [provider.id] })
    ).json();
    expect(tenant.providerIds).toEqual([provider.id]);
    expect((await call('DELETE', `providers/${provider.id}`, admin)).statusCode).toBe(204);
    expect((await call('GET', `models?provider=${provider.id}`, admin)).statusCode).toBe(404);
    expect((await call('GET', `tenants/${tenant.id}`, admin)).json().providerIds).toEqual([]);
  });

  it('never writes a secret into any log line', () => {
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) {
      expect(line).not.toContain(SECRET);
      expect(line).not.toContain('aws-secret-value');
      expect(line).not.toContain('header-secret');
    }
  });
});
