import { ProviderAdapterRegistry } from '../../providers/adapters/provider-adapter';
import { TenantModelIndex } from '../config/tenant-model-index';
import { FakeConfigSource, modelView, providerView, tenantView } from '../testing/gateway-fixtures';
import { BuiltInRoutingCatalog, EngineRouter } from './engine-router';

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
