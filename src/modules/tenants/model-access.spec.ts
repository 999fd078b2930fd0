import { isModelAllowed } from './model-access';

describe('isModelAllowed', () => {
  it('allows everything in mode all', () => {
    expect(isModelAllowed({ mode: 'all', list: ['x'] }, 'x')).toBe(true);
  });

  it('matches ids, provider-prefixed ids and wildcards in a whitelist', () => {
    const access = { mode: 'whitelist' as const, list: ['gpt-4o', 'azure/*', 'claude-*'] };
    expect(isModelAllowed(access, 'gpt-4o', 'openai/gpt-4o')).toBe(true);
    expect(isModelAllowed(access, 'gpt-4o-mini', 'openai/gpt-4o-mini')).toBe(false);
    expect(isModelAllowed(access, 'prod-chat', 'azure/prod-chat')).toBe(true);
    expect(isModelAllowed(access, 'claude-sonnet-4')).toBe(true);
  });

  it('inverts for a blacklist and treats regex characters literally', () => {
    const access = { mode: 'blacklist' as const, list: ['gpt-4.1'] };
    expect(isModelAllowed(access, 'gpt-4.1')).toBe(false);
    expect(isModelAllowed(access, 'gpt-4x1')).toBe(true);
  });
});
