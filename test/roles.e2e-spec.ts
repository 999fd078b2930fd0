import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { TenantModelIndexes } from '../src/modules/gateway/config/tenant-model-indexes';
import { GatewayService } from '../src/modules/gateway/gateway.service';
import { TENANT_MODEL_SOURCE } from '../src/modules/routing/router/tenant-models';
import { routesOf, startTestApp } from './support/app';

const isAdminRoute = (url: string): boolean => url.startsWith('/api/prism');
const isGatewayRoute = (url: string): boolean => /^\/(v1\/|api\/v1\/|api\/:[^/]+\/v1\/)/.test(url);

describe('NODE_ROLE decides which routes a pod serves', () => {
  const apps: NestFastifyApplication[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  async function boot(role: string): Promise<NestFastifyApplication> {
    const app = await startTestApp({ NODE_ROLE: role });
    apps.push(app);
    return app;
  }

  it('worker serves no admin route and answers /api/prism/* with 404', async () => {
    const app = await boot('worker');
    expect(routesOf(app).filter((r) => isAdminRoute(r.url))).toEqual([]);
    const res = await app.inject({ method: 'GET', url: '/api/prism/setup/status' });
    expect(res.statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBe(404);
  });

  it('control serves no gateway route and answers /v1/* with 404', async () => {
    const app = await boot('control');
    expect(routesOf(app).filter((r) => isGatewayRoute(r.url))).toEqual([]);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      payload: { model: 'x', messages: [] },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toHaveProperty('error.type');
  });

  it('full serves the union of control and worker routes', async () => {
    const control = routesOf(apps[1]!).map((r) => `${r.method} ${r.url}`);
    const worker = routesOf(apps[0]!).map((r) => `${r.method} ${r.url}`);
    const full = routesOf(await boot('full')).map((r) => `${r.method} ${r.url}`);
    expect(new Set(full)).toEqual(new Set([...control, ...worker]));
  });

  it('full keeps one tenant model cache, shared by the gateway and the routing tools', () => {
    const full = apps[2]!;
    const indexes = full.get(TenantModelIndexes);
    expect(full.get(TENANT_MODEL_SOURCE)).toBe(indexes);
    expect(full.get<GatewayService, { indexes: unknown }>(GatewayService).indexes).toBe(indexes);
  });

  it('every role answers liveness, readiness and metrics', async () => {
    for (const app of apps) {
      expect((await app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'ok' });
      expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
      const metrics = await app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.statusCode).toBe(200);
      expect(metrics.body).toContain('process_cpu_user_seconds_total');
      expect(metrics.body).toContain('http_request_duration_seconds');
    }
  });
});
