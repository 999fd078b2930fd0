import { compileModelAccess } from './model-access';
import type { ModelAccess } from './tenant.types';

const isModelAllowed = (access: ModelAccess, modelId: string, prefixedId?: string): boolean =>
  compileModelAccess(access)(modelId, prefixedId);

describe('compileModelAccess', () => {
  it('allows everything in mode all and with an empty blacklist', () => {
    expect(isModelAllowed({ mode: 'all', list: ['x'] }, 'x')).toBe(true);
    expect(isModelAllowed({ mode: 'blacklist', list: [] }, 'x')).toBe(true);
  });

  it('allows nothing with an empty whitelist', () => {
    expect(isModelAllowed({ mode: 'whitelist', list: [] }, 'gpt-4o', 'openai/gpt-4o')).toBe(false);
  });

  it('matches ids, provider-prefixed ids and wildcards in a whitelist', () => {
    const access = { mode: 'whitelist' as const, list: ['gpt-4o', 'azure/*', 'claude-*'] };
    expect(isModelAllowed(access, 'gpt-4o', 'openai/gpt-4o')).toBe(true);
    expect(isModelAllowed(access, 'gpt-4o-mini', 'openai/gpt-4o-mini')).toBe(false);
    expect(isModelAllowed(access, 'prod-chat', 'azure/prod-chat')).toBe(true);
    expect(isModelAllowed(access, 'claude-sonnet-4')).toBe(true);
  });

  it('matches a provider-prefixed entry only on that provider', () => {
    const access = { mode: 'whitelist' as const, list: ['openai/gpt-4o'] };
    expect(isModelAllowed(access, 'gpt-4o', 'openai/gpt-4o')).toBe(true);
    expect(isModelAllowed(access, 'gpt-4o', 'azure/gpt-4o')).toBe(false);
  });

  it('ignores case in exact entries and in patterns', () => {
    const matcher = compileModelAccess({ mode: 'whitelist', list: ['GPT-4o', 'OpenAI/o3', 'meta-llama/*'] });
    expect(matcher('gpt-4O')).toBe(true);
    expect(matcher('o3', 'openai/o3')).toBe(true);
    expect(matcher('o3', 'azure/o3')).toBe(false);
    expect(matcher('Meta-Llama/Llama-3-8B')).toBe(true);
    expect(isModelAllowed({ mode: 'blacklist', list: ['Claude-*'] }, 'claude-opus-4')).toBe(false);
  });

  it('inverts for a blacklist and treats regex characters literally', () => {
    const access = { mode: 'blacklist' as const, list: ['gpt-4.1', 'a+b*'] };
    expect(isModelAllowed(access, 'gpt-4.1')).toBe(false);
    expect(isModelAllowed(access, 'gpt-4x1')).toBe(true);
    expect(isModelAllowed(access, 'a+b-mini')).toBe(false);
    expect(isModelAllowed(access, 'aab')).toBe(true);
  });
});
