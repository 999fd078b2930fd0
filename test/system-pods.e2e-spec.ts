import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import OpenAI from 'openai';

import { GatewaySettings } from '../src/modules/gateway/gateway.settings';
import { PodIdentity } from '../src/modules/system/pod-identity';
import { HeartbeatWriter } from '../src/modules/system/pods/heartbeat.writer';
import { PodHeartbeatRepository } from '../src/modules/system/pods/pod-heartbeat.repository';
import { listenOnRandomPort, startTestApp } from './support/app';
import { bearer, createUserAndLogin, setupFirstAdmin } from './support/auth';
import { publishConfig, seedProvider, seedTenant, type SeededTenant } from './support/gateway';
import { type MockUpstream, startMockUpstream } from './support/mock-upstream';

const HEARTBEAT_MS = 250;

interface PodItem {
  id: string;
  role: string;
  status: string;
  self: boolean;
  rssBytes: number;
  requestsLastHour: number;
  errorsLastHour: number;
  traffic: { minute: string; requests: number; errors: number }[];
  breakers: { provider: string; model: string; state: string }[];
  heldJobs: string[];
}

describe('pods, heartbeats and provider health (admin/system)', () => {
  let mock: MockUpstream;
  let control: NestFastifyApplication;
  let worker: NestFastifyApplication;
  let workerUrl: string;
  let tenant: SeededTenant;
  let provider: string;
  let admin: { authorization: string };

  const get = (url: string, headers = admin) =>
    control.inject({ method: 'GET', url: `/api/prism/admin/system/${url}`, headers });
  const pods = async (): Promise<PodItem[]> => (await get('pods')).json().items;

  beforeAll(async () => {
    mock = await startMockUpstream();
    const env = { HEARTBEAT_INTERVAL_MS: String(HEARTBEAT_MS), CONFIG_POLL_INTERVAL_MS: '300' };
    control = await startTestApp({ ...env, NODE_ROLE: 'control' });
    worker = await startTestApp({ ...env, NODE_ROLE: 'worker' });
    const settings = worker.get(GatewaySettings);
    settings.retry = { maxRetries: 0, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1000 };
    settings.breaker = { failureThreshold: 2, windowMs: 60_000, cooldownMs: 60_000, halfOpenProbes: 1 };
    workerUrl = await listenOnRandomPort(worker);
    const seeded = await seedProvider(worker, mock.url, [{ id: 'steady' }, { id: 'broken-fail-500' }]);
    provider = seeded.slug;
    tenant = await seedTenant(worker, [seeded.id]);
    await publishConfig(worker);
    admin = bearer((await setupFirstAdmin(control)).token);
  });
  afterAll(async () => {
    await worker?.close();
    await control?.close();
    await mock?.close();
  });

  it('lists every pod with its role, resources and the gateway traffic it served', async () => {
    const client = new OpenAI({ apiKey: tenant.key, baseURL: `${workerUrl}/v1`, maxRetries: 0 });
    const ask = (model: string) =>
      client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
    for (let i = 0; i < 3; i++) await ask('steady');
    for (let i = 0; i < 3; i++) await expect(ask('broken-fail-500')).rejects.toBeDefined();
    await worker.get(HeartbeatWriter).beat();

    const items = await pods();
    const workerPod = items.find((p) => p.id === worker.get(PodIdentity).id);
    const controlPod = items.find((p) => p.id === control.get(PodIdentity).id);
    expect(controlPod).toMatchObject({ role: 'control', status: 'live', self: true });
    expect(workerPod).toMatchObject({ role: 'worker', status: 'live', self: false });
    expect(workerPod!.rssBytes).toBeGreaterThan(10_000_000);
    expect(workerPod!.requestsLastHour).toBe(6);
    expect(workerPod!.errorsLastHour).toBe(3);
    expect(workerPod!.traffic.reduce((s, t) => s + t.requests, 0)).toBe(6);
    expect(workerPod!.breakers).toEqual([
      expect.objectContaining({ provider, model: 'broken-fail-500', state: 'open' }),
    ]);
    // Each pod also holds its share of the leased jobs; the two pods never hold the same one.
    const held = items.flatMap((p) => p.heldJobs);
    expect(new Set(held).size).toBe(held.length);
  });

  it('reports provider health per model from the live pods', async () => {
    const response = await get('providers/health');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.livePods).toBe(2);
    const steady = body.items.find((m: { model: string }) => m.model === 'steady');
    const broken = body.items.find((m: { model: string }) => m.model === 'broken-fail-500');
    expect(steady).toMatchObject({ provider, status: 'healthy', calls: 3, failures: 0, errorRate: 0 });
    expect(steady.lastSuccessAt).toEqual(expect.any(String));
    expect(steady.avgLatencyMs).toBeGreaterThanOrEqual(0);
    expect(broken).toMatchObject({ status: 'down', openOnPods: 1, lastSuccessAt: null, errorRate: 1 });
  });

  it('shows a pod without heartbeats as stale and forgets it on request', async () => {
    const repository = control.get(PodHeartbeatRepository);
    const [self] = (await repository.list()).filter((p) => p._id === control.get(PodIdentity).id);
    const old = new Date(Date.now() - 5 * 60_000);
    await repository.write({ ...self!, _id: 'gone-pod', lastSeenAt: old, stoppedAt: null });
    expect((await pods()).find((p) => p.id === 'gone-pod')?.status).toBe('stale');

    const del = (id: string, headers = admin) =>
      control.inject({ method: 'DELETE', url: `/api/prism/admin/system/pods/${id}`, headers });
    expect((await del(worker.get(PodIdentity).id)).statusCode).toBe(409);
    expect((await del('no-such-pod')).statusCode).toBe(404);
    expect((await del('gone-pod')).statusCode).toBe(204);
    expect((await pods()).some((p) => p.id === 'gone-pod')).toBe(false);
  });

  it('lets read roles list pods, only admins forget them, and hides them from finops', async () => {
    const maintainer = bearer(await createUserAndLogin(control, 'maintainer'));
    const finops = bearer(await createUserAndLogin(control, 'finops'));
    expect((await get('pods', maintainer)).statusCode).toBe(200);
    expect((await get('providers/health', maintainer)).statusCode).toBe(200);
    expect((await get('pods', finops)).statusCode).toBe(403);
    expect((await get('providers/health', finops)).statusCode).toBe(403);
    const response = await control.inject({
      method: 'DELETE',
      url: '/api/prism/admin/system/pods/whatever',
      headers: maintainer,
    });
    expect(response.statusCode).toBe(403);
  });

  it('marks a pod that shut down gracefully as stopped', async () => {
    const id = worker.get(PodIdentity).id;
    await worker.close();
    expect((await pods()).find((p) => p.id === id)?.status).toBe('stopped');
  });
});
