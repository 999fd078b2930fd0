import { Counter, register, Registry } from 'prom-client';

import type { GatewayContext } from '../pipeline/gateway-context';
import type { Outcome } from '../respond/gateway-outcome';
import { RequestRecorder } from './request-recorder';

jest.mock('../../analytics/request-log.mapper', () => ({
  ...jest.requireActual<object>('../../analytics/request-log.mapper'),
  toRequestLogRow: () => ({}),
}));

const COUNTERS = [
  'prism_gateway_requests_total',
  'prism_gateway_tokens_total',
  'prism_gateway_cost_usd_total',
];

describe('RequestRecorder metrics', () => {
  /** The counters as the recorder incremented them before its series were bound (label objects per call). */
  function reference(): { registry: Registry; record(ctx: GatewayContext, outcome: Outcome): void } {
    const registry = new Registry();
    const requests = new Counter({
      name: 'prism_gateway_requests_total',
      help: 'Gateway requests by outcome',
      labelNames: ['tenant', 'model', 'endpoint', 'status'],
      registers: [registry],
    });
    const tokens = new Counter({
      name: 'prism_gateway_tokens_total',
      help: 'Tokens through the gateway',
      labelNames: ['tenant', 'type'],
      registers: [registry],
    });
    const cost = new Counter({
      name: 'prism_gateway_cost_usd_total',
      help: 'USD spent through the gateway',
      labelNames: ['tenant'],
      registers: [registry],
    });
    return {
      registry,
      record(ctx, outcome) {
        const tenant = ctx.tenant?.slug ?? 'none';
        const model = outcome.target?.deployment.modelId ?? 'none';
        requests.inc({ tenant, model, endpoint: ctx.endpointLabel, status: outcome.status });
        const usage = outcome.usage;
        if (usage) {
          tokens.inc({ tenant, type: 'input' }, usage.input);
          tokens.inc({ tenant, type: 'output' }, usage.output);
          if (usage.cachedInput > 0) tokens.inc({ tenant, type: 'cached_input' }, usage.cachedInput);
        }
        if (outcome.cost && outcome.cost.cost_usd > 0) cost.inc({ tenant }, outcome.cost.cost_usd);
      },
    };
  }

  async function text(registry: Registry): Promise<string> {
    const parts: string[] = [];
    for (const name of COUNTERS) parts.push(await registry.getSingleMetricAsString(name));
    return parts.join('\n');
  }

  it('prints what per-call label objects printed, across tenants, label sets and a registry reset', async () => {
    register.resetMetrics();
    const recorder = new RequestRecorder(
      { add: () => Promise.resolve() } as never,
      { record: () => undefined } as never,
      { enqueue: () => undefined } as never,
      {},
      { countRequest: () => undefined, countUpstream: () => undefined } as never,
    );
    const ref = reference();
    let seed = 0x9e3779b9;
    // xorshift32: the labels and values of 600 requests, the same every run.
    const random = (n: number): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const tenants = [{ slug: 'acme', id: 't1' }, { slug: 'beta', id: 't2' }, undefined];
    const statuses = ['success', 'error', 'aborted'] as const;
    for (let i = 0; i < 600; i++) {
      if (i === 300) {
        register.resetMetrics();
        ref.registry.resetMetrics();
      }
      // Runs of the same labels (the cached series) and changes between them.
      const same = random(3) > 0;
      const tenant = same && i > 0 ? tenants[0] : tenants[random(3)];
      const ctx = {
        tenant,
        endpointLabel: ['chat', 'completions', 'messages'][same ? 0 : random(3)],
        tokenLimitKeys: [],
        attempts: [],
        receivedAt: new Date(0),
        startedAt: 0,
      } as unknown as GatewayContext;
      const status = statuses[same ? 0 : random(3)] as Outcome['status'];
      const usage =
        random(4) === 0
          ? undefined
          : {
              input: random(50),
              output: random(20),
              cachedInput: random(3) === 0 ? random(10) : 0,
              estimated: false,
            };
      const outcome = {
        status,
        httpStatus: 200,
        attempts: [],
        upstreamMs: 1,
        target:
          random(5) === 0
            ? undefined
            : { deployment: { modelId: `m${same ? 0 : random(3)}`, contextWindow: null } },
        usage,
        cost: usage ? { cost_usd: random(3) === 0 ? 0 : random(100) / 1000 } : undefined,
      } as unknown as Outcome;
      recorder.record(ctx, outcome);
      ref.record(ctx, outcome);
    }
    const printed = await text(register);
    expect(printed).toContain('type="cached_input"');
    expect(printed).toContain('prism_gateway_cost_usd_total{tenant="beta"}');
    expect(printed).toBe(await text(ref.registry));
  });
});
