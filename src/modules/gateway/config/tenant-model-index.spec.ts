import { type GatewayHttpError } from '../../../core/http/gateway-http.error';
import { FakeConfigSource, modelView, providerView, tenantView } from '../testing/gateway-fixtures';
import { TenantModelIndex } from './tenant-model-index';

const source = new FakeConfigSource(
  [
    providerView('p1', { slug: 'openai' }),
    providerView('p2', { slug: 'azure' }),
    providerView('p3', { enabled: false }),
  ],
  [
    modelView('gpt-4o', {
      providerId: 'p1',
      providerSlug: 'openai',
      priority: 60,
      tier: 'high',
      contextWindow: 128_000,
    }),
    modelView('gpt-4o', {
      providerId: 'p2',
      providerSlug: 'azure',
      priority: 40,
      tier: 'high',
      contextWindow: 128_000,
    }),
    modelView('gpt-4o-mini', {
      providerId: 'p1',
      providerSlug: 'openai',
      tier: 'low',
      contextWindow: 128_000,
    }),
    modelView('hidden', { providerId: 'p1', providerSlug: 'openai', visible: false }),
    modelView('meta-llama/Llama-3-8B', {
      providerId: 'p1',
      providerSlug: 'openai',
      tier: 'low',
      contextWindow: 8_000,
    }),
    modelView('long', { providerId: 'p1', providerSlug: 'openai', tier: 'high', contextWindow: 1_000_000 }),
    modelView('mid-window', {
      providerId: 'p1',
      providerSlug: 'openai',
      tier: 'medium',
      contextWindow: 200_000,
    }),
    modelView('off-provider', { providerId: 'p3' }),
  ],
);

const index = (overrides: Parameters<typeof tenantView>[0] = {}): TenantModelIndex =>
  new TenantModelIndex(tenantView({ providerIds: ['p1', 'p2', 'p3'], ...overrides }), source);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as GatewayHttpError).code;
  }
}

describe('TenantModelIndex', () => {
  it('resolves a bare id to every provider serving it, a prefixed id to one', () => {
    const bare = index().resolve('gpt-4o');
    expect(bare.kind === 'model' && bare.deployments.map((d) => d.providerSlug)).toEqual(['openai', 'azure']);
    const pinned = index().resolve('azure/gpt-4o');
    expect(pinned).toMatchObject({ kind: 'model', modelId: 'gpt-4o', pinned: true });
    expect(pinned.kind === 'model' && pinned.deployments.map((d) => d.providerSlug)).toEqual(['azure']);
  });

  it('treats an unknown prefix as part of the id (Hugging Face style names)', () => {
    expect(index().resolve('meta-llama/Llama-3-8B')).toMatchObject({ kind: 'model', pinned: false });
  });

  it('knows auto and auto-prism, and aliases (resolved once)', () => {
    expect(index().resolve('auto').kind).toBe('auto');
    expect(index().resolve('auto-prism').kind).toBe('auto');
    const aliased = index({
      aliases: [
        { alias: 'smart', model: 'gpt-4o' },
        { alias: 'router', model: 'auto' },
      ],
    });
    expect(aliased.resolve('smart')).toMatchObject({ kind: 'model', modelId: 'gpt-4o' });
    expect(aliased.resolve('router').kind).toBe('auto');
  });

  it('hides invisible models and disabled providers (404), policy-denied models are 403', () => {
    expect(codeOf(() => index().resolve('hidden'))).toBe('model_not_found');
    expect(codeOf(() => index().resolve('off-provider'))).toBe('model_not_found');
    expect(codeOf(() => index().resolve('openai/nope'))).toBe('model_not_found');
    const whitelist = index({ modelAccess: { mode: 'whitelist', list: ['gpt-4o-mini', 'azure/*'] } });
    expect(codeOf(() => whitelist.resolve('long'))).toBe('model_not_allowed');
    expect(whitelist.resolve('gpt-4o')).toMatchObject({ kind: 'model' });
    const viaWildcard = whitelist.resolve('gpt-4o');
    expect(viaWildcard.kind === 'model' && viaWildcard.deployments.map((d) => d.providerSlug)).toEqual([
      'azure',
    ]);
    const blacklist = index({ modelAccess: { mode: 'blacklist', list: ['gpt-4o*'] } });
    expect(codeOf(() => blacklist.resolve('gpt-4o-mini'))).toBe('model_not_allowed');
    expect(blacklist.clientModelIds()).not.toContain('gpt-4o');
  });

  it('applies the access list ignoring case, like the portal', () => {
    const whitelist = index({ modelAccess: { mode: 'whitelist', list: ['GPT-4O-MINI', 'Meta-Llama/*'] } });
    expect(whitelist.clientModelIds().sort()).toEqual(['gpt-4o-mini', 'meta-llama/Llama-3-8B']);
    expect(codeOf(() => whitelist.resolve('gpt-4o'))).toBe('model_not_allowed');
  });

  it('finds the smallest larger window, same tier first, then one down, one up, then any', () => {
    const idx = index();
    const small = source.models.find((m) => m.modelId === 'meta-llama/Llama-3-8B')!;
    expect(idx.largerWindowModel(small, 100_000)?.modelId).toBe('gpt-4o-mini');
    const gpt4o = source.models.find((m) => m.modelId === 'gpt-4o')!;
    expect(idx.largerWindowModel(gpt4o, 150_000)?.modelId).toBe('long');
    const mini = source.models.find((m) => m.modelId === 'gpt-4o-mini')!;
    expect(idx.largerWindowModel(mini, 150_000)?.modelId).toBe('mid-window');
    expect(idx.largerWindowModel(mini, 5_000_000)).toBeUndefined();
  });
});
