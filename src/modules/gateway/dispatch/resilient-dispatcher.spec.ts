import { type GatewayHttpError } from '../../../core/http/gateway-http.error';
import {
  type OpenAIRequestBody,
  type ProviderAdapter,
  ProviderAdapterRegistry,
  type ProviderConnection,
  UpstreamError,
} from '../../providers/adapters/provider-adapter';
import { TenantModelIndex } from '../config/tenant-model-index';
import {
  chatContext,
  FakeConfigSource,
  modelView,
  providerView,
  tenantView,
} from '../testing/gateway-fixtures';
import { CircuitBreakers } from './circuit-breaker';
import { TargetStatistics } from './load-balancer';
import { ClientAbortedError, ResilientDispatcher, type UpstreamCall } from './resilient-dispatcher';

type Script = (provider: string, model: string) => unknown;

const adapter = { types: ['openai'] } as unknown as ProviderAdapter;
const source = new FakeConfigSource(
  [providerView('a'), providerView('b'), providerView('c')],
  [
    modelView('m', { providerId: 'a', providerSlug: 'a', priority: 90 }),
    modelView('m', { providerId: 'b', providerSlug: 'b', priority: 10 }),
    modelView('alt', { providerId: 'c', providerSlug: 'c' }),
    modelView('small', { providerId: 'a', providerSlug: 'a', contextWindow: 1_000 }),
    modelView('big', { providerId: 'b', providerSlug: 'b', contextWindow: 100_000 }),
  ],
);

function setup(options: { chain?: boolean; maxRetries?: number } = {}) {
  const tenant = tenantView({
    providerIds: ['a', 'b', 'c'],
    fallbackChains: options.chain
      ? [{ modelPattern: 'm', targets: [{ providerId: 'c', model: 'alt' }], maxRetries: 0 }]
      : [],
  });
  const breakers = new CircuitBreakers({
    failureThreshold: 2,
    windowMs: 60_000,
    cooldownMs: 1_000,
    halfOpenProbes: 1,
  });
  const sleeps: number[] = [];
  const dispatcher = new ResilientDispatcher({
    adapters: new ProviderAdapterRegistry([adapter]),
    source,
    breakers,
    stats: new TargetStatistics(),
    retry: () => ({
      maxRetries: options.maxRetries ?? 1,
      baseDelayMs: 10,
      maxDelayMs: 100,
      maxRetryAfterMs: 5_000,
    }),
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
  });
  const context = (model = 'm') => {
    const ctx = chatContext({ model, messages: [{ role: 'user', content: 'hi' }] }, { tenant, source });
    const models = new TenantModelIndex(tenant, source);
    ctx.models = models;
    ctx.deployments = models.deploymentsOf(model);
    return ctx;
  };
  const calls: string[] = [];
  const call =
    (script: Script): UpstreamCall<string> =>
    (_adapter, provider: ProviderConnection, body: OpenAIRequestBody) => {
      calls.push(`${provider.slug}/${body.model}`);
      const result = script(provider.slug, body.model);
      return result instanceof Error ? Promise.reject(result) : Promise.resolve(String(result));
    };
  return { dispatcher, breakers, sleeps, context, calls, call, signal: new AbortController().signal };
}

const fail = (kind: UpstreamError['kind'], status?: number, retryAfter?: number) =>
  new UpstreamError(kind, `upstream ${kind}`, status, retryAfter);

