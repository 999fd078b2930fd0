import { MemoryRateLimiter } from './memory-rate-limiter';
import { decide, retryAfterMs, slidingUsage, WINDOW_MS } from './rate-limiter';

const minute = (n: number, offsetMs = 0): number => n * WINDOW_MS + offsetMs;

describe('sliding window maths', () => {
  it('weights the previous minute by how much of it still overlaps the last 60 s', () => {
    expect(slidingUsage(10, 0, 0)).toBe(10);
    expect(slidingUsage(10, 4, 30_000)).toBe(9);
    expect(slidingUsage(10, 4, 60_000)).toBe(4);
  });

  it('tells a refused caller when the limit admits them again', () => {
    // limit 10, previous minute 10, nothing yet, at the boundary: prev weight must fall to 9/10 → 6 s
    expect(retryAfterMs({ key: 'k', limit: 10, cost: 1 }, 10, 0, 0)).toBe(6_000);
    // the current minute alone is full: wait into the next minute
    const wait = retryAfterMs({ key: 'k', limit: 10, cost: 1 }, 0, 10, 20_000);
    expect(wait).toBeGreaterThan(40_000);
    expect(wait).toBeLessThanOrEqual(46_000);
  });

  it('reports remaining and reset for every rule, charging only when all pass', () => {
    const rules = [
      { key: 'a', limit: 5, cost: 1 },
      { key: 'b', limit: 0, cost: 1 },
    ];
    const ok = decide(
      rules,
      [
        { previous: 0, current: 2 },
        { previous: 0, current: 0 },
      ],
      15_000,
    );
    expect(ok.allowed).toBe(true);
    expect(ok.rules[0]).toMatchObject({ limit: 5, used: 3, remaining: 2, resetMs: 45_000 });
    expect(ok.rules[1]?.remaining).toBe(Infinity);
    const refused = decide(
      rules,
      [
        { previous: 0, current: 5 },
        { previous: 0, current: 0 },
      ],
      15_000,
    );
    expect(refused).toMatchObject({ allowed: false, blockedIndex: 0 });
    expect(refused.rules[0]?.remaining).toBe(0);
  });
});

describe('MemoryRateLimiter', () => {
  it('admits exactly the limit per minute, then refuses with a retry time', () => {
    const limiter = new MemoryRateLimiter();
    const rules = [{ key: 'tenant', limit: 3, cost: 1 }];
    const results = [0, 1, 2, 3].map((i) => limiter.consumeSync(rules, minute(100, i * 1000)));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3]?.retryAfterMs).toBeGreaterThan(0);
  });

  it('forgets old minutes gradually, not all at once', () => {
    const limiter = new MemoryRateLimiter();
    const rules = [{ key: 'tenant', limit: 10, cost: 1 }];
    for (let i = 0; i < 10; i++) expect(limiter.consumeSync(rules, minute(7, i)).allowed).toBe(true);
    // right after the minute boundary the previous minute still counts almost fully
    expect(limiter.consumeSync(rules, minute(8, 100)).allowed).toBe(false);
    // half way through the next minute half of it has faded
    const admitted = [0, 1, 2, 3, 4, 5].filter(() => limiter.consumeSync(rules, minute(8, 30_000)).allowed);
    expect(admitted).toHaveLength(5);
    // two minutes later everything is forgotten
    expect(limiter.consumeSync(rules, minute(10, 0)).rules[0]?.used).toBe(1);
  });

  it('refuses nothing and charges nothing when one of several rules is full', () => {
    const limiter = new MemoryRateLimiter();
    const full = { key: 'key', limit: 1, cost: 1 };
    const other = { key: 'tenant', limit: 100, cost: 1 };
    limiter.consumeSync([full], minute(1));
    expect(limiter.consumeSync([other, full], minute(1, 10)).allowed).toBe(false);
    expect(limiter.consumeSync([other], minute(1, 20)).rules[0]?.used).toBe(1);
  });

  it('blocks check-only (token) rules once usage has reached the limit', () => {
    const limiter = new MemoryRateLimiter();
    const tokens = { key: 'tok', limit: 100, cost: 0 };
    expect(limiter.consumeSync([tokens], minute(1)).allowed).toBe(true);
    limiter.addSync([{ key: 'tok', amount: 99 }], minute(1, 1));
    expect(limiter.consumeSync([tokens], minute(1, 2)).allowed).toBe(true);
    limiter.addSync([{ key: 'tok', amount: 1 }], minute(1, 3));
    expect(limiter.consumeSync([tokens], minute(1, 4)).allowed).toBe(false);
  });

  it('drops counters of idle keys', () => {
    const limiter = new MemoryRateLimiter();
    limiter.consumeSync([{ key: 'idle', limit: 1, cost: 1 }], minute(1));
    limiter.consumeSync([{ key: 'busy', limit: 1, cost: 1 }], minute(10));
    expect(limiter.size).toBe(1);
  });
});
