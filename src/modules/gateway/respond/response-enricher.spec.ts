import type { GatewayContext } from '../pipeline/gateway-context';
import { usageFrom } from './response-enricher';

describe('usageFrom', () => {
  const ctx = { estimatedInputTokens: 7 } as GatewayContext;

  it('carries prompt-cache reads from prompt_tokens_details.cached_tokens', () => {
    const usage = usageFrom(
      { prompt_tokens: 1200, completion_tokens: 30, prompt_tokens_details: { cached_tokens: 1024 } },
      ctx,
      () => 0,
    );
    expect(usage).toEqual({ input: 1200, output: 30, cachedInput: 1024, estimated: false });
  });

  it('reports 0 cached tokens when the upstream sends none, and never more than the prompt', () => {
    expect(usageFrom({ prompt_tokens: 10, completion_tokens: 2 }, ctx, () => 0).cachedInput).toBe(0);
    const odd = { prompt_tokens: 10, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 50 } };
    expect(usageFrom(odd, ctx, () => 0).cachedInput).toBe(10);
    const junk = { prompt_tokens: 10, completion_tokens: 2, prompt_tokens_details: { cached_tokens: '5' } };
    expect(usageFrom(junk, ctx, () => 0).cachedInput).toBe(0);
  });

  it('estimates without cache reads when the upstream reports no usage', () => {
    expect(usageFrom(undefined, ctx, () => 3)).toEqual({
      input: 7,
      output: 3,
      cachedInput: 0,
      estimated: true,
    });
  });
});
