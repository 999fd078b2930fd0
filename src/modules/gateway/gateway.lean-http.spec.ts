import Fastify, { type FastifyInstance } from 'fastify';

import { ClientIpResolver, parseTrustProxy } from '../../core/http/client-ip';
import { httpDurationHistogram } from '../system/http-metrics';
import type { GatewayHttpReply, GatewayHttpRequest } from './gateway-http';
import { installLeanDataPlane } from './gateway.lean-http';
import type { GatewayService } from './gateway.service';
import type { IngressRoute } from './ingress/gateway-ingress';
import { OPENAI_INGRESS } from './ingress/openai.ingress';

interface Call {
  endpoint: string;
  request: GatewayHttpRequest;
  tenant: string | undefined;
  ingress: 'openai' | 'anthropic' | undefined;
}

describe('lean data plane', () => {
  let fastify: FastifyInstance;
  let base: string;
  const calls: Call[] = [];
  const gateway = {
    handle: (
      route: IngressRoute,
      request: GatewayHttpRequest,
      reply: GatewayHttpReply,
      tenant: string | undefined,
    ): Promise<void> => {
      const ingress = route.ingress === OPENAI_INGRESS ? 'openai' : route.ingress.rawDialect;
      calls.push({ endpoint: route.endpoint, request, tenant, ingress });
      reply.code(201).headers({ 'x-extra': 'yes' }).send({ ok: true });
      return Promise.resolve();
    },
  } as unknown as GatewayService;

  beforeAll(async () => {
    const clientIp = new ClientIpResolver(parseTrustProxy('loopback, private'));
    fastify = Fastify({ bodyLimit: 1000, trustProxy: clientIp.trust });
    fastify.all('/*', (_request, reply) => reply.send({ via: 'fastify' }));
    await fastify.ready();
    expect(installLeanDataPlane(fastify, gateway, { cors: false, clientIp })).toBe(true);
    base = await fastify.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(() => fastify.close());
  beforeEach(() => calls.splice(0));

  const post = (path: string, body: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(base + path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  it('serves the data-plane routes with the request id, client IP and parsed body', async () => {
    const res = await post('/v1/chat/completions', '{"model":"m"}', {
      'x-request-id': 'req-1',
      'x-forwarded-for': '10.1.2.3, 10.0.0.1',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('req-1');
    expect(res.headers.get('x-extra')).toBe('yes');
    expect(await res.json()).toEqual({ ok: true });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ endpoint: 'chat', tenant: undefined, ingress: 'openai' });
    expect(calls[0]?.request).toMatchObject({ id: 'req-1', ip: '10.1.2.3', body: { model: 'm' } });
  });

  it('takes the tenant from /api/:tenant/v1 and routes messages through the Anthropic ingress', async () => {
    await post('/api/acme/v1/embeddings', '{}', { 'content-type': 'application/json; charset=utf-8' });
    await post('/api/v1/completions', '{}');
    await post('/v1/messages?beta=true', '{}');
    expect(calls.map((c) => [c.endpoint, c.tenant, c.ingress])).toEqual([
      ['embeddings', 'acme', 'openai'],
      ['completions', undefined, 'openai'],
      ['chat', undefined, 'anthropic'],
    ]);
    expect(calls[0]?.request.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('hands everything else to Fastify', async () => {
    const paths = ['/api/prism/v1/chat/completions', '/v1/models', '/v1/messages/count_tokens', '/v1/x'];
    for (const path of paths) expect(await (await post(path, '{}')).json()).toEqual({ via: 'fastify' });
    const text = await post('/v1/chat/completions', 'hi', { 'content-type': 'text/plain' });
    expect(await text.json()).toEqual({ via: 'fastify' });
    const get = await fetch(`${base}/v1/chat/completions`);
    expect(await get.json()).toEqual({ via: 'fastify' });
    expect(calls).toHaveLength(0);
  });

  it('answers body errors in the OpenAI or Anthropic shape', async () => {
    const bad = await post('/v1/chat/completions', '{"model":', { 'x-request-id': 'bad-1' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-request-id')).toBe('bad-1');
    expect(await bad.json()).toEqual({
      error: {
        message: 'Request body is not valid JSON',
        type: 'invalid_request_error',
        code: 'invalid_request',
        param: null,
      },
    });
    const empty = await post('/v1/embeddings', '');
    expect(empty.status).toBe(400);
    const poisoned = await post('/v1/embeddings', '{"__proto__":{"x":1}}');
    expect(poisoned.status).toBe(400);
    const large = await post('/v1/chat/completions', JSON.stringify({ text: 'x'.repeat(2000) }));
    expect(large.status).toBe(413);
    expect(((await large.json()) as { error: { code: string } }).error.code).toBe('request_too_large');
    const anthropic = await post('/api/acme/v1/messages', 'nope');
    expect(anthropic.status).toBe(400);
    expect(await anthropic.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'Request body is not valid JSON' },
    });
    expect(calls).toHaveLength(0);
  });

  it("refuses prototype keys exactly where Fastify's secure parser does, escaped or nested", async () => {
    const parse = fastify.getDefaultJsonParser('error', 'error') as unknown as (
      req: unknown,
      body: string,
      done: (error: Error | null, value?: unknown) => void,
    ) => void;
    const bodies = [
      '{"__proto__":{"x":1}}',
      '{"a":[{"b":{"\\u005f_proto__":1}}]}',
      '{"x":{"constructor":{"prototype":{}}}}',
      '{"x":[{"\\u0063onstructor":{"\\u0070rototype":1}}]}',
      '{"constructor":{"x":1},"y":"constructor","z":{"constructor":null}}',
      '{"c":"__proto__\\"","d":{"constructor":"s"},"e":"\\u005f_proto__"}',
    ];
    for (const body of bodies) {
      let expected: { error: Error | null; value?: unknown } = { error: null };
      parse({}, body, (error, value) => (expected = { error, value }));
      const res = await post('/v1/chat/completions', body);
      if (expected.error) {
        expect([body, res.status]).toEqual([body, 400]);
      } else {
        expect([body, res.status]).toEqual([body, 201]);
        expect(calls.at(-1)?.request.body).toEqual(expected.value);
      }
    }
    expect(calls).toHaveLength(2);
  });

  it('records http_request_duration_seconds under the route template', async () => {
    await post('/api/acme/v1/chat/completions', '{}');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const lines = (await httpDurationHistogram().get()).values.filter(
      (v) => v.labels.route === '/api/:tenant/v1/chat/completions' && v.labels.le === '+Inf',
    );
    expect(lines).toEqual([
      expect.objectContaining({ labels: expect.objectContaining({ method: 'POST', status_code: '201' }) }),
    ]);
  });

  it('stays off when CORS is configured', async () => {
    const other = Fastify();
    await other.ready();
    expect(installLeanDataPlane(other, gateway, { cors: true, clientIp: new ClientIpResolver() })).toBe(
      false,
    );
    await other.close();
  });
});
