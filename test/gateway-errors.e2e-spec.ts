import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import OpenAI from 'openai';

import { GatewaySettings } from '../src/modules/gateway/gateway.settings';
import { listenOnRandomPort, startTestApp } from './support/app';
import {
  publishConfig,
  seedKey,
  seedProvider,
  seedTenant,
  type SeededProvider,
  type SeededTenant,
} from './support/gateway';
import { type MockUpstream, replies, startMockUpstream } from './support/mock-upstream';

interface ErrorBody {
  error: { message: string; type: string; code: string; param: string | null };
}

describe('gateway: every error is OpenAI-shaped with the documented code', () => {
  let app: NestFastifyApplication;
  let mock: MockUpstream;
  let baseUrl: string;
  let provider: SeededProvider;
  let tenant: SeededTenant;

  beforeAll(async () => {
    mock = await startMockUpstream();
    app = await startTestApp({ NODE_ROLE: 'worker' });
    app.get(GatewaySettings).retry = { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2000 };
    baseUrl = await listenOnRandomPort(app);
    provider = await seedProvider(app, mock.url, [
      { id: 'gpt-4o-mini', contextWindow: 8_000, maxOutputTokens: 1_000 },
      { id: 'fail-500', priority: 10 },
      { id: 'hang' },
      { id: 'fail-429' },
      { id: 'premium-model', tier: 'high' },
      { id: 'emb', embeddings: true },
      { id: 'slow-800' },
    ]);
    const slowProvider = await seedProvider(app, mock.url, [{ id: 'slow-model' }], {
      options: { timeoutMs: 300 },
    });
    tenant = await seedTenant(app, [provider.id, slowProvider.id]);
    await publishConfig(app);
  });
  afterAll(async () => {
    await app.close();
    await mock.close();
  });
  beforeEach(() => mock.reset());

  async function call(
    path: string,
    init: {
      key?: string | null;
      body?: unknown;
      rawBody?: string;
      contentType?: string;
      method?: string;
    } = {},
  ): Promise<{ status: number; body: ErrorBody; headers: Headers }> {
    const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/json' };
    const key = init.key === undefined ? tenant.key : init.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    const response = await fetch(baseUrl + path, {
      method: init.method ?? 'POST',
      headers,
      body:
        init.method === 'GET'
          ? undefined
          : (init.rawBody ??
            JSON.stringify(
              init.body ?? { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] },
            )),
    });
    return { status: response.status, body: (await response.json()) as ErrorBody, headers: response.headers };
  }

  const chat = (model: string, extra: Record<string, unknown> = {}): unknown => ({
    model,
    messages: [{ role: 'user', content: 'hello' }],
    ...extra,
  });

  function expectError(
    result: { status: number; body: ErrorBody },
    status: number,
    code: string,
    type?: string,
  ): void {
    expect({ status: result.status, code: result.body.error?.code }).toEqual({ status, code });
    expect(typeof result.body.error.message).toBe('string');
    if (type) expect(result.body.error.type).toBe(type);
  }

  describe('authentication (401)', () => {
    it('missing_api_key', async () => {
      expectError(
        await call('/v1/chat/completions', { key: null }),
        401,
        'missing_api_key',
        'authentication_error',
      );
    });

    it('invalid_api_key for an unknown key, and for a key of another tenant on /api/:tenant/v1', async () => {
      expectError(
        await call('/v1/chat/completions', { key: 'omp-' + '0'.repeat(64) }),
        401,
        'invalid_api_key',
      );
      const other = await seedTenant(app, [provider.id]);
      await publishConfig(app);
      expectError(
        await call(`/api/${tenant.slug}/v1/chat/completions`, { key: other.key }),
        401,
        'invalid_api_key',
      );
    });

    it('key_disabled and key_expired', async () => {
      const disabled = await seedKey(app, tenant.id, { enabled: false });
      const expired = await seedKey(app, tenant.id, { expiresAt: new Date(Date.now() - 1000) });
      await publishConfig(app);
      expectError(await call('/v1/chat/completions', { key: disabled.key }), 401, 'key_disabled');
      expectError(await call('/v1/chat/completions', { key: expired.key }), 401, 'key_expired');
    });

    it('tenant_disabled', async () => {
      const off = await seedTenant(app, [provider.id], { active: false });
      await publishConfig(app);
      expectError(await call('/v1/chat/completions', { key: off.key }), 401, 'tenant_disabled');
    });

    it('answers 401 before looking at the body (no key or a bad key with an invalid body)', async () => {
      const emptyMessages = { model: 'gpt-4o-mini', messages: [] };
      expectError(
        await call('/v1/chat/completions', { key: null, body: emptyMessages }),
        401,
        'missing_api_key',
      );
      expectError(
        await call('/v1/chat/completions', { key: 'omp-' + '1'.repeat(64), body: { messages: 'nope' } }),
        401,
        'invalid_api_key',
      );
      expectError(await call('/v1/embeddings', { key: null, body: {} }), 401, 'missing_api_key');
      // The Anthropic ingress answers in Anthropic's shape, still 401 before the body.
      const messages = await call('/v1/messages', {
        key: null,
        body: { model: 'x', max_tokens: 1, messages: [] },
      });
      expect({ status: messages.status, type: messages.body.error.type }).toEqual({
        status: 401,
        type: 'authentication_error',
      });
      // With a valid key the same body is a clear 400.
      expectError(await call('/v1/chat/completions', { body: emptyMessages }), 400, 'invalid_request');
    });

    it('the OpenAI SDK surfaces it as an AuthenticationError', async () => {
      const client = new OpenAI({ apiKey: 'omp-nope', baseURL: `${baseUrl}/v1`, maxRetries: 0 });
      await expect(client.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    });
  });

  describe('bad requests (4xx, never 500)', () => {
    it('invalid JSON, wrong content type, missing fields', async () => {
      expectError(await call('/v1/chat/completions', { rawBody: '{"model":' }), 400, 'invalid_request');
      const text = await call('/v1/chat/completions', { rawBody: 'hello', contentType: 'text/plain' });
      expect([400, 415]).toContain(text.status);
      expect(text.body.error.type).toBe('invalid_request_error');
      const noMessages = await call('/v1/chat/completions', { body: { model: 'gpt-4o-mini' } });
      expectError(noMessages, 400, 'invalid_request', 'invalid_request_error');
      expect(noMessages.body.error.param).toBe('messages');
      const badRole = await call('/v1/chat/completions', {
        body: chat('gpt-4o-mini', { messages: [{ role: 'robot' }] }),
      });
      expect(badRole.body.error.param).toBe('messages[0].role');
      expectError(await call('/v1/chat/completions', { body: { messages: [] } }), 400, 'invalid_request');
      expectError(
        await call('/v1/chat/completions', { body: chat('gpt-4o-mini', { max_tokens: -5 }) }),
        400,
        'invalid_request',
      );
      expectError(
        await call('/v1/embeddings', { body: { model: 'auto', input: 'x' } }),
        400,
        'invalid_request',
      );
      expect(mock.requests).toHaveLength(0);
    });

    it('unknown gateway routes are 404 in OpenAI shape', async () => {
      const res = await call('/v1/responses', { body: {} });
      expect(res.status).toBe(404);
      expect(res.body.error.type).toBe('not_found_error');
      expect((await call('/api/prism/v1/chat/completions')).status).toBe(404);
    });

    it('model_not_found (404) and model_not_allowed (403)', async () => {
      expectError(
        await call('/v1/chat/completions', { body: chat('no-such-model') }),
        404,
        'model_not_found',
      );
      const limited = await seedTenant(app, [provider.id], {
        modelAccess: { mode: 'whitelist', list: ['gpt-4o-mini'] },
      });
      await publishConfig(app);
      const denied = await call('/v1/chat/completions', { key: limited.key, body: chat('premium-model') });
      expectError(denied, 403, 'model_not_allowed', 'permission_error');
      const list = await fetch(`${baseUrl}/v1/models`, {
        headers: { authorization: `Bearer ${limited.key}` },
      });
      const ids = ((await list.json()) as { data: { id: string }[] }).data.map((m) => m.id);
      expect(ids).toContain('gpt-4o-mini');
      expect(ids).not.toContain('premium-model');
    });

    it('context_length_exceeded when no model can hold the prompt', async () => {
      // ~150k tokens: more than any model of this provider holds (the largest has 128k).
      const prompt = 'x'.repeat(600_000);
      const res = await call('/v1/chat/completions', {
        body: chat('gpt-4o-mini', { messages: [{ role: 'user', content: prompt }] }),
      });
      expectError(res, 400, 'context_length_exceeded', 'invalid_request_error');
      expect(mock.requests).toHaveLength(0);
    });

    it("passes the upstream's own 4xx through without retrying", async () => {
      mock.script({
        reply: replies.error(400, 'temperature must be <= 2', { type: 'invalid_request_error' }),
      });
      const res = await call('/v1/chat/completions', { body: chat('gpt-4o-mini', { temperature: 5 }) });
      expectError(res, 400, 'upstream_bad_request');
      expect(res.body.error.message).toContain('temperature must be <= 2');
      expect(mock.requests).toHaveLength(1);
    });
  });

  describe('limits (429)', () => {
    it('rate_limit_exceeded with Retry-After and x-ratelimit headers', async () => {
      const limited = await seedTenant(app, [provider.id], {
        rateLimit: { requestsPerMinute: 2, tokensPerMinute: 0 },
      });
      await publishConfig(app);
      mock.script({ reply: replies.text('ok') });
      const first = await call('/v1/chat/completions', { key: limited.key });
      expect(first.status).toBe(200);
      expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2');
      expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
      expect((await call('/v1/chat/completions', { key: limited.key })).status).toBe(200);
      const refused = await call('/v1/chat/completions', { key: limited.key });
      expectError(refused, 429, 'rate_limit_exceeded', 'rate_limit_error');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0');
      expect(refused.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+s$/);
      const sdk = new OpenAI({ apiKey: limited.key, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
      await expect(
        sdk.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
      ).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    });

    it('tokens per minute: refused once the minute has used them', async () => {
      const limited = await seedTenant(app, [provider.id], {
        rateLimit: { requestsPerMinute: 0, tokensPerMinute: 50 },
      });
      await publishConfig(app);
      mock.script({ reply: replies.text('ok', { usage: { promptTokens: 40, completionTokens: 20 } }) });
      const first = await call('/v1/chat/completions', { key: limited.key });
      expect(first.status).toBe(200);
      expect(first.headers.get('x-ratelimit-limit-tokens')).toBe('50');
      expectError(await call('/v1/chat/completions', { key: limited.key }), 429, 'rate_limit_exceeded');
    });

    it('budget_exceeded once the daily budget is spent, with Retry-After to the end of the day', async () => {
      const capped = await seedTenant(app, [provider.id], {
        budgets: { dailyUsd: 0.000001, weeklyUsd: 0, monthlyUsd: 0, enforcement: 'hard_block' },
      });
      await publishConfig(app);
      mock.script({ reply: replies.text('ok', { usage: { promptTokens: 1000, completionTokens: 1000 } }) });
      expect((await call('/v1/chat/completions', { key: capped.key })).status).toBe(200);
      const blocked = await call('/v1/chat/completions', { key: capped.key });
      expectError(blocked, 429, 'budget_exceeded', 'budget_exceeded');
      expect(blocked.body.error.message).toMatch(/daily budget/);
      const retryAfter = Number(blocked.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(86_400);
    });

    it('soft_warning budgets let requests through with a warning header', async () => {
      const soft = await seedTenant(app, [provider.id], {
        budgets: { dailyUsd: 0.000001, weeklyUsd: 0, monthlyUsd: 0, enforcement: 'soft_warning' },
      });
      await publishConfig(app);
      mock.script({ reply: replies.text('ok', { usage: { promptTokens: 1000, completionTokens: 1000 } }) });
      await call('/v1/chat/completions', { key: soft.key });
      const warned = await call('/v1/chat/completions', { key: soft.key });
      expect(warned.status).toBe(200);
      expect(warned.headers.get('x-prism-budget-warning')).toMatch(/daily budget exceeded/);
    });

    it('quota_exceeded for request quotas', async () => {
      const quota = await seedTenant(app, [provider.id], {
        quotas: [{ type: 'requests_daily', limit: 1, enforcement: 'hard_block' }],
      });
      await publishConfig(app);
      mock.script({ reply: replies.text('ok') });
      expect((await call('/v1/chat/completions', { key: quota.key })).status).toBe(200);
      expectError(
        await call('/v1/chat/completions', { key: quota.key }),
        429,
        'quota_exceeded',
        'quota_exceeded',
      );
    });

    it('budget guard blocks the configured tiers near the limit', async () => {
      const guarded = await seedTenant(app, [provider.id], {
        budgets: { dailyUsd: 0.01, weeklyUsd: 0, monthlyUsd: 0, enforcement: 'hard_block' },
        budgetGuard: { enabled: true, thresholdPct: 50, costMode: 'economy', blockedTiers: ['high'] },
      });
      await publishConfig(app);
      mock.script({ reply: replies.text('ok', { usage: { promptTokens: 3000, completionTokens: 1000 } }) });
      expect((await call('/v1/chat/completions', { key: guarded.key })).status).toBe(200);
      expectError(
        await call('/v1/chat/completions', { key: guarded.key, body: chat('premium-model') }),
        429,
        'budget_guard_tier_blocked',
      );
      expect((await call('/v1/chat/completions', { key: guarded.key })).status).toBe(200);
    });
  });

  describe('upstream failures', () => {
    it('502 upstream_error when every attempt fails', async () => {
      const res = await call('/v1/chat/completions', { body: chat('fail-500') });
      expectError(res, 502, 'upstream_error', 'upstream_error');
      expect(res.body.error.message).toMatch(/after 2 attempts/);
    });

    it('504 upstream_timeout when the provider does not answer within its timeout', async () => {
      mock.script({ model: 'slow-model', reply: replies.hang() });
      const started = Date.now();
      const timedOut = await call('/v1/chat/completions', { body: chat('slow-model') });
      expectError(timedOut, 504, 'upstream_timeout', 'timeout_error');
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    it('503 overloaded at once when the pod is at its in-flight limit (never a timeout)', async () => {
      const settings = app.get(GatewaySettings);
      settings.maxInFlight = 1;
      try {
        const slow = call('/v1/chat/completions', { body: chat('slow-800') });
        await mock.waitForRequests(1, 2_000);
        const started = Date.now();
        const refused = await call('/v1/chat/completions');
        expectError(refused, 503, 'overloaded', 'service_unavailable');
        expect(refused.headers.get('retry-after')).toBe('1');
        expect(Date.now() - started).toBeLessThan(500);
        expect((await slow).status).toBe(200);
      } finally {
        settings.maxInFlight = 4_096;
      }
    });

    it('429 upstream_rate_limited when the provider keeps pushing back', async () => {
      const res = await call('/v1/chat/completions', { body: chat('fail-429') });
      expectError(res, 429, 'upstream_rate_limited', 'rate_limit_error');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    });
  });
});
