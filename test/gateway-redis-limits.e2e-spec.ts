import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Counter, register } from 'prom-client';

import { listenOnRandomPort, startTestApp } from './support/app';
import { publishConfig, seedProvider, seedTenant, type SeededTenant } from './support/gateway';
import { type MockUpstream, replies, startMockUpstream } from './support/mock-upstream';
import { startTestRedis, type TestRedis } from './support/redis';

describe('gateway limits are exact across pods with REDIS_URL', () => {
  let redis: TestRedis;
  let mock: MockUpstream;
  const pods: NestFastifyApplication[] = [];
  const urls: string[] = [];
  let tenant: SeededTenant;
  // A Redis answer slower than REDIS_COMMAND_TIMEOUT_MS (250 ms by default, reachable on a loaded
  // CI machine) is counted per pod by design (limits-redis.int-spec); this spec is about exactness
  // while Redis answers, so it gives Redis time and checks that no check fell back.
  const env = { NODE_ROLE: 'worker', REDIS_URL: '', REDIS_COMMAND_TIMEOUT_MS: '5000' };

  beforeAll(async () => {
    redis = await startTestRedis();
    mock = await startMockUpstream();
    mock.script({ reply: replies.text('ok', { usage: { promptTokens: 10, completionTokens: 10 } }) });
    env.REDIS_URL = redis.url;
    const first = await startTestApp(env);
    const provider = await seedProvider(first, mock.url, [{ id: 'm' }]);
    tenant = await seedTenant(first, [provider.id], {
      rateLimit: { requestsPerMinute: 7, tokensPerMinute: 0 },
    });
    await publishConfig(first);
    // The second pod reads the tenants at boot, like a pod started after the admin change.
    const second = await startTestApp(env);
    pods.push(first, second);
    for (const pod of pods) urls.push(await listenOnRandomPort(pod));
  });
  afterAll(async () => {
    for (const pod of pods) await pod.close();
    await mock.close();
    await redis.stop();
  });

  /** Limit checks counted per pod because Redis did not answer (process-wide, like the pods). */
  const fallbacks = async (): Promise<number> => {
    const counter = register.getSingleMetric('prism_limits_redis_fallback_total') as Counter | undefined;
    return (await counter?.get())?.values.reduce((sum, v) => sum + v.value, 0) ?? 0;
  };

  const ask = (url: string): Promise<Response> =>
    fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    });

  it('two pods together admit exactly the tenant limit', async () => {
    const responses = await Promise.all(Array.from({ length: 16 }, (_, i) => ask(urls[i % 2]!)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(7);
    expect(statuses.filter((s) => s === 429)).toHaveLength(9);
    const refused = responses.find((r) => r.status === 429)!;
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await fallbacks()).toBe(0);
  });
});
