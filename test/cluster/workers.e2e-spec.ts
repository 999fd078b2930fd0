import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import mongoose from 'mongoose';

import { startTestApp } from '../support/app';
import { publishConfig, seedProvider, seedTenant, type SeededTenant } from '../support/gateway';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream';
import { startTestRedis, type TestRedis } from '../support/redis';
import { storedRequestLogs } from '../support/request-logs';
import { freePort } from '../support/test-database';
import { ensureBuilt, Pod, podEnv, sleep } from './support/cluster';

/** Issue 17 item 4: `WORKERS=2` runs two server processes on one port, each a pod of its own. */
jest.setTimeout(240_000);

describe('WORKERS=2 on one host', () => {
  let redis: TestRedis;
  let mock: MockUpstream;
  let seeder: NestFastifyApplication;
  let pod: Pod;
  let tenant: SeededTenant;
  let unlimited: SeededTenant;
  let db: mongoose.Connection;

  beforeAll(async () => {
    ensureBuilt();
    [redis, mock] = await Promise.all([startTestRedis(), startMockUpstream()]);
    seeder = await startTestApp({ NODE_ROLE: 'control' });
    const provider = await seedProvider(seeder, mock.url, [{ id: 'm' }, { id: 'drip-100' }]);
    tenant = await seedTenant(seeder, [provider.id], {
      rateLimit: { requestsPerMinute: 10, tokensPerMinute: 0 },
    });
    unlimited = await seedTenant(seeder, [provider.id]);
    await publishConfig(seeder);
    db = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
    const env = podEnv('worker', {
      mongodbUri: process.env.MONGODB_URI!,
      redisUrl: redis.url,
      configPollIntervalMs: 1_000,
      env: { WORKERS: '2' },
    });
    pod = new Pod('workers', await freePort(), env);
    await pod.start();
  });
  afterAll(async () => {
    await pod?.stop('SIGTERM');
    await db?.close();
    await seeder?.close();
    await mock?.close();
    await redis?.stop();
  });

  const chat = (model = 'm', stream = false, key = tenant.key): Promise<Response> =>
    fetch(`${pod.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model,
        stream,
        messages: [{ role: 'user', content: 'one two three four five' }],
      }),
    });

  it('each process writes its own heartbeat and the limit holds across both', async () => {
    const deadline = Date.now() + 15_000;
    let pids: number[] = [];
    while (Date.now() < deadline) {
      const beats = await db.collection('pod_heartbeats').find({ role: 'worker' }).toArray();
      pids = [...new Set(beats.map((b) => Number(String(b._id).split('-').at(-2))))];
      if (pids.length >= 2) break;
      await sleep(200);
    }
    expect(pids.length).toBeGreaterThanOrEqual(2);
    const statuses = (await Promise.all(Array.from({ length: 20 }, () => chat()))).map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });

  it('SIGTERM to the primary drains every process: running streams finish, every row is written', async () => {
    const streams = Array.from({ length: 6 }, async () => {
      const response = await chat('drip-100', true, unlimited.key);
      return { id: response.headers.get('x-request-id'), text: await response.text() };
    });
    await sleep(300);
    const exit = await pod.stop('SIGTERM');
    const done = await Promise.all(streams);
    expect(exit).toBe('code 0');
    for (const stream of done) expect(stream.text).toContain('data: [DONE]');
    const ids = done.map((s) => s.id!);
    expect(await storedRequestLogs(db, (row) => ids.includes(row.requestId))).toHaveLength(ids.length);
  });
});
