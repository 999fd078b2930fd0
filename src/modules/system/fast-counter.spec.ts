import { Counter, Registry } from 'prom-client';

import { FastCounter } from './fast-counter';

describe('FastCounter', () => {
  type Label = 'tenant' | 'model' | 'status';
  const increments: [Partial<Record<Label, string | number>>, number | undefined][] = [
    [{ tenant: 'acme', model: 'gpt', status: 'success' }, undefined],
    [{ tenant: 'acme', model: 'gpt', status: 'success' }, 2],
    [{ status: 'error', tenant: 'beta', model: 'm"x\\y' }, 1],
    [{ tenant: 'acme', model: 'gpt', status: 200 }, 0.25],
    [{ tenant: 'acme', model: 'gpt', status: '200' }, 3],
    [{ tenant: 'acme', status: 'success' }, 1],
    [{ tenant: 'acme', model: undefined, status: 'success' }, 4],
  ];

  async function both(
    run: (inc: (labels: Partial<Record<Label, string | number>>, value?: number) => void) => void,
    labelNames: readonly Label[] = ['tenant', 'model', 'status'],
  ): Promise<{ ours: Registry; reference: Registry }> {
    const reference = new Registry();
    const ours = new Registry();
    const counter = new Counter({ name: 'x_total', help: 'help text', labelNames, registers: [reference] });
    const fast = new FastCounter('x_total', 'help text', labelNames);
    ours.registerMetric(fast as never);
    run((labels, value) => {
      counter.inc(labels, value as number);
      fast.inc(labels, value);
    });
    return { ours, reference };
  }

  it('prints the same /metrics text and JSON as a prom-client counter', async () => {
    const { ours, reference } = await both((inc) => {
      for (const [labels, value] of increments) inc(labels, value);
    });
    expect(await ours.metrics()).toBe(await reference.metrics());
    expect(await ours.getMetricsAsJSON()).toEqual(await reference.getMetricsAsJSON());
    ours.setContentType(Registry.OPENMETRICS_CONTENT_TYPE as never);
    reference.setContentType(Registry.OPENMETRICS_CONTENT_TYPE as never);
    expect(await ours.metrics()).toBe(await reference.metrics());
  });

  it('prints a counter without labels as 0 before its first increment, and after a reset', async () => {
    const reference = new Registry();
    const ours = new Registry();
    const counter = new Counter({ name: 'y_total', help: 'h', registers: [reference] });
    const fast = new FastCounter('y_total', 'h', []);
    ours.registerMetric(fast as never);
    expect(await ours.metrics()).toBe(await reference.metrics());
    counter.inc();
    fast.inc();
    counter.inc(2.5);
    fast.inc(2.5);
    expect(await ours.metrics()).toBe(await reference.metrics());
    counter.reset();
    fast.reset();
    expect(await ours.metrics()).toBe(await reference.metrics());
  });

  it('bound children count into their series, also after a reset', async () => {
    const fast = new FastCounter<'kind'>('z_total', 'h', ['kind']);
    const byObject = fast.labels({ kind: 'a' });
    const byValue = fast.labels('a');
    byObject.inc();
    byValue.inc(2);
    fast.reset();
    byObject.inc(5);
    expect((await fast.get()).values).toEqual([{ labels: { kind: 'a' }, value: 5 }]);
  });

  it('refuses what prom-client refuses: unknown labels, negative and non-finite values', () => {
    const fast = new FastCounter<'kind'>('w_total', 'h', ['kind']);
    expect(() => fast.inc({ kind: 'a', other: 'b' } as never)).toThrow(/not included in initial labelset/);
    expect(() => fast.inc({ kind: 'a' }, -1)).toThrow(/not possible to decrease/);
    expect(() => fast.inc({ kind: 'a' }, Infinity)).toThrow(/not a valid number/);
  });
});
