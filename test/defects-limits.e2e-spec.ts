import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { APIError } from 'openai';

import { TIERS, type Tier } from '../src/common/tiers';
import { listenOnRandomPort, startTestApp } from './support/app';
import { createUserAndLogin } from './support/auth';
import { useDefectsHarness } from './support/defects';
import { publishConfig, seedKey, seedProvider, seedTenant, type SeededTenant } from './support/gateway';
import { replies } from './support/mock-upstream';
import { startTestRedis, type TestRedis } from './support/redis';

const ARCHITECTURE = 'Design a multi-region event-driven architecture for our payment platform';
const tierIndex = (tier: string): number => TIERS.indexOf(tier as Tier);

/**
 * seed-system.md §11, limits items (13 budgets and quotas, 19 rate limits and breaker, 21 keys and
 * portal): each describe block is named after the reference system's defect and proves through the
 * admin API and the gateway (two pods sharing Redis where it matters) that it is absent.
 */
describe('reference defect list (seed-system.md §11): limits, budgets, keys', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  const h = useDefectsHarness({
    env: () => ({
      REDIS_URL: redis.url,
      GATEWAY_RETRY_MAX_RETRIES: '0',
      GATEWAY_BREAKER_FAILURE_THRESHOLD: '2',
      GATEWAY_BREAKER_COOLDOWN_MS: '600000',
    }),
  });
  afterAll(async () => {
    await redis?.stop();
  });

  const chat = async (key: string, model: string, content = 'hi') => {
    const { data, response } = await h
      .client(key)
      .chat.completions.create({ model, messages: [{ role: 'user', content }] })
      .withResponse();
    return { data, headers: response.headers, upstreamModel: h.mock.requests.at(-1)?.model };
  };
  /** Spends `usd` of a tenant's budget with one request on micro-model (0.1 USD per 1M input tokens). */
  const spend = async (key: string, usd: number) => {
    h.mock.script({
      times: 1,
      reply: replies.text('ok', { usage: { promptTokens: usd * 1e7, completionTokens: 0 } }),
    });
    await chat(key, 'micro-model');
  };
  /** The SDK's error for a request the gateway must refuse. */
  const refusal = (request: Promise<unknown>): Promise<APIError> =>
    request.then(
      () => {
        throw new Error('the gateway answered instead of refusing');
      },
      (error: APIError) => error,
    );
  const seconds = (until: Date) => Math.ceil((until.getTime() - Date.now()) / 1000);

  describe('§11.13 auto_economy relabels only; "daily" spans two days; blockTiers lists "premium"; guard reads registry tiers; months are +30 days', () => {
    it('the budget guard routes to a cheaper model, not only a cheaper tier label', async () => {
      const free = await seedTenant(h.app, [h.provider.id]);
      const guarded = await seedTenant(h.app, [h.provider.id], {
        budgets: { dailyUsd: 0.01, weeklyUsd: 0, monthlyUsd: 0, enforcement: 'hard_block' },
        budgetGuard: { enabled: true, thresholdPct: 50, costMode: 'economy', blockedTiers: [] },
      });
      await publishConfig(h.app);
      const normal = await chat(free.key, 'auto', ARCHITECTURE);
      await spend(guarded.key, 0.006);
      const economised = await chat(guarded.key, 'auto', ARCHITECTURE);
      const tier = economised.headers.get('x-prism-tier') ?? '';
      expect(tierIndex(tier)).toBeLessThan(tierIndex(normal.headers.get('x-prism-tier') ?? ''));
      expect(economised.upstreamModel).toBe(`${tier}-model`);
      expect(economised.headers.get('x-prism-budget-warning')).toMatch(/budget guard active/);
    });

    it('a daily budget ends at midnight UTC and a monthly quota on the first of the next month', async () => {
      const capped = await seedTenant(h.app, [h.provider.id], {
        budgets: { dailyUsd: 0.001, weeklyUsd: 0, monthlyUsd: 0, enforcement: 'hard_block' },
      });
      const monthly = await seedTenant(h.app, [h.provider.id], {
        quotas: [{ type: 'requests_monthly', limit: 1, enforcement: 'hard_block' }],
      });
      await publishConfig(h.app);
      const now = new Date();
      const midnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
      const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));

      await spend(capped.key, 0.002);
      const day = await refusal(chat(capped.key, 'micro-model'));
      expect(day).toMatchObject({ status: 429, code: 'budget_exceeded' });
      expect(Number(day.headers?.get('retry-after'))).toBeCloseTo(seconds(midnight), -1);

      await chat(monthly.key, 'micro-model');
      const month = await refusal(chat(monthly.key, 'micro-model'));
      expect(month).toMatchObject({ status: 429, code: 'quota_exceeded' });
      expect(month.message).toContain(nextMonth.toISOString());
      expect(Number(month.headers?.get('retry-after'))).toBeCloseTo(seconds(nextMonth), -1);
    });

    it('a new tenant blocks only real tiers, and an unknown tier is refused', async () => {
      const created = await h.admin$('POST', 'tenants', { slug: 'guard-defaults', name: 'Guard defaults' });
      expect(created.statusCode).toBe(201);
      const { budgetGuard } = created.json<{ id: string; budgetGuard: { blockedTiers: string[] } }>();
      expect(budgetGuard.blockedTiers.length).toBeGreaterThan(0);
      for (const tier of budgetGuard.blockedTiers) expect(TIERS).toContain(tier);
      const premium = await h.admin$('PATCH', `tenants/${created.json<{ id: string }>().id}`, {
        budgetGuard: { ...budgetGuard, blockedTiers: ['premium'] },
      });
      expect(premium.statusCode).toBe(400);
    });

    it('the budget guard blocks by the tier an admin set on the model', async () => {
      const guarded = await seedTenant(h.app, [h.provider.id], {
        budgets: { dailyUsd: 0.01, weeklyUsd: 0, monthlyUsd: 0, enforcement: 'hard_block' },
        budgetGuard: { enabled: true, thresholdPct: 50, costMode: 'balanced', blockedTiers: ['high'] },
      });
      await publishConfig(h.app);
      await spend(guarded.key, 0.006);
      await expect(chat(guarded.key, 'low-model')).resolves.toMatchObject({ upstreamModel: 'low-model' });

      const list = await h.admin$('GET', 'models?search=low-model');
      const model = list
        .json<{ items: { id: string; modelId: string }[] }>()
        .items.find((m) => m.modelId === 'low-model');
      expect((await h.admin$('PATCH', `models/${model?.id}`, { tier: 'high' })).statusCode).toBe(200);
      await expect(chat(guarded.key, 'low-model')).rejects.toMatchObject({
        status: 429,
        code: 'budget_guard_tier_blocked',
      });
      await h.admin$('PATCH', `models/${model?.id}`, { tier: 'low' });
    });
  });

  describe('§11.19 per-pod fixed-window tenant limit; tokensPerMinute not enforced; breaker per pod and fixed', () => {
    let second: NestFastifyApplication;
    let secondUrl: string;
    beforeAll(async () => {
      second = await startTestApp({ NODE_ROLE: 'worker', REDIS_URL: redis.url });
      secondUrl = await listenOnRandomPort(second);
    });
    afterAll(async () => {
      await second?.close();
    });
    const post = (url: string, key: string, model = 'micro-model') =>
      fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
      });

    it('two pods together admit exactly the tenant limit', async () => {
      const limited = await seedTenant(h.app, [h.provider.id], {
        rateLimit: { requestsPerMinute: 4, tokensPerMinute: 0 },
      });
      await publishConfig(h.app);
      await publishConfig(second);
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await post(i % 2 ? secondUrl : h.base, limited.key)).status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(4);
      expect(statuses.filter((s) => s === 429)).toHaveLength(4);
    });

    it('tokensPerMinute refuses requests once the tokens of the minute are used', async () => {
      const limited = await seedTenant(h.app, [h.provider.id], {
        rateLimit: { requestsPerMinute: 0, tokensPerMinute: 50 },
      });
      await publishConfig(h.app);
      h.mock.script({ reply: replies.text('ok', { usage: { promptTokens: 40, completionTokens: 20 } }) });
      expect((await post(h.base, limited.key)).status).toBe(200);
      const refused = await post(h.base, limited.key);
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
    });

    it('the breaker takes its threshold from the configuration and is shared by the pods', async () => {
      const failing = await seedProvider(h.app, h.mock.url, [{ id: 'fail-500' }]);
      const tenant = await seedTenant(h.app, [failing.id]);
      await publishConfig(h.app);
      await publishConfig(second);
      // GATEWAY_BREAKER_FAILURE_THRESHOLD=2 on the first pod; the second pod keeps the default (5).
      expect((await post(h.base, tenant.key, 'fail-500')).status).toBe(502);
      expect((await post(h.base, tenant.key, 'fail-500')).status).toBe(502);
      await new Promise((r) => setTimeout(r, 300)); // Redis pub/sub to the other pod
      expect((await post(secondUrl, tenant.key, 'fail-500')).status).toBe(503);
      expect(h.mock.requests.filter((r) => r.model === 'fail-500')).toHaveLength(2);
    });
  });

  describe("§11.21 the legacy key's enabled flag and expiry gate every key; the portal refuses tenant-maintainers", () => {
    let tenant: SeededTenant;
    beforeAll(async () => {
      tenant = await seedTenant(h.app, [h.provider.id]);
      await publishConfig(h.app);
    });

    it("a key's enabled flag and expiry gate that key only", async () => {
      const spare = await seedKey(h.app, tenant.id);
      const expired = await seedKey(h.app, tenant.id, { expiresAt: new Date(Date.now() - 60_000) });
      await publishConfig(h.app);
      const disabled = await h.admin$('POST', `tenants/${tenant.id}/keys/${tenant.keyId}/disable`);
      expect(disabled.statusCode).toBe(200);
      await expect(chat(tenant.key, 'micro-model')).rejects.toMatchObject({
        status: 401,
        code: 'key_disabled',
      });
      await expect(chat(expired.key, 'micro-model')).rejects.toMatchObject({
        status: 401,
        code: 'key_expired',
      });
      await expect(chat(spare.key, 'micro-model')).resolves.toMatchObject({ upstreamModel: 'micro-model' });
    });

    it.each(['tenant-admin', 'tenant-viewer'] as const)(
      'the portal serves a %s their tenant',
      async (role) => {
        const token = await createUserAndLogin(h.app, role, { tenantIds: [tenant.id] });
        const list = await h.inject('GET', '/api/prism/portal/tenants', token);
        expect(list.statusCode).toBe(200);
        expect(list.body).toContain(tenant.id);
        expect((await h.inject('GET', `/api/prism/portal/tenants/${tenant.id}/keys`, token)).statusCode).toBe(
          200,
        );
      },
    );
  });
});