describe('ResilientDispatcher', () => {
  it('tries deployments in priority order and returns the first success', async () => {
    const t = setup();
    const result = await t.dispatcher.dispatch(
      t.context(),
      t.call(() => 'ok'),
      t.signal,
    );
    expect(result.value).toBe('ok');
    expect(t.calls).toEqual(['a/m']);
  });

  it('moves on to the next provider at once after a 5xx, then follows the fallback chain', async () => {
    const t = setup({ chain: true });
    const result = await t.dispatcher.dispatch(
      t.context(),
      t.call((p) => (p === 'c' ? 'from chain' : fail('server', 500))),
      t.signal,
    );
    expect(result.value).toBe('from chain');
    expect(t.calls).toEqual(['a/m', 'b/m', 'c/alt']);
    expect(result.attempts.map((a) => a.outcome)).toEqual(['server', 'server', 'ok']);
    expect(t.sleeps).toEqual([]);
  });

  it('retries another round after a jittered backoff that honours Retry-After', async () => {
    const t = setup();
    let n = 0;
    const result = await t.dispatcher.dispatch(
      t.context(),
      t.call(() => (n++ < 2 ? fail('rate_limited', 429, 2) : 'ok')),
      t.signal,
    );
    expect(result.value).toBe('ok');
    expect(t.sleeps).toEqual([2_000]);
  });

  it('does not try a target again after it refused the key or the model, in later rounds either', async () => {
    const t = setup({ maxRetries: 2 });
    let b = 0;
    const result = await t.dispatcher.dispatch(
      t.context(),
      t.call((p) => (p === 'a' ? fail('auth', 401) : b++ < 1 ? fail('server', 503) : 'ok')),
      t.signal,
    );
    expect(result.value).toBe('ok');
    expect(t.calls).toEqual(['a/m', 'b/m', 'b/m']);
    expect(t.sleeps).toHaveLength(1);
  });

  it('stops retrying once every target refused the key or the model', async () => {
    const t = setup({ maxRetries: 3 });
    await expect(
      t.dispatcher.dispatch(
        t.context(),
        t.call(() => fail('not_found', 404)),
        t.signal,
      ),
    ).rejects.toBeDefined();
    expect(t.calls).toEqual(['a/m', 'b/m']);
    expect(t.sleeps).toEqual([]);
  });

  it('gives up with the right error after all rounds', async () => {
    const t = setup();
    await expect(
      t.dispatcher.dispatch(
        t.context(),
        t.call(() => fail('timeout')),
        t.signal,
      ),
    ).rejects.toMatchObject({
      status: 504,
      code: 'upstream_timeout',
    });
    expect(t.calls).toHaveLength(4);
    const limited = setup();
    await expect(
      limited.dispatcher.dispatch(
        limited.context(),
        limited.call(() => fail('rate_limited', 429, 60)),
        limited.signal,
      ),
    ).rejects.toMatchObject({ status: 429, code: 'upstream_rate_limited', headers: { 'retry-after': '60' } });
    // A Retry-After beyond what we hold a request for is not waited for.
    expect(limited.sleeps).toEqual([]);
  });

  it('does not retry client errors', async () => {
    const t = setup();
    await expect(
      t.dispatcher.dispatch(
        t.context(),
        t.call(() => fail('bad_request', 422)),
        t.signal,
      ),
    ).rejects.toMatchObject({
      status: 422,
      code: 'upstream_bad_request',
    });
    expect(t.calls).toEqual(['a/m']);
  });

  it('skips a provider whose circuit is open, and answers 503 when all are open', async () => {
    const t = setup({ maxRetries: 0 });
    for (let i = 0; i < 2; i++) {
      await t.dispatcher.dispatch(
        t.context(),
        t.call((p) => (p === 'a' ? fail('server', 500) : 'b')),
        t.signal,
      );
    }
    t.calls.length = 0;
    await t.dispatcher.dispatch(
      t.context(),
      t.call(() => 'ok'),
      t.signal,
    );
    expect(t.calls).toEqual(['b/m']);
    t.breakers.failure('b/m', 'call');
    t.breakers.failure('b/m', 'call');
    const error = await t.dispatcher
      .dispatch(
        t.context(),
        t.call(() => 'ok'),
        t.signal,
      )
      .catch((e: GatewayHttpError) => e);
    expect(error).toMatchObject({ status: 503, code: 'provider_unavailable' });
  });

  it('retries a context overflow once on a larger-window model', async () => {
    const t = setup();
    const ctx = t.context('small');
    const result = await t.dispatcher.dispatch(
      ctx,
      t.call((_p, m) => (m === 'small' ? fail('context_overflow', 400) : 'fits')),
      t.signal,
    );
    expect(result.value).toBe('fits');
    expect(t.calls).toEqual(['a/small', 'b/big']);
    expect(ctx.contextFallback).toEqual({
      original_model: 'small',
      fallback_model: 'big',
      reason: 'context_length_exceeded',
    });
  });

  it('stops when the client is gone', async () => {
    const t = setup();
    const controller = new AbortController();
    controller.abort();
    await expect(
      t.dispatcher.dispatch(
        t.context(),
        t.call(() => 'ok'),
        controller.signal,
      ),
    ).rejects.toBeInstanceOf(ClientAbortedError);
  });
});
