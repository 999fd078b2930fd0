import { GatewayHttpError } from '../../../../core/http/gateway-http.error';
import { MemoryRateLimiter } from '../../../limits/memory-rate-limiter';
import { chatContext, tenantView } from '../../testing/gateway-fixtures';
import { IpLimitStage } from './ip-limit.stage';
import { RateLimitStage } from './rate-limit.stage';

describe('RateLimitStage', () => {
  it('does nothing (no limiter call) when the tenant has no limits', () => {
    const limiter = new MemoryRateLimiter();
    const spy = jest.spyOn(limiter, 'consume');
    const ctx = chatContext({ model: 'm' }, { tenant: tenantView() });
    void new RateLimitStage(limiter).run(ctx);
    expect(spy).not.toHaveBeenCalled();
    expect(ctx.responseHeaders).toEqual({});
  });

  it('sets OpenAI x-ratelimit headers and refuses over the limit with Retry-After', () => {
    const stage = new RateLimitStage(new MemoryRateLimiter());
    const tenant = tenantView({ rateLimit: { requestsPerMinute: 2, tokensPerMinute: 1000 } });
    const first = chatContext({ model: 'm' }, { tenant });
    void stage.run(first);
    expect(first.responseHeaders).toMatchObject({
      'x-ratelimit-limit-requests': '2',
      'x-ratelimit-remaining-requests': '1',
      'x-ratelimit-limit-tokens': '1000',
      'x-ratelimit-remaining-tokens': '1000',
    });
    expect(first.tokenLimitKeys).toEqual(['{t:t1}:tpm']);
    void stage.run(chatContext({ model: 'm' }, { tenant }));
    let error: GatewayHttpError | undefined;
    try {
      void stage.run(chatContext({ model: 'm' }, { tenant }));
    } catch (e) {
      error = e as GatewayHttpError;
    }
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'rate_limit_error' });
    expect(Number(error?.headers['retry-after'])).toBeGreaterThan(0);
    expect(error?.headers['x-ratelimit-remaining-requests']).toBe('0');
    expect(error?.message).toMatch(/2 requests per minute/);
  });

  it('applies a per-key limit on top of the tenant limit', () => {
    const stage = new RateLimitStage(new MemoryRateLimiter());
    const tenant = tenantView({ rateLimit: { requestsPerMinute: 100, tokensPerMinute: 0 } });
    const ctx = () => {
      const c = chatContext({ model: 'm' }, { tenant });
      Object.assign(c.key!, { rateLimit: { requestsPerMinute: 1, tokensPerMinute: 0 } });
      return c;
    };
    void stage.run(ctx());
    expect(() => stage.run(ctx())).toThrow(/API key limit of 1 requests/);
  });

  it('judges every request by the limits its tenant and key views hold now, also when a view changes', () => {
    const stage = new RateLimitStage(new MemoryRateLimiter());
    const tenant = tenantView({ rateLimit: { requestsPerMinute: 1, tokensPerMinute: 0 } });
    const run = (t = tenant, keyLimit?: { requestsPerMinute: number; tokensPerMinute: number }) => {
      const c = chatContext({ model: 'm' }, { tenant: t });
      if (keyLimit) Object.assign(c.key!, { rateLimit: keyLimit });
      void stage.run(c);
      return c;
    };
    run();
    expect(() => run()).toThrow(/tenant limit of 1 requests/);
    // The same view raised in place, then a new view (a configuration reload) with a token limit.
    Object.assign(tenant.rateLimit, { requestsPerMinute: 3 });
    expect(run().responseHeaders['x-ratelimit-limit-requests']).toBe('3');
    const reloaded = tenantView({ rateLimit: { requestsPerMinute: 10, tokensPerMinute: 50 } });
    const withTokens = run(reloaded);
    expect(withTokens.tokenLimitKeys).toEqual(['{t:t1}:tpm']);
    expect(run(reloaded).tokenLimitKeys).toEqual(['{t:t1}:tpm']);
    // A key limit counts on its own counter beside the tenant's.
    expect(() =>
      run(tenantView({ rateLimit: { requestsPerMinute: 0, tokensPerMinute: 0 } }), {
        requestsPerMinute: 1,
        tokensPerMinute: 0,
      }),
    ).not.toThrow();
    expect(() =>
      run(tenantView({ rateLimit: { requestsPerMinute: 0, tokensPerMinute: 0 } }), {
        requestsPerMinute: 1,
        tokensPerMinute: 0,
      }),
    ).toThrow(/API key limit of 1 requests/);
  });

  it("limits a keyless playground request by its tenant's limit", () => {
    const stage = new RateLimitStage(new MemoryRateLimiter());
    const tenant = tenantView({ rateLimit: { requestsPerMinute: 1, tokensPerMinute: 0 } });
    const ctx = () => {
      const c = chatContext({ model: 'm' }, { tenant });
      c.key = undefined;
      return c;
    };
    void stage.run(ctx());
    expect(() => stage.run(ctx())).toThrow(/tenant limit of 1 requests/);
  });
});

describe('IpLimitStage', () => {
  it('limits per client address and can be switched off', () => {
    let limit = 1;
    const stage = new IpLimitStage(new MemoryRateLimiter(), () => limit);
    void stage.run(chatContext({ model: 'm' }));
    expect(() => stage.run(chatContext({ model: 'm' }))).toThrow(GatewayHttpError);
    // A raised limit applies at once, and another address has its own count.
    limit = 2;
    expect(() => stage.run(chatContext({ model: 'm' }))).not.toThrow();
    expect(() => stage.run(chatContext({ model: 'm' }))).toThrow(GatewayHttpError);
    const other = chatContext({ model: 'm' });
    Object.assign(other, { clientIp: '10.0.0.2' });
    expect(() => stage.run(other)).not.toThrow();
    limit = 0;
    expect(() => stage.run(chatContext({ model: 'm' }))).not.toThrow();
  });
});
