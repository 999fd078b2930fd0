import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { OpenAICompatibleAdapter } from '../src/modules/providers/adapters/openai/openai-compatible.adapter';
import {
  type ProbeStep,
  type ProviderConnection,
  UpstreamError,
} from '../src/modules/providers/adapters/provider-adapter';
import { type MockUpstream, replies, startMockUpstream } from './support/mock-upstream';

const completion = {
  id: 'x',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'over tls' }, finish_reason: 'stop' }],
};

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function close(server: Server): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A forward proxy that handles CONNECT tunnels and absolute-form requests, counting both. */
function startProxy(): { server: Server; hits: string[] } {
  const hits: string[] = [];
  const server = createHttpServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    hits.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const tunnel = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      tunnel.write(head);
      tunnel.pipe(socket);
      socket.pipe(tunnel);
    });
    tunnel.on('error', () => socket.destroy());
    socket.on('error', () => tunnel.destroy());
  });
  return { server, hits };
}

describe('OpenAI-compatible adapter: HTTP behaviour that really applies', () => {
  let mock: MockUpstream;
  const adapter = new OpenAICompatibleAdapter();
  const conn = (
    overrides: Partial<ProviderConnection> & { options?: ProviderConnection['options'] } = {},
  ): ProviderConnection => ({
    id: `p-${Math.random()}`,
    slug: 'p',
    type: 'openai',
    baseUrl: mock.url,
    options: {},
    credentials: { apiKey: 'sk-test' },
    ...overrides,
  });

  beforeAll(async () => {
    mock = await startMockUpstream();
  });
  afterAll(async () => {
    await adapter.close();
    await mock.close();
  });
  beforeEach(() => mock.reset());

  it('reuses keep-alive connections per provider', async () => {
    let connections = 0;
    const server = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(completion));
    });
    server.on('connection', () => (connections += 1));
    const port = await listen(server);
    const provider = conn({ baseUrl: `http://127.0.0.1:${port}` });
    for (let i = 0; i < 20; i++) await adapter.chat(provider, { model: 'm', messages: [] });
    // Sequential calls share pooled connections (undici may open a second one while the first settles).
    expect(connections).toBeLessThanOrEqual(2);
    await adapter.release(provider.id);
    await close(server);
  });

  it('gives up after the provider timeout', async () => {
    mock.script({ reply: replies.hang() });
    const started = Date.now();
    const error = await adapter
      .chat(conn({ options: { timeoutMs: 300 } }), { model: 'm', messages: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('sends every call through the provider HTTP proxy', async () => {
    const proxy = startProxy();
    const port = await listen(proxy.server);
    mock.script({ reply: replies.text('via proxy') });
    const provider = conn({ options: { httpProxy: `http://127.0.0.1:${port}` } });
    const answer = await adapter.chat(provider, { model: 'm', messages: [{ role: 'user', content: 'x' }] });
    expect(JSON.stringify(answer.body)).toContain('via proxy');
    const listing = await adapter.listModels(provider);
    expect(Array.isArray(listing.models)).toBe(true);
    expect(proxy.hits.length).toBeGreaterThanOrEqual(1);
    expect(proxy.hits.join(' ')).toContain(new URL(mock.url).port);
    await adapter.release(provider.id);
    await close(proxy.server);
  });

  describe('skip-TLS', () => {
    let dir: string;
    let server: Server;
    let port: number;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'prism-tls-'));
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
          '/CN=localhost',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      server = createHttpsServer(
        { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
        (req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(req.url?.endsWith('/models') ? { data: [{ id: 'm' }] } : completion));
        },
      );
      port = await listen(server);
    });
    afterAll(async () => {
      await close(server);
      rmSync(dir, { recursive: true, force: true });
    });

    it('refuses a self-signed certificate by default', async () => {
      const error = await adapter
        .chat(conn({ baseUrl: `https://127.0.0.1:${port}` }), { model: 'm', messages: [] })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'connect' });
      const steps: ProbeStep[] = [];
      const listing = await adapter
        .listModels(conn({ baseUrl: `https://127.0.0.1:${port}` }), { log: (step) => steps.push(step) })
        .catch((e: unknown) => e);
      expect(listing).toMatchObject({ kind: 'connect' });
      expect(steps[0]).toMatchObject({ ok: false, cause: 'tls' });
    });

    it('accepts it when the provider says skip TLS verification', async () => {
      const provider = conn({ baseUrl: `https://127.0.0.1:${port}`, options: { skipTlsVerify: true } });
      const answer = await adapter.chat(provider, { model: 'm', messages: [] });
      expect(JSON.stringify(answer.body)).toContain('over tls');
      const steps: ProbeStep[] = [];
      const listing = await adapter.listModels(provider, { log: (step) => steps.push(step) });
      expect(listing.models).toHaveLength(1);
      expect(steps[0]).toMatchObject({ ok: true, status: 200 });
    });
  });
});
