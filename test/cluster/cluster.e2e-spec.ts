import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import mongoose from 'mongoose';

import { startTestApp } from '../support/app';
import { bearer, createUser } from '../support/auth';
import { publishConfig, seedProvider, seedTenant, type SeededTenant } from '../support/gateway';
import { type MockUpstream, replies, startMockUpstream } from '../support/mock-upstream';
import { startTestRedis, type TestRedis } from '../support/redis';
import { storedRequestLogs } from '../support/request-logs';
import { freePort } from '../support/test-database';
import { ensureBuilt, Nginx, Pod, podEnv, sleep } from './support/cluster';

/**
 * Issue 17 item 1: one control pod, two worker pods, Redis and nginx (routing like the Helm
 * ingress) as real processes on loopback. Seeding goes straight to the database through an
 * in-process app that never listens; everything the test checks goes over HTTP through nginx or to
 * a pod directly.
 */
jest.setTimeout(240_000);

const POLL_MS = 1_000;
const LIMIT_PER_MIN = 12;

interface Outcome {
  status: number;
  /** The stream ended with `data: [DONE]` (or the JSON answer was read whole). */
  complete: boolean;
  requestId: string | null;
  upstream: string | null;
  startedAt: number;
  error?: string;
}

describe('a cluster of pods behind nginx', () => {
  let redis: TestRedis;
  let mock: MockUpstream;
  let seeder: NestFastifyApplication;
  let control: Pod;
  let workers: Pod[];
  const nginx = new Nginx();
  let tenant: SeededTenant;
  let limited: SeededTenant;
  let adminToken: string;
  const report: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    [redis, mock] = await Promise.all([startTestRedis(), startMockUpstream()]);
    seeder = await startTestApp({ NODE_ROLE: 'control' });
    const provider = await seedProvider(seeder, mock.url, [{ id: 'm' }, { id: 'flaky' }, { id: 'drip-120' }]);
    tenant = await seedTenant(seeder, [provider.id]);
    limited = await seedTenant(seeder, [provider.id], {
      rateLimit: { requestsPerMinute: LIMIT_PER_MIN, tokensPerMinute: 0 },
    });
    adminToken = (await createUser(seeder, 'admin')).token;
    await publishConfig(seeder);

    const options = {
      mongodbUri: process.env.MONGODB_URI!,
      redisUrl: redis.url,
      configPollIntervalMs: POLL_MS,
      env: {
        GATEWAY_RETRY_MAX_RETRIES: '0',
        GATEWAY_BREAKER_FAILURE_THRESHOLD: '3',
        GATEWAY_DRAIN_TIMEOUT_MS: '30000',
      },
    };
    const [controlPort, w1, w2] = await Promise.all([freePort(), freePort(), freePort()]);
    control = new Pod('control', controlPort, podEnv('control', options));
    workers = [
      new Pod('worker-1', w1, podEnv('worker', options)),
      new Pod('worker-2', w2, podEnv('worker', options)),
    ];
    await Promise.all([control.start(), ...workers.map((w) => w.start())]);
    await nginx.start(controlPort, [w1, w2]);
  });

  afterAll(async () => {
    await nginx.stop();
    await Promise.all([control, ...(workers ?? [])].filter(Boolean).map((pod) => pod.stop('SIGTERM')));
    await seeder?.close();
    await mock?.close();
    await redis?.stop();
    if (report.length > 0) process.stdout.write(`\ncluster e2e report:\n  ${report.join('\n  ')}\n`);
  });

  const chat = (base: string, key: string, model = 'm', stream = false): Promise<Response> =>
    fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model,
        stream,
        messages: [{ role: 'user', content: 'one two three four five six seven eight nine ten' }],
      }),
    });

  /** Requests through nginx from `concurrency` clients back to back until `untilMs` from now. */
  async function load(concurrency: number, durationMs: number, model: string): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    const end = Date.now() + durationMs;
    const client = async (): Promise<void> => {
      while (Date.now() < end) {
        const startedAt = Date.now();
        try {
          const response = await chat(nginx.url, tenant.key, model, true);
          const text = await response.text();
          outcomes.push({
            status: response.status,
            complete: response.ok && text.includes('data: [DONE]'),
            requestId: response.headers.get('x-request-id'),
            upstream: response.headers.get('x-upstream'),
            startedAt,
          });
        } catch (error) {
          outcomes.push({
            status: 0,
            complete: false,
            requestId: null,
            upstream: null,
            startedAt,
            error: (error as Error).message,
          });
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, client));
    return outcomes;
  }

  async function requestLogCount(requestIds: string[]): Promise<number> {
    const db = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
    try {
      return (await storedRequestLogs(db, (row) => requestIds.includes(row.requestId))).length;
    } finally {
      await db.close();
    }
  }

  const addressOf = (pod: Pod): string => `127.0.0.1:${pod.port}`;

  it('routes like the Helm ingress: gateway paths to both workers, the console and admin API to control', async () => {
    const served = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const response = await chat(nginx.url, tenant.key);
      expect(response.status).toBe(200);
      served.add(response.headers.get('x-upstream') ?? '');
      const tenantPath = await fetch(`${nginx.url}/api/${tenant.slug}/v1/models`, {
        headers: bearer(tenant.key),
      });
      expect(tenantPath.status).toBe(200);
      served.add(tenantPath.headers.get('x-upstream') ?? '');
    }
    expect([...served].sort()).toEqual(workers.map(addressOf).sort());
    const admin = await fetch(`${nginx.url}/api/prism/admin/tenants`, { headers: bearer(adminToken) });
    expect(admin.status).toBe(200);
    expect(admin.headers.get('x-upstream')).toBe(addressOf(control));
  });

  it('a configuration change made on control reaches both workers within the poll interval', async () => {
    const created = await fetch(`${nginx.url}/api/prism/admin/tenants/${tenant.id}/keys`, {
      method: 'POST',
      headers: { ...bearer(adminToken), 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'cluster' }),
    });
    expect(created.status).toBe(201);
    const changedAt = Date.now();
    const { apiKey: key } = (await created.json()) as { apiKey: string };
    const seenAfter = await Promise.all(
      workers.map(async (worker) => {
        while (Date.now() - changedAt < 10_000) {
          if ((await chat(worker.url, key)).status === 200) return Date.now() - changedAt;
          await sleep(25);
        }
        throw new Error(`${worker.name} never accepted the new key`);
      }),
    );
    report.push(`new API key usable on the workers after ${seenAfter.join(' / ')} ms (poll ${POLL_MS} ms)`);
    // The poll interval, plus one reload under a loaded CI machine.
    for (const ms of seenAfter) expect(ms).toBeLessThanOrEqual(POLL_MS + 1_500);
  });

  it("a tenant's requests/min limit is exact across the two workers", async () => {
    const responses = await Promise.all(
      Array.from({ length: LIMIT_PER_MIN * 2 }, () => chat(nginx.url, limited.key)),
    );
    const statuses = responses.map((r) => r.status);
    const byWorker = new Set(responses.map((r) => r.headers.get('x-upstream')));
    expect(byWorker.size).toBe(2);
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT_PER_MIN);
    expect(statuses.filter((s) => s === 429)).toHaveLength(LIMIT_PER_MIN);
  });

  it('a provider breaker opened on one worker is open on the other (Redis)', async () => {
    mock.script({ model: 'flaky', reply: replies.serverError(500) });
    for (let i = 0; i < 3; i++) expect((await chat(workers[0]!.url, tenant.key, 'flaky')).status).toBe(502);
    const upstreamCalls = mock.requests.filter((r) => r.model === 'flaky').length;
    await sleep(200);
    const refused = await chat(workers[1]!.url, tenant.key, 'flaky');
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('provider_unavailable');
    expect(mock.requests.filter((r) => r.model === 'flaky')).toHaveLength(upstreamCalls);
  });

  it('SIGTERM on a worker under load: every stream finishes and every request has its analytics row', async () => {
    const running = load(8, 4_000, 'drip-120');
    await sleep(1_500);
    const stopped = workers[1]!.stop('SIGTERM');
    const outcomes = await running;
    const exit = await stopped;
    const failed = outcomes.filter((o) => !o.complete);
    const onStopped = outcomes.filter((o) => o.upstream?.includes(addressOf(workers[1]!))).length;
    report.push(
      `SIGTERM: ${outcomes.length} streamed requests, ${onStopped} touched the stopping worker, ${failed.length} failed; worker exited with ${exit}`,
    );
    expect(failed).toEqual([]);
    expect(onStopped).toBeGreaterThan(0);
    // The survivor writes its rows within the analytics flush interval; the stopped one flushed on exit.
    const ids = outcomes.map((o) => o.requestId!);
    const deadline = Date.now() + 15_000;
    let logged = 0;
    while (Date.now() < deadline && (logged = await requestLogCount(ids)) < ids.length) await sleep(250);
    expect(logged).toBe(ids.length);
    await workers[1]!.start();
  });

  it('SIGKILL on a worker under load: nginx moves new requests to the other; only its in-flight ones fail', async () => {
    const concurrency = 8;
    const killed = workers[0]!;
    // nginx takes the restarted worker back once its fail_timeout has passed.
    const seen = new Set<string | null>();
    const deadline = Date.now() + 10_000;
    while (seen.size < 2 && Date.now() < deadline)
      seen.add((await chat(nginx.url, tenant.key)).headers.get('x-upstream'));
    expect(seen.size).toBe(2);
    const running = load(concurrency, 4_000, 'drip-120');
    await sleep(1_500);
    await killed.stop('SIGKILL');
    // When the process was gone (the signal takes a moment to land on a busy machine): requests
    // started before then may have reached it.
    const killedAt = Date.now();
    const outcomes = await running;
    const failed = outcomes.filter((o) => !o.complete);
    const afterKill = outcomes.filter((o) => o.startedAt > killedAt + 50);
    report.push(
      `SIGKILL: ${outcomes.length} streamed requests, ${failed.length} failed (in flight on the killed worker; ` +
        `at most ${concurrency} could be), ${afterKill.length} started after the kill, all on the survivor: ` +
        `${afterKill.every((o) => o.complete)}`,
    );
    const kinds = new Map<string, number>();
    for (const o of failed) {
      const kind = `${o.status} ${o.upstream} ${o.error ?? ''}`;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    report.push(`SIGKILL failures: ${JSON.stringify([...kinds])}`);
    // Only requests that were running on the killed pod fail: at most one per client.
    expect(failed.length).toBeLessThanOrEqual(concurrency);
    for (const o of failed) {
      expect(o.startedAt).toBeLessThanOrEqual(killedAt + 50);
      if (o.upstream) expect(o.upstream).toContain(addressOf(killed));
    }
    expect(afterKill.length).toBeGreaterThan(0);
    expect(afterKill.filter((o) => !o.complete)).toEqual([]);
  });
});
