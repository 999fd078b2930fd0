import { Redis } from 'ioredis';

import { WINDOW_MS } from '../src/modules/limits/rate-limiter';
import { RedisRateLimiter } from '../src/modules/limits/redis-rate-limiter';
import { startTestRedis, type TestRedis } from './support/redis';

describe('RedisRateLimiter against a real redis-server', () => {
  let redis: TestRedis;
  const clients: Redis[] = [];

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await redis.stop();
  });

  function pod(onFallback?: (error: Error) => void): RedisRateLimiter {
    const client = new Redis(redis.url, {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: false,
    });
    clients.push(client);
    return new RedisRateLimiter(client, `test:${expect.getState().currentTestName}:`, onFallback);
  }

  async function ready(): Promise<void> {
    await Promise.all(
      clients.map((c) => (c.status === 'ready' ? Promise.resolve() : new Promise((r) => c.once('ready', r)))),
    );
  }

  it('admits exactly the limit across pods, even when they race', async () => {
    const pods = [pod(), pod(), pod()];
    await ready();
    const now = 1000 * WINDOW_MS + 5_000;
    const rules = [{ key: 'tenant:t1:req', limit: 25, cost: 1 }];
    const decisions = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (pods[i % 3] as RedisRateLimiter).consume(rules, now)),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(25);
    const refused = decisions.find((d) => !d.allowed);
    expect(refused?.retryAfterMs).toBeGreaterThan(0);
    expect(refused?.rules[0]?.remaining).toBe(0);
  });

  it('charges all rules or none', async () => {
    const [a, b] = [pod(), pod()];
    await ready();
    const now = 2000 * WINDOW_MS;
    await a.consume([{ key: 'key1', limit: 1, cost: 1 }], now);
    const refused = await b.consume(
      [
        { key: 'tenant', limit: 10, cost: 1 },
        { key: 'key1', limit: 1, cost: 1 },
      ],
      now + 1,
    );
    expect(refused).toMatchObject({ allowed: false, blockedIndex: 1 });
    const tenant = await a.consume([{ key: 'tenant', limit: 10, cost: 1 }], now + 2);
    expect(tenant.rules[0]?.used).toBe(1);
  });

  it('counts tokens added after the answer on any pod', async () => {
    const [a, b] = [pod(), pod()];
    await ready();
    const now = 3000 * WINDOW_MS;
    const tokens = [{ key: 'tokens', limit: 1000, cost: 0 }];
    expect((await a.consume(tokens, now)).allowed).toBe(true);
    await a.add([{ key: 'tokens', amount: 600 }], now + 1);
    await b.add([{ key: 'tokens', amount: 400 }], now + 2);
    const refused = await b.consume(tokens, now + 3);
    expect(refused.allowed).toBe(false);
    expect(refused.rules[0]?.used).toBe(1000);
  });

  it('keeps counters only for two windows', async () => {
    const limiter = pod();
    await ready();
    await limiter.consume([{ key: 'ttl', limit: 5, cost: 1 }], 4000 * WINDOW_MS);
    const client = clients[clients.length - 1]!;
    const keys = await client.keys('*ttl*');
    expect(keys).toHaveLength(1);
    const ttl = await client.pttl(keys[0]!);
    expect(ttl).toBeGreaterThan(WINDOW_MS);
    expect(ttl).toBeLessThanOrEqual(2 * WINDOW_MS);
  });

  /** Runs `work` with this process' clock `skewMs` off, like a pod whose clock disagrees. */
  async function withClockSkew<T>(skewMs: number, work: () => Promise<T>): Promise<T> {
    const realNow = Date.now.bind(Date);
    const spy = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + skewMs);
    try {
      return await work();
    } finally {
      spy.mockRestore();
    }
  }

  /** A skew that puts a clock a few seconds into the next minute, whatever the time is now. */
  const skewIntoNextMinute = (): number => WINDOW_MS - (Date.now() % WINDOW_MS) + 3_000;

  it("takes the minute from Redis' clock: pods whose clocks straddle a minute boundary admit exactly the limit", async () => {
    const [ahead, behind] = [pod(), pod()];
    await ready();
    const rules = [{ key: '{t:skew}:rpm', limit: 7, cost: 1 }];
    // The pod whose clock is already in the next minute asks first; stamped by each pod's own
    // clock its charges would land in a minute the other pod does not read, and both would admit 7.
    const first = await withClockSkew(skewIntoNextMinute(), () =>
      Promise.all(Array.from({ length: 8 }, () => ahead.consume(rules))),
    );
    const second = await Promise.all(Array.from({ length: 8 }, () => behind.consume(rules)));
    expect([...first, ...second].filter((d) => d.allowed)).toHaveLength(7);
  });

  it("charges tokens counted after the answer into Redis' minute, not the answering pod's", async () => {
    const [ahead, behind] = [pod(), pod()];
    await ready();
    const tokens = [{ key: '{t:skew-tokens}:tpm', limit: 1000, cost: 0 }];
    await withClockSkew(skewIntoNextMinute(), () =>
      ahead.add([{ key: '{t:skew-tokens}:tpm', amount: 1000 }]),
    );
    const refused = await behind.consume(tokens);
    expect(refused.allowed).toBe(false);
  });

  it("keeps a tenant's counters, its keys' included, in one Redis Cluster slot", async () => {
    const limiter = pod();
    await ready();
    await limiter.consume([
      { key: '{t:slot}:rpm', limit: 5, cost: 1 },
      { key: '{t:slot}:k:key1:rpm', limit: 5, cost: 1 },
      { key: 'ip:127.0.0.1', limit: 5, cost: 1 },
    ]);
    const client = clients[clients.length - 1]!;
    const keys = [...(await client.keys('*t:slot*')), ...(await client.keys('*ip:127.0.0.1*'))];
    expect(keys).toHaveLength(3);
    // Cluster hashes only the first `{…}` of a name.
    const hashTags = keys.map((key) => /\{([^}]*)\}/.exec(key)?.[1]).sort();
    expect(hashTags).toEqual(['ip:127.0.0.1', 't:slot', 't:slot']);
  });

  it('falls back to per-pod counting when Redis is unreachable, instead of failing requests', async () => {
    const errors: Error[] = [];
    const client = new Redis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    clients.push(client);
    const limiter = new RedisRateLimiter(client, 'down:', (e) => errors.push(e));
    const rules = [{ key: 'x', limit: 1, cost: 1 }];
    expect((await limiter.consume(rules, 5000 * WINDOW_MS)).allowed).toBe(true);
    expect((await limiter.consume(rules, 5000 * WINDOW_MS + 1)).allowed).toBe(false);
    expect(errors.length).toBeGreaterThan(0);
  });
});
