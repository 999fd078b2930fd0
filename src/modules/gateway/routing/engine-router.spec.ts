import { ProviderAdapterRegistry } from '../../providers/adapters/provider-adapter';
import { TenantModelIndex } from '../config/tenant-model-index';
import { FakeConfigSource, modelView, providerView, tenantView } from '../testing/gateway-fixtures';
import { BuiltInRoutingCatalog } from '../testing/built-in-routing-catalog';
import { EngineRouter } from './engine-router';

const source = new FakeConfigSource(
  [providerView('p1')],
  [
    modelView('mini', {
      tier: 'minimal',
      pricing: { inputPer1M: 0.1, outputPer1M: 0.4, cachedInputPer1M: null },
    }),
    modelView('mid', { tier: 'medium', pricing: { inputPer1M: 1, outputPer1M: 4, cachedInputPer1M: null } }),
    modelView('top', { tier: 'high', pricing: { inputPer1M: 5, outputPer1M: 20, cachedInputPer1M: null } }),
    modelView('emb', {
      capabilities: { vision: false, tools: false, fim: false, embeddings: true, reasoning: false },
    }),
  ],
);

describe('EngineRouter', () => {
  const router = new EngineRouter(new BuiltInRoutingCatalog(), source, new ProviderAdapterRegistry([]));
  router.prepare();
  const tenant = tenantView();
  const models = new TenantModelIndex(tenant, source);
  const route = (content: string, extra: Partial<Parameters<EngineRouter['route']>[0]> = {}) =>
    router.route({
      tenant,
      endpoint: 'chat',
      body: { model: 'auto', messages: [{ role: 'user', content }] },
      userModel: null,
      models,
      estimatedInputTokens: 10,
      ...extra,
    });

  it('routes small talk cheap and names category, tier and reason', async () => {
    const outcome = await route('Hi there!');
    expect(outcome.modelId).toBe('mini');
    expect(outcome.category).toEqual(expect.any(String));
    expect(outcome.reason).toEqual(expect.any(String));
    expect(outcome.routingMs).toBeGreaterThanOrEqual(0);
  });

  it('never offers embedding models as chat candidates', async () => {
    const outcome = await route(
      'Explain the CAP theorem with a worked example for a distributed database design.',
    );
    expect(outcome.modelId).not.toBe('emb');
  });

  it('economises under the budget guard', async () => {
    const prompt =
      'Review this architecture for a payment system with sharded ledgers and explain the risks in depth.';
    const normal = await route(prompt);
    const guarded = await route(prompt, { costMode: 'economy', blockedTiers: ['high'] });
    expect(guarded.modelId).not.toBe('top');
    expect(['mini', 'mid']).toContain(guarded.modelId);
    expect(normal.modelId).toEqual(expect.any(String));
  });

  it('remembers how full a session is', () => {
    router.recordSessionFill('s1', 90_000, 100_000);
    router.recordSessionFill('s2', 10, null);
    expect((router as unknown as { sessionFill: Map<string, number> }).sessionFill.get('s1')).toBe(0.9);
    expect((router as unknown as { sessionFill: Map<string, number> }).sessionFill.has('s2')).toBe(false);
  });
});

describe('EngineRouter traces and dry run', () => {
  const recorded: string[] = [];
  const sink = {
    record: (tenantId: string | null) => {
      recorded.push(String(tenantId));
      return 'trace-1';
    },
  };
  const router = new EngineRouter(
    new BuiltInRoutingCatalog(),
    source,
    new ProviderAdapterRegistry([]),
    undefined,
    sink,
  );
  const tenant = tenantView();
  const models = new TenantModelIndex(tenant, source);
  const request = {
    tenant,
    endpoint: 'chat' as const,
    body: { model: 'auto', messages: [{ role: 'user', content: 'Write a haiku about autumn' }] },
    userModel: null,
    models,
    estimatedInputTokens: 10,
    sessionId: 's-dry',
  };

  it('hands each production decision to the trace sink and links it by id', async () => {
    const outcome = await router.route(request);
    expect(outcome.traceId).toBe('trace-1');
    expect(recorded).toEqual([tenant.id]);
  });

  it('decides a dry run with the same code, marks it and records nothing', async () => {
    router.recordSessionFill('s-dry', 95_000, 100_000);
    const production = await router.decide(request);
    const dry = await router.decide(request, { dryRun: true });
    expect(dry.trace.dryRun).toBe(true);
    expect(recorded).toHaveLength(1);
    // The dry run reads no session memory; production does.
    expect(production.overrides.map((o) => o.code)).toContain('session_fill_upgrade');
    expect(dry.overrides.map((o) => o.code)).not.toContain('session_fill_upgrade');
  });
});
