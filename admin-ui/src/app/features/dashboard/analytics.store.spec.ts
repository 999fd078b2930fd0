import { change, intervalFor, rangeBounds } from './analytics.store';
import { bucketLabel } from './usage-charts';
import { kpis } from './usage-kpis';

describe('dashboard ranges and figures', () => {
  const now = new Date('2026-12-06T12:00:00.000Z');

  it('turns presets and custom dates into API bounds, hourly up to two days and daily beyond', () => {
    const day = rangeBounds({ key: '24h' }, now);
    expect(day).toEqual({ from: '2026-12-05T12:00:00.000Z', to: '2026-12-06T12:00:00.000Z' });
    expect(intervalFor(day)).toBe('hour');
    const custom = rangeBounds({ key: 'custom', from: '2026-11-01', to: '2026-11-30' }, now);
    expect(custom).toEqual({ from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' });
    expect(intervalFor(custom)).toBe('day');
  });

  it('compares with the previous period, saying when a rise is good', () => {
    expect(change(150, 100)).toBe(0.5);
    expect(change(5, 0)).toBeNull();
    const measures = (costUsd: number, requests: number) => ({
      autoRouted: 0,
      autoRoutedShare: 0,
      baselineCostUsd: 2 * costUsd,
      cachedInputTokens: 0,
      costUsd,
      errorRate: 0,
      errors: 0,
      fallbacks: 0,
      inputTokens: 10,
      outputTokens: 5,
      latencyMs: { avg: 120, p50: 100, p95: 200, p99: null },
      overheadMs: { avg: 1, p50: 1, p95: 2, p99: 3 },
      requests,
      savedUsd: costUsd,
      streamed: 0,
      ttftMs: { avg: null, p50: null, p95: null, p99: null },
      upstreamMsAvg: null,
    });
    const figures = kpis(measures(2, 20), measures(1, 10));
    expect(figures.find((k) => k.label === 'Cost')).toMatchObject({ value: 2, change: 1, riseIsGood: false });
    expect(figures.find((k) => k.label === 'Requests')).toMatchObject({
      value: 20,
      change: 1,
      riseIsGood: true,
    });
    expect(figures.find((k) => k.label === 'Latency p99')).toMatchObject({ value: null, change: null });
    expect(bucketLabel('2026-12-06T08:00:00.000Z', 'day')).toMatch(/^12\/6$/);
  });
});
