import { type BalanceCandidate, orderCandidates, TargetStatistics } from './load-balancer';

const candidates: BalanceCandidate[] = [
  { key: 'a/m', providerId: 'a', priority: 50 },
  { key: 'b/m', providerId: 'b', priority: 80 },
  { key: 'c/m', providerId: 'c', priority: 50 },
];
const keys = (list: BalanceCandidate[]): string[] => list.map((c) => c.key);

describe('orderCandidates', () => {
  it('priority: highest registry priority first, ties in catalog order', () => {
    expect(keys(orderCandidates(candidates, new TargetStatistics(), { strategy: 'priority' }))).toEqual([
      'b/m',
      'a/m',
      'c/m',
    ]);
  });

  it('least-busy: fewest requests in flight first', () => {
    const stats = new TargetStatistics();
    stats.started('b/m');
    stats.started('b/m');
    stats.started('a/m');
    expect(keys(orderCandidates(candidates, stats, { strategy: 'least-busy' }))).toEqual([
      'c/m',
      'a/m',
      'b/m',
    ]);
    stats.finished('b/m');
    stats.finished('b/m');
    expect(keys(orderCandidates(candidates, stats, { strategy: 'least-busy' }))[0]).toBe('b/m');
  });

  it('latency: lowest EWMA first, unmeasured targets get tried first', () => {
    const stats = new TargetStatistics();
    stats.recordLatency('a/m', 100);
    stats.recordLatency('b/m', 300);
    expect(keys(orderCandidates(candidates, stats, { strategy: 'latency' }))).toEqual(['c/m', 'a/m', 'b/m']);
    stats.recordLatency('c/m', 500);
    for (let i = 0; i < 10; i++) stats.recordLatency('a/m', 1000);
    expect(keys(orderCandidates(candidates, stats, { strategy: 'latency' }))).toEqual(['b/m', 'c/m', 'a/m']);
  });

  it('weighted: picks first in proportion to the weights', () => {
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const weights = new Map([
      ['a', 1],
      ['b', 3],
      ['c', 0],
    ]);
    const firsts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const first = orderCandidates(candidates, new TargetStatistics(), {
        strategy: 'weighted',
        weights,
        random,
      })[0]!;
      firsts.set(first.key, (firsts.get(first.key) ?? 0) + 1);
    }
    expect(firsts.get('c/m')).toBeUndefined();
    const share = (firsts.get('b/m') ?? 0) / 4000;
    expect(share).toBeGreaterThan(0.7);
    expect(share).toBeLessThan(0.8);
  });

  it('keeps every candidate as a failover target', () => {
    for (const strategy of ['priority', 'weighted', 'least-busy', 'latency'] as const) {
      expect(new Set(keys(orderCandidates(candidates, new TargetStatistics(), { strategy })))).toEqual(
        new Set(['a/m', 'b/m', 'c/m']),
      );
    }
  });
});
