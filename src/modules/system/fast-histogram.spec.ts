import { Histogram, Registry } from 'prom-client';

import { FastHistogram } from './fast-histogram';

describe('FastHistogram', () => {
  const buckets = [0.001, 0.01, 0.1, 1];
  const samples: [Record<'phase' | 'kind', string>, number][] = [
    [{ phase: 'total', kind: 'a' }, 0.0005],
    [{ phase: 'total', kind: 'a' }, 0.05],
    [{ phase: 'upstream', kind: 'b' }, 2],
    [{ phase: 'total', kind: 'a' }, 0.01],
  ];

  it('prints the same /metrics text as a prom-client histogram', async () => {
    const reference = new Registry();
    const ours = new Registry();
    const histogram = new Histogram({
      name: 'x_seconds',
      help: 'help text',
      labelNames: ['phase', 'kind'],
      buckets,
      registers: [reference],
    });
    const fast = new FastHistogram('x_seconds', 'help text', ['phase', 'kind'], buckets);
    ours.registerMetric(fast as never);
    const bound = fast.labels({ phase: 'total', kind: 'a' });
    for (const [labels, value] of samples) {
      histogram.observe(labels, value);
      if (labels.phase === 'total') bound.observe(value);
      else fast.observe(labels, value);
    }
    expect(await ours.metrics()).toBe(await reference.metrics());
    // Same JSON too, apart from prom-client's empty exemplar slots.
    const withoutExemplars = (metrics: Awaited<ReturnType<Registry['getMetricsAsJSON']>>): unknown =>
      metrics.map((m) => ({
        ...m,
        values: m.values.map((v) => ({
          labels: v.labels,
          value: v.value,
          metricName: (v as { metricName?: string }).metricName,
        })),
      }));
    expect(withoutExemplars(await ours.getMetricsAsJSON())).toEqual(
      withoutExemplars(await reference.getMetricsAsJSON()),
    );
  });

  it('resets in place: bound children keep counting', async () => {
    const fast = new FastHistogram('y_seconds', 'help', ['stage'], buckets);
    const child = fast.labels({ stage: 'auth' });
    child.observe(0.5);
    fast.reset();
    child.observe(0.002);
    const values = (await fast.get()).values;
    expect(values.find((v) => v.metricName === 'y_seconds_count')?.value).toBe(1);
    expect(values.find((v) => v.metricName === 'y_seconds_bucket' && v.labels.le === 0.01)?.value).toBe(1);
  });
});
