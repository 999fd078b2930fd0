import type { ProviderAdapterRegistry } from '../../providers/adapters/provider-adapter';
import type { ModelView } from '../../providers/provider.types';
import { defaultTenantSettings } from '../../tenants/tenant-defaults';
import type { TenantView } from '../../tenants/tenant.types';
import { BuiltInRoutingCatalog } from '../testing/built-in-routing-catalog';
import { EngineRouter, type RouteRequest } from './engine-router';

/** A model row with only what routing reads; everything else as the registry would default it. */
function model(modelId: string, tier: ModelView['tier'], inputPer1M: number, embeddings = false): ModelView {
  return {
    id: `p1:${modelId}`,
    providerId: 'p1',
    providerSlug: 'p1',
    modelId,
    prefixedId: `p1/${modelId}`,
    name: modelId,
    tier,
    contextWindow: 128_000,
    maxOutputTokens: 16_000,
    pricing: { inputPer1M, outputPer1M: inputPer1M * 4, cachedInputPer1M: null },
    capabilities: { vision: false, tools: true, fim: false, embeddings, reasoning: false },
    benchmarks: { intelligence: null, coding: null, math: null, speed: null },
    visible: true,
    priority: 50,
    apiType: embeddings ? 'embeddings' : 'chat',
  } as ModelView;
}

const models = {
  allowed: [
    model('mini', 'minimal', 0.1),
    model('mid', 'medium', 1),
    model('top', 'high', 5),
    model('emb', 'medium', 0.1, true),
  ],
};
const tenant = { id: 't1', ...defaultTenantSettings() } as unknown as TenantView;
const noProviders = { findModelsById: () => [], resolveProvider: () => undefined };
const noAdapters = {} as ProviderAdapterRegistry;

const request = (content: string, extra: Partial<RouteRequest> = {}): RouteRequest => ({
  tenant,
  body: { model: 'auto', messages: [{ role: 'user', content }] },
  userModel: null,
  models,
  ...extra,
});

describe('EngineRouter', () => {
  const router = new EngineRouter(new BuiltInRoutingCatalog(), noProviders, noAdapters);
  router.prepare();

  it('routes small talk cheap and names category, tier and reason', async () => {
    const { decision } = await router.route(request('Hi there!'));
    expect(decision.model?.id).toBe('mini');
    expect(decision.category).toEqual(expect.any(String));
    expect(decision.reason).toEqual(expect.any(String));
    expect(decision.routingMs).toBeGreaterThanOrEqual(0);
  });

  it('never offers embedding models as chat candidates', async () => {
    const { decision } = await router.route(
      request('Explain the CAP theorem with a worked example for a distributed database design.'),
    );
    expect(decision.model?.id).not.toBe('emb');
  });

  it('economises under the budget guard', async () => {
    const prompt =
      'Review this architecture for a payment system with sharded ledgers and explain the risks in depth.';
    const normal = await router.route(request(prompt));
    const guarded = await router.route(request(prompt, { costMode: 'economy', blockedTiers: ['high'] }));
    expect(guarded.decision.model?.id).not.toBe('top');
    expect(['mini', 'mid']).toContain(guarded.decision.model?.id);
    expect(normal.decision.model?.id).toEqual(expect.any(String));
  });

  it('remembers how full a session is', () => {
    router.recordSessionFill('s1', 90_000, 100_000);
    router.recordSessionFill('s2', 10, null);
    expect((router as unknown as { sessionFill: Map<string, number> }).sessionFill.get('s1')).toBe(0.9);
    expect((router as unknown as { sessionFill: Map<string, number> }).sessionFill.has('s2')).toBe(false);
  });

  it('runs the catalog’s engine, so every caller shares one classifier cache', () => {
    const catalog = new BuiltInRoutingCatalog();
    const shared = new EngineRouter(catalog, noProviders, noAdapters);
    expect((shared as unknown as { engine: unknown }).engine).toBe(catalog.engine);
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
  const router = new EngineRouter(new BuiltInRoutingCatalog(), noProviders, noAdapters, sink);
  const haiku = request('Write a haiku about autumn', { sessionId: 's-dry' });

  it('hands each production decision to the trace sink and links it by id', async () => {
    const routed = await router.route(haiku);
    expect(routed.traceId).toBe('trace-1');
    expect(recorded).toEqual([tenant.id]);
  });

  it('decides a dry run with the same code, marks it and records nothing', async () => {
    router.recordSessionFill('s-dry', 95_000, 100_000);
    const production = await router.decide(haiku);
    const dry = await router.decide(haiku, { dryRun: true });
    expect(dry.trace.dryRun).toBe(true);
    expect(recorded).toHaveLength(1);
    // The dry run reads no session memory; production does.
    expect(production.overrides.map((o) => o.code)).toContain('session_fill_upgrade');
    expect(dry.overrides.map((o) => o.code)).not.toContain('session_fill_upgrade');
  });
});
