import type { PodHeartbeat } from '../pods/pod-heartbeat.repository';
import { summarizeProviderHealth } from './provider-health';

const pod = (id: string, parts: Partial<PodHeartbeat>): PodHeartbeat =>
  ({ _id: id, upstreams: [], breakers: [], ...parts }) as PodHeartbeat;
const upstream = (model: string, calls: number, failures: number, lastSuccessAt: number | null) => ({
  provider: 'acme',
  model,
  calls,
  failures,
  latencyMsSum: calls * 100,
  lastSuccessAt,
  lastFailureAt: failures > 0 ? 1_000 : null,
});

describe('summarizeProviderHealth', () => {
  it('adds the pods up per model and rates them', () => {
    const health = summarizeProviderHealth([
      pod('a', { upstreams: [upstream('m1', 10, 0, 5_000), upstream('m2', 4, 4, null)] }),
      pod('b', {
        upstreams: [upstream('m1', 10, 1, 9_000), upstream('m2', 2, 2, null)],
        breakers: [{ provider: 'acme', model: 'm2', state: 'open', failures: 5 }],
      }),
    ]);
    expect(health.map((h) => [h.model, h.status])).toEqual([
      ['m1', 'healthy'],
      ['m2', 'degraded'], // open on b only: a still calls it
    ]);
    expect(health[0]).toMatchObject({ calls: 20, failures: 1, errorRate: 0.05, avgLatencyMs: 100 });
    expect(health[0]!.lastSuccessAt).toEqual(new Date(9_000));
  });

  it('is down when every pod using the model has its circuit open and nothing succeeded', () => {
    const open = { provider: 'acme', model: 'm', state: 'open' as const, failures: 3 };
    const [health] = summarizeProviderHealth([
      pod('a', { upstreams: [upstream('m', 3, 3, null)], breakers: [open] }),
      pod('b', { breakers: [open] }),
      pod('c', {}),
    ]);
    expect(health).toMatchObject({ status: 'down', openOnPods: 2, errorRate: 1 });
  });
});
