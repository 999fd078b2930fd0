import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';

import { TIERS, type Tier } from '../src/common/tiers';
import { DEFAULT_RULE_SET } from '../src/modules/routing/data';
import type { RuleSet } from '../src/modules/routing/engine/routing.types';
import { defaultTenantSettings } from '../src/modules/tenants/tenant-defaults';
import { startTestApp } from './support/app';
import { bearer } from './support/auth';
import { tierModels, useDefectsHarness } from './support/defects';
import { publishConfig, seedProvider, seedTenant, type SeededTenant } from './support/gateway';
import { replies } from './support/mock-upstream';

const ROUTING = defaultTenantSettings().routing;

interface AutoRouting {
  category: string | null;
  tier: string;
  model_id: string;
  overrides: { code: string; from: string; to: string }[];
}

/**
 * seed-system.md §11, routing items (11, 12, 14, 15, 16): each describe block is named after the
 * reference system's defect and proves, through the admin API and the gateway, that it is absent.
 */
describe('reference defect list (seed-system.md §11): routing', () => {
  const h = useDefectsHarness({
    models: [
      ...tierModels(),
      { id: 'medium-alt', tier: 'medium', inputPer1M: 5, outputPer1M: 20 },
      { id: 'medium-hidden', tier: 'medium', visible: false },
      { id: 'classifier-model', tier: 'micro', inputPer1M: 0.05, outputPer1M: 0.1, priority: 1 },
    ],
  });
  let tenant: SeededTenant;
  let other: SeededTenant;

  beforeAll(async () => {
    tenant = await seedTenant(h.app, [h.provider.id]);
    other = await seedTenant(h.app, [h.provider.id]);
    await publishConfig(h.app);
    // Custom categories the tenant rule sets below send keywords to.
    for (const [key, tier] of [
      ['defect_desk', 'medium'],
      ['defect_defaults', 'medium'],
    ] as const) {
      expect((await h.admin$('POST', 'categories', { key, name: key, tier })).statusCode).toBe(201);
    }
  });

  /** An `auto` chat request through the SDK; the routing block and the model the upstream saw. */
  async function route(
    key: string,
    content: ChatCompletionCreateParamsNonStreaming['messages'][number]['content'],
    extra: Partial<ChatCompletionCreateParamsNonStreaming> = {},
  ): Promise<AutoRouting & { upstreamModel: string }> {
    const data = await h
      .client(key)
      .chat.completions.create({ model: 'auto', messages: [{ role: 'user', content }], ...extra } as never);
    const routing = (data as unknown as { auto_routing: AutoRouting }).auto_routing;
    const upstream = h.mock.requests.filter((r) => r.model !== 'classifier-model').at(-1);
    return { ...routing, upstreamModel: upstream?.model ?? '' };
  }

  /** The default rule set with changes, as a tenant's own rule set. */
  async function putTenantRules(target: SeededTenant, changes: Partial<RuleSet>): Promise<void> {
    const ruleSet = { ...structuredClone(DEFAULT_RULE_SET), name: `rules of ${target.slug}`, ...changes };
    const res = await h.admin$('PUT', `routing/rule-sets/tenants/${target.slug}`, ruleSet);
    expect(res.statusCode).toBe(200);
  }

  const keywordRule = (keyword: string, category: string) => ({
    name: `${keyword} → ${category}`,
    keywords: [keyword],
    match: 'any' as const,
    minMatches: 1,
    searchIn: 'user' as const,
    category,
    confidence: 0.99,
  });

  describe('§11.11 rule-set cache global, not per tenant; categories, tenant and provider caches never invalidated', () => {
    it("a tenant's rule set routes that tenant's requests only", async () => {
      await putTenantRules(tenant, { keywordRules: [keywordRule('zanzibar protocol', 'defect_desk')] });
      const prompt = 'Write three lines about the zanzibar protocol for our newsletter';
      expect((await route(tenant.key, prompt)).category).toBe('defect_desk');
      expect((await route(other.key, prompt)).category).not.toBe('defect_desk');
    });

    it('a category edit applies to the very next request', async () => {
      const prompt = 'Write three lines about the zanzibar protocol for our newsletter';
      expect((await route(tenant.key, prompt)).tier).toBe('medium');
      expect((await h.admin$('PATCH', 'categories/defect_desk', { tier: 'advanced' })).statusCode).toBe(200);
      const after = await route(tenant.key, prompt);
      expect(after).toMatchObject({
        category: 'defect_desk',
        tier: 'advanced',
        upstreamModel: 'advanced-model',
      });
    });

    it('a tenant or provider change through the admin API applies to the very next request', async () => {
      const solo = await seedProvider(h.app, h.mock.url, [{ id: 'solo-model' }]);
      const own = await seedTenant(h.app, [solo.id]);
      await publishConfig(h.app);
      const ask = () =>
        h
          .client(own.key)
          .chat.completions.create({ model: 'solo-model', messages: [{ role: 'user', content: 'hi' }] });
      await expect(ask()).resolves.toMatchObject({ model: 'solo-model' });

      expect((await h.admin$('PATCH', `providers/${solo.id}`, { enabled: false })).statusCode).toBe(200);
      await expect(ask()).rejects.toMatchObject({ status: expect.any(Number) });
      expect((await h.admin$('PATCH', `providers/${solo.id}`, { enabled: true })).statusCode).toBe(200);
      await expect(ask()).resolves.toMatchObject({ model: 'solo-model' });

      expect((await h.admin$('PATCH', `tenants/${own.id}`, { active: false })).statusCode).toBe(200);
      await expect(ask()).rejects.toMatchObject({ status: 401, code: 'tenant_disabled' });
    });
  });

  describe('§11.12 confidence_fallback downgrades high/critical decisions; overrides overwrite each other', () => {
    it('the low-confidence floor raises, never lowers, a higher decision', async () => {
      const unsure = await seedTenant(h.app, [h.provider.id], {
        routing: { ...ROUTING, overrides: { lowConfidenceThreshold: 1 } },
      });
      await publishConfig(h.app);
      const routed = await route(
        unsure.key,
        'Design a multi-region event-driven architecture for our payment platform with zero downtime migration',
      );
      expect(['advanced', 'high', 'ultra', 'critical']).toContain(routed.tier);
      for (const override of routed.overrides) {
        expect(TIER_INDEX(override.to)).toBeGreaterThan(TIER_INDEX(override.from));
      }
    });

    it('every override that applies is recorded, in order', async () => {
      const routed = await route(
        tenant.key,
        [
          { type: 'text', text: 'hi' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
        {
          tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
        },
      );
      const codes = routed.overrides.map((o) => o.code);
      expect(codes).toEqual(expect.arrayContaining(['vision_upgrade', 'tool_call_upgrade']));
      expect(codes.indexOf('vision_upgrade')).toBeLessThan(codes.indexOf('tool_call_upgrade'));
      expect(TIER_INDEX(routed.tier)).toBeGreaterThanOrEqual(TIER_INDEX('medium'));
    });
  });

  describe('§11.14 TIER_ORDER with minimal before micro; no classifier "summary" strategy; contextLimitTokens ignored', () => {
    it('micro is cheaper than minimal everywhere: forced routing moves a title request down, caps a big one', async () => {
      const forced = await seedTenant(h.app, [h.provider.id], {
        routing: { ...ROUTING, strictness: 'all' },
      });
      await publishConfig(h.app);
      const ask = async (content: string) => {
        const { response } = await h
          .client(forced.key)
          .chat.completions.create({ model: 'minimal-model', messages: [{ role: 'user', content }] })
          .withResponse();
        return { model: response.headers.get('x-prism-model'), tier: response.headers.get('x-prism-tier') };
      };
      expect(await ask('Generate a short title for this chat: we talked about hiking in the Alps')).toEqual({
        model: 'micro-model',
        tier: 'micro',
      });
      const big = await ask(
        'Design a multi-region event-driven architecture for our payment platform with zero downtime migration',
      );
      expect(big.model).toBe('minimal-model');
    });

    it('the summary strategy collapses earlier code, and contextLimitTokens bounds a large-window classifier', async () => {
      const classified = await seedTenant(h.app, [h.provider.id], {
        routing: {
          ...ROUTING,
          classifierChain: [{ model: 'classifier-model', contextWindow: 200_000 }],
        },
      });
      await publishConfig(h.app);
      const classifierPrompt = () => {
        const request = h.mock.requests.find((r) => r.model === 'classifier-model');
        const messages = (request?.body.messages ?? []) as { role: string; content: string }[];
        return messages.find((m) => m.role === 'user')?.content ?? '';
      };
      h.mock.script({
        model: 'classifier-model',
        reply: replies.text('{"category": "debugging", "confidence": 0.9}'),
      });

      await putTenantRules(classified, {
        classifier: { confidenceThreshold: 1, strategy: 'summary', contextLimitTokens: 6000 },
      });
      const code = Array.from({ length: 40 }, (_, i) => `const value${i} = compute(${i});`).join('\n');
      await h.client(classified.key).chat.completions.create({
        model: 'auto',
        messages: [
          { role: 'user', content: `Here is my module:\n\`\`\`ts\n${code}\n\`\`\`` },
          { role: 'assistant', content: 'Thanks, what should I look at?' },
          { role: 'user', content: 'Why does value7 come out undefined' },
        ],
      });
      expect(classifierPrompt()).toContain('[code ts: ');
      expect(classifierPrompt()).not.toContain('compute(12)');

      h.mock.reset();
      h.mock.script({
        model: 'classifier-model',
        reply: replies.text('{"category": "debugging", "confidence": 0.9}'),
      });
      await putTenantRules(classified, {
        classifier: { confidenceThreshold: 1, strategy: 'truncate', contextLimitTokens: 500 },
      });
      const huge = `Please look into this log. ${'The worker restarted after a timeout. '.repeat(1500)}`;
      await h.client(classified.key).chat.completions.create({
        model: 'auto',
        messages: [{ role: 'user', content: huge }],
      });
      // 500 tokens ≈ 1 750 characters of prose, plus the signals line; the request has 57 000.
      expect(classifierPrompt().length).toBeGreaterThan(0);
      expect(classifierPrompt().length).toBeLessThan(2_500);
    });
  });

  describe('§11.15 category defaultModel used last, fallbackModel unused, built-in tiers reset on restart', () => {
    beforeAll(async () => {
      await putTenantRules(other, { keywordRules: [keywordRule('quokka ledger', 'defect_defaults')] });
    });
    const prompt = 'Write three lines about the quokka ledger for our newsletter';

    it("the category's default model comes first, its fallback model next", async () => {
      expect((await route(other.key, prompt)).upstreamModel).toBe('medium-model');
      const slug = h.provider.slug;
      await h.admin$('PATCH', 'categories/defect_defaults', { defaultModel: `${slug}/medium-alt` });
      expect((await route(other.key, prompt)).upstreamModel).toBe('medium-alt');

      // A hidden default model cannot serve: the fallback model does.
      const patched = await h.admin$('PATCH', 'categories/defect_defaults', {
        defaultModel: `${slug}/medium-hidden`,
        fallbackModel: `${slug}/medium-alt`,
      });
      expect(patched.statusCode).toBe(200);
      expect((await route(other.key, prompt)).upstreamModel).toBe('medium-alt');
    });

    it("an admin's tier for a built-in category survives a restart", async () => {
      expect((await h.admin$('PATCH', 'categories/brainstorming', { tier: 'high' })).statusCode).toBe(200);
      const restarted = await startTestApp({ NODE_ROLE: 'control' });
      try {
        const res = await restarted.inject({
          method: 'GET',
          url: '/api/prism/admin/categories/brainstorming',
          headers: bearer(h.admin.token),
        });
        expect(res.json()).toMatchObject({ key: 'brainstorming', tier: 'high' });
      } finally {
        await restarted.close();
      }
    });
  });

  describe('§11.16 Test Route, synthetic runs and benchmarks re-implement routing (dry run ≠ production)', () => {
    it.each([
      'Translate "good morning" into French',
      'Fix this bug: TypeError: cannot read properties of undefined (reading map) in my React component',
      'Prove that the square root of two is irrational, step by step',
    ])('the dry run decides %j exactly as the gateway does', async (prompt) => {
      const production = await route(tenant.key, prompt);
      const dry = await h.admin$('POST', 'routing/test', { tenant: tenant.slug, prompt });
      expect(dry.statusCode).toBe(200);
      const decision = dry.json<{ category: string | null; tier: string; model: { id: string } | null }>();
      expect({ category: decision.category, tier: decision.tier, model: decision.model?.id }).toEqual({
        category: production.category,
        tier: production.tier,
        model: production.model_id,
      });
    });
  });
});

const TIER_INDEX = (tier: string): number => TIERS.indexOf(tier as Tier);
