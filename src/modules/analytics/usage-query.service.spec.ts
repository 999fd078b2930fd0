import type { RequestLog } from './request-log.schema';
import { buildRollups, mergeRollups, type RollupIncrement } from './rollups';
import { requestLogRow } from './testing/log-rows';
import { UsageQueryService } from './usage-query.service';
import type { RollupQuery, RollupRow, UsageRollupRepository } from './usage-rollup.repository';

/** An in-memory rollup store built with the writer's own increments. */
class MemoryRollups {
  readonly queries: RollupQuery[] = [];
  private readonly rows = new Map<string, RollupIncrement>();

  add(logs: Partial<RequestLog>[]): void {
    mergeRollups(this.rows, buildRollups(logs.map(logOf)));
  }

  find(query: RollupQuery): Promise<RollupRow[]> {
    this.queries.push(query);
    const out: RollupRow[] = [];
    for (const r of this.rows.values()) {
      if (r.dimension !== query.dimension || r.grain !== query.grain) continue;
      if (r.period < query.from || r.period >= query.to) continue;
      if (query.tenantIds && !query.tenantIds.includes(r.tenantId)) continue;
      const row: Record<string, unknown> = {
        period: r.period,
        tenantId: r.tenantId,
        key: r.key,
        label: r.label,
      };
      for (const [name, value] of Object.entries(r.inc)) {
        const [field, bucket] = name.split('.');
        if (bucket) row[field!] = { ...(row[field!] as object), [bucket]: value };
        else row[name] = value;
      }
      out.push(row as unknown as RollupRow);
    }
    return Promise.resolve(out);
  }

  /** Spans merged or not, the same rows for a reader that ignores periods. */
  findMerged(query: Omit<RollupQuery, 'grain'>): Promise<RollupRow[]> {
    return this.find({ ...query, grain: 'day' });
  }
}

function logOf(partial: Partial<RequestLog>): RequestLog {
  return requestLogRow({
    timestamp: new Date('2026-03-02T10:30:00Z'),
    tenantSlug: 'one',
    keyId: 'k1',
    keyPrefix: 'omp-k1',
    requestedModel: 'm1',
    routedModel: 'm1',
    providerId: 'p1',
    providerSlug: 'prov',
    category: null,
    costUsd: 0.1,
    baselineModel: null,
    baselineCostUsd: 0.2,
    savedUsd: 0.1,
    latencyMs: 100,
    upstreamMs: 99,
    ...partial,
  });
}

describe('UsageQueryService', () => {
  const setup = () => {
    const store = new MemoryRollups();
    const service = new UsageQueryService(store as unknown as UsageRollupRepository);
    return { store, service };
  };

  it('sums whole days from daily rows and edge hours from hourly rows, exactly', async () => {
    const { store, service } = setup();
    store.add([
      { timestamp: new Date('2026-03-01T23:10:00Z'), costUsd: 0.1 },
      { timestamp: new Date('2026-03-02T12:00:00Z'), costUsd: 0.2 },
      { timestamp: new Date('2026-03-03T00:30:00Z'), costUsd: 0.00000001 },
      // Outside the range on both sides.
      { timestamp: new Date('2026-03-01T22:59:00Z'), costUsd: 5 },
      { timestamp: new Date('2026-03-03T01:00:00Z'), costUsd: 5 },
    ]);
    const summary = await service.summary(
      {},
      {
        from: new Date('2026-03-01T23:00:00Z'),
        to: new Date('2026-03-03T01:00:00Z'),
      },
    );
    expect(summary.current.requests).toBe(3);
    expect(summary.current.costUsd).toBe(0.30000001);
    expect(summary.previous.requests).toBe(1); // 22:59 falls in the previous period
    expect(store.queries.filter((q) => q.grain === 'day')).toHaveLength(1); // 2026-03-02 only
  });

  it('limits every query to the scope', async () => {
    const { store, service } = setup();
    store.add([{ tenantId: 't1' }, { tenantId: 't2', tenantSlug: 'two' }]);
    const range = { from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-03T00:00:00Z') };
    expect((await service.summary({ tenantIds: ['t2'] }, range)).current.requests).toBe(1);
    const tenants = await service.breakdown({ tenantIds: ['t2'] }, range, {
      dimension: 'tenant',
      sort: 'costUsd',
      order: 'desc',
      limit: 10,
    });
    expect(tenants.items.map((i) => [i.key, i.label])).toEqual([['t2', 'two']]);
    expect(store.queries.every((q) => q.tenantIds?.join() === 't2')).toBe(true);
  });

  it('sorts breakdowns, reports cost shares and folds extra series into "other"', async () => {
    const { store, service } = setup();
    store.add([
      { routedModel: 'a', costUsd: 0.3 },
      { routedModel: 'b', costUsd: 0.1 },
      { routedModel: 'b', costUsd: 0.1 },
      { routedModel: 'c', costUsd: 0.5 },
    ]);
    const range = { from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-03T00:00:00Z') };
    const byCost = await service.breakdown({}, range, {
      dimension: 'model',
      sort: 'costUsd',
      order: 'desc',
      limit: 2,
    });
    expect(byCost.totalItems).toBe(3);
    expect(byCost.items.map((i) => i.key)).toEqual(['c', 'a']);
    expect(byCost.items[0]!.costShare).toBeCloseTo(0.5, 10);
    const series = await service.timeseries({}, range, {
      interval: 'hour',
      groupBy: 'model',
      metric: 'requests',
      limit: 1,
    });
    expect(series.buckets).toHaveLength(24);
    expect(series.series.map((s) => [s.key, s.total])).toEqual([
      ['b', 2],
      ['__other__', 2],
    ]);
    expect(series.series[0]!.values[10]).toBe(2);
  });

  it('merges latency histograms for the items shown, the same as when every item has them', async () => {
    const { store, service } = setup();
    store.add([
      { routedModel: 'a', costUsd: 0.3, latencyMs: 100 },
      { routedModel: 'a', costUsd: 0.3, latencyMs: 400 },
      { routedModel: 'b', costUsd: 0.1, latencyMs: 2000 },
    ]);
    const range = { from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-03T00:00:00Z') };
    const options = { dimension: 'model', order: 'desc', limit: 1 } as const;
    const byCost = await service.breakdown({}, range, { ...options, sort: 'costUsd' });
    const byLatency = await service.breakdown({}, range, { ...options, sort: 'latencyP95', limit: 2 });
    const a = byLatency.items.find((i) => i.key === 'a')!;
    expect(byCost.items.map((i) => i.key)).toEqual(['a']);
    expect(byCost.items[0]!.latencyMs).toEqual(a.latencyMs);
    expect(a.latencyMs.p50).not.toBeNull();
    expect(byLatency.items.map((i) => i.key)).toEqual(['b', 'a']);

    const p95 = await service.timeseries({}, range, {
      interval: 'day',
      groupBy: 'none',
      metric: 'latencyP95',
      limit: 10,
    });
    const cost = await service.timeseries({}, range, {
      interval: 'day',
      groupBy: 'none',
      metric: 'costUsd',
      limit: 10,
    });
    expect(p95.series[0]!.values[0]).toBeGreaterThan(400);
    expect(cost.series[0]!.total).toBeCloseTo(0.7, 10);
  });
});
