import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { GatewaySettings } from '../src/modules/gateway/gateway.settings';
import { listenOnRandomPort, startTestApp } from './support/app';
import { publishConfig, seedProvider, seedTenant, type SeededTenant } from './support/gateway';
import { type MockUpstream, replies, startMockUpstream } from './support/mock-upstream';
import { startTestRedis, type TestRedis } from './support/redis';

/** Issue 15 item 7: with REDIS_URL a provider circuit opened on one pod is open on every pod. */
describe('circuit breakers are shared across pods with REDIS_URL', () => {
  let redis: TestRedis;
  let mock: MockUpstream;
  const pods: NestFastifyApplication[] = [];
  const urls: string[] = [];
  let tenant: SeededTenant;

  beforeAll(async () => {
    redis = await startTestRedis();
    mock = await startMockUpstream();
    const first = await startTestApp({ NODE_ROLE: 'worker', REDIS_URL: redis.url });
    const provider = await seedProvider(first, mock.url, [
      { id: 'flaky' },
      { id: 'pooled' },
      { id: 'healthy' },
      { id: 'recovering' },
    ]);
    tenant = await seedTenant(first, [provider.id]);
    await publishConfig(first);
    const second = await startTestApp({ NODE_ROLE: 'worker', REDIS_URL: redis.url });
    pods.push(first, second);
    for (const pod of pods) {
      const settings = pod.get(GatewaySettings);
      settings.retry = { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 };
      settings.breaker = { failureThreshold: 3, windowMs: 60_000, cooldownMs: 1_500, halfOpenProbes: 1 };
      urls.push(await listenOnRandomPort(pod));
    }
  });
  afterAll(async () => {
    for (const pod of pods) await pod.close();
    await mock.close();
    await redis.stop();
  });
  beforeEach(() => mock.reset());

  const ask = (url: string, model: string): Promise<Response> =>
    fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'x' }] }),
    });
  /** Redis pub/sub delivers in about a millisecond on loopback; leave it ample time under load. */
  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 200));

  it('a circuit opened on one pod refuses calls on the other without touching the upstream', async () => {
    mock.script({ model: 'flaky', reply: replies.serverError(500) });
    for (let i = 0; i < 3; i++) expect((await ask(urls[0]!, 'flaky')).status).toBe(502);
    const upstreamCalls = mock.requests.length;
    await settle();
    const refused = await ask(urls[1]!, 'flaky');
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('provider_unavailable');
    expect(mock.requests.length).toBe(upstreamCalls);
  });

  it("counts failures across pods: the threshold is the cluster's, not each pod's", async () => {
    mock.script({ model: 'pooled', reply: replies.serverError(502) });
    // 2 failures on one pod and 1 on the other: neither pod alone reached 3.
    expect((await ask(urls[0]!, 'pooled')).status).toBe(502);
    expect((await ask(urls[1]!, 'pooled')).status).toBe(502);
    expect((await ask(urls[0]!, 'pooled')).status).toBe(502);
    const calls = mock.requests.length;
    await settle();
    expect((await ask(urls[0]!, 'pooled')).status).toBe(503);
    expect((await ask(urls[1]!, 'pooled')).status).toBe(503);
    expect(mock.requests.length).toBe(calls);
  });

  it("a successful probe on one pod closes the circuit on the other, and a new pod starts with the cluster's open circuits", async () => {
    mock.script({ model: 'healthy', reply: replies.serverError(500) });
    for (let i = 0; i < 3; i++) await ask(urls[0]!, 'healthy');
    await settle();
    expect((await ask(urls[1]!, 'healthy')).status).toBe(503);
    // A pod started now reads the open circuits from Redis at boot.
    const late = await startTestApp({ NODE_ROLE: 'worker', REDIS_URL: redis.url });
    try {
      // (its cooldown is the default 30 s: booting may take longer than the others' 1.5 s)
      const lateUrl = await listenOnRandomPort(late);
      const before = mock.requests.length;
      expect((await ask(lateUrl, 'healthy')).status).toBe(503);
      expect(mock.requests.length).toBe(before);
    } finally {
      await late.close();
    }
    mock.reset();
    mock.script({ model: 'healthy', reply: replies.text('back') });
    await new Promise((r) => setTimeout(r, 1_600));
    expect((await ask(urls[0]!, 'healthy')).status).toBe(200);
    await settle();
    expect((await ask(urls[1]!, 'healthy')).status).toBe(200);
    // The other pod took no probe of its own: the close announced by the first reached it.
    expect(mock.requests.filter((r) => r.model === 'healthy')).toHaveLength(2);
  });

  it('a half-open circuit lets one probe through for the whole cluster, not one per pod', async () => {
    mock.script({ model: 'recovering', reply: replies.serverError(500) });
    for (let i = 0; i < 3; i++) await ask(urls[0]!, 'recovering');
    await settle();
    expect((await ask(urls[1]!, 'recovering')).status).toBe(503);
    mock.reset();
    // The upstream is back but slow: every pod reaches half-open while the first probe still runs.
    mock.script({ model: 'recovering', reply: { ...replies.text('back'), delayMs: 600 } });
    await new Promise((r) => setTimeout(r, 1_600));
    const statuses = await Promise.all(
      [0, 1, 0, 1, 0, 1].map(async (pod) => (await ask(urls[pod]!, 'recovering')).status),
    );
    expect(mock.requests.filter((r) => r.model === 'recovering')).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 503)).toHaveLength(5);
    // The probe's success closed the circuit on both pods.
    await settle();
    expect((await ask(urls[0]!, 'recovering')).status).toBe(200);
    expect((await ask(urls[1]!, 'recovering')).status).toBe(200);
  });
});
