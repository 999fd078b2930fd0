import type { ChatCompletionChunk } from 'openai/resources/chat/completions';

import { TIERS } from '../src/common/tiers';
import { defaultTenantSettings } from '../src/modules/tenants/tenant-defaults';
import { tierModels, useDefectsHarness } from './support/defects';
import { publishConfig, seedProvider, seedTenant, type SeededTenant } from './support/gateway';
import { replies } from './support/mock-upstream';

interface CostInfo {
  model: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

const ROUTING = defaultTenantSettings().routing;
const STORY = 'Tell me a story about a lighthouse keeper';
const CLASSIFIER = { id: 'classifier-model', tier: 'micro' as const, inputPer1M: 0.05, outputPer1M: 0.1 };

/**
 * seed-system.md §11, gateway items (17 streams, 18 cost, 20 embeddings, 23 upstream bodies): each
 * describe block is named after the reference system's defect and proves through the gateway, with
 * the official OpenAI SDK, the mock upstream and the request log, that it is absent.
 */
describe('reference defect list (seed-system.md §11): gateway', () => {
  const h = useDefectsHarness({ models: [...tierModels(), { ...CLASSIFIER, priority: 1 }] });
  /** Auto-routes over one model per tier; an LLM classifier is configured (asked when unsure). */
  let routed: SeededTenant;
  /** Names models that misbehave on purpose (mock upstream magic ids), and an embeddings model. */
  let direct: SeededTenant;
  let magicProviderId: string;

  beforeAll(async () => {
    routed = await seedTenant(h.app, [h.provider.id], {
      routing: { ...ROUTING, classifierChain: [{ model: CLASSIFIER.id }] },
    });
    const magic = await seedProvider(h.app, h.mock.url, [
      { id: 'midstream-reset' },
      { id: 'drip-40' },
      { id: 'plain-model', maxOutputTokens: 1_000 },
      { id: 'text-embed', embeddings: true },
    ]);
    magicProviderId = magic.id;
    direct = await seedTenant(h.app, [magic.id]);
    await publishConfig(h.app);
  });

  const user = (content: string) => [{ role: 'user' as const, content }];

  describe('§11.17 streams: retried after partial output, not aborted on disconnect, no routing/cost info, no duration', () => {
    it('a stream that breaks after output ends with an error and is never retried', async () => {
      const stream = await h.client(direct.key).chat.completions.create({
        model: 'midstream-reset',
        stream: true,
        messages: user(STORY),
      });
      let text = '';
      await expect(
        (async () => {
          for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
        })(),
      ).rejects.toThrow();
      expect(h.mock.requests.filter((r) => r.model === 'midstream-reset')).toHaveLength(1);
      // What reached the client is the start of one answer, not two answers spliced together.
      expect(text.length).toBeGreaterThan(0);
      expect(`Mock answer from midstream-reset to: ${STORY}`.startsWith(text)).toBe(true);
    });

    it('a client that disconnects aborts the upstream stream', async () => {
      const stream = await h.client(direct.key).chat.completions.create({
        model: 'drip-40',
        stream: true,
        messages: user('Count slowly. '.repeat(14)),
      });
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta?.content) break; // leaving the loop aborts the SDK's request
      }
      await h.mock.waitFor(() => h.mock.requests[0]?.aborted === true, 5_000);
      expect(h.mock.requests[0]?.done).toBe(true);
    });

    it('an auto-routed stream says how it was routed (headers) and what it cost (usage chunk)', async () => {
      const { data: stream, response } = await h
        .client(routed.key)
        .chat.completions.create({
          model: 'auto',
          stream: true,
          stream_options: { include_usage: true },
          messages: user('Translate "good morning" into French'),
        })
        .withResponse();
      expect(response.headers.get('x-prism-auto-routed')).toBe('true');
      expect(response.headers.get('x-prism-category')).toEqual(expect.any(String));
      expect(TIERS).toContain(response.headers.get('x-prism-tier'));
      let last: ChatCompletionChunk | undefined;
      for await (const chunk of stream) last = chunk;
      const cost = (last as unknown as { cost_info?: CostInfo }).cost_info;
      expect(cost).toMatchObject({ model: response.headers.get('x-prism-model') });
      expect(cost?.cost_usd).toBeGreaterThan(0);
    });

    it("a stream's request log has its duration and time to first token", async () => {
      const started = performance.now();
      const { data: stream, response } = await h
        .client(direct.key)
        .chat.completions.create({ model: 'drip-40', stream: true, messages: user('Count to three') })
        .withResponse();
      for await (const chunk of stream) void chunk;
      const elapsed = performance.now() - started;
      const log = await h.requestLog(response.headers.get('x-request-id') ?? '');
      expect(log).toMatchObject({ stream: true, status: 'success' });
      // ≈ 6 chunks 40 ms apart: the stream's whole life, not the time to its headers.
      expect(log.timings.totalMs).toBeGreaterThan(150);
      expect(log.timings.totalMs).toBeLessThanOrEqual(elapsed + 5);
      expect(log.timings.ttftMs).toBeGreaterThan(0);
      expect(log.timings.ttftMs).toBeLessThan(log.timings.totalMs);
    });
  });

  describe('§11.18 cost_info priced differently from analytics; classifier cost only in analytics', () => {
    it('the client and the request log see the same cost, including the LLM classifier', async () => {
      h.mock.script({
        model: CLASSIFIER.id,
        reply: replies.text('{"category": "research", "confidence": 0.9}', {
          usage: { promptTokens: 2_000, completionTokens: 100 },
        }),
      });
      h.mock.script({
        reply: replies.text('An answer.', { usage: { promptTokens: 1_000, completionTokens: 500 } }),
      });
      const { data, response } = await h
        .client(routed.key)
        .chat.completions.create({ model: 'auto', messages: user('What do you think?') })
        .withResponse();
      expect(h.mock.requests[0]?.model).toBe(CLASSIFIER.id);
      const cost = (data as unknown as { cost_info: CostInfo }).cost_info;
      const price = tierModels().find((m) => m.id === cost.model)!;
      const answerUsd = (1_000 * price.inputPer1M! + 500 * price.outputPer1M!) / 1e6;
      const classifierUsd = (2_000 * CLASSIFIER.inputPer1M + 100 * CLASSIFIER.outputPer1M) / 1e6;
      expect(cost.cost_usd).toBeCloseTo(answerUsd + classifierUsd, 9);
      const log = await h.requestLog(response.headers.get('x-request-id') ?? '');
      expect(log.costUsd).toBe(cost.cost_usd);
      expect(Number(response.headers.get('x-prism-cost-usd'))).toBe(cost.cost_usd);
    });
  });

  describe('§11.20 embeddings skip rate limit, budget, quota, analytics and metrics; arbitrary fallback provider', () => {
    const embed = (key: string, model = 'text-embed') =>
      h
        .client(key)
        .embeddings.create({ model, input: 'The quick brown fox. '.repeat(200) })
        .withResponse();

    it.each([
      [
        'the per-tenant rate limit',
        { rateLimit: { requestsPerMinute: 1, tokensPerMinute: 0 } },
        'rate_limit_exceeded',
      ],
      [
        'the request quota',
        { quotas: [{ type: 'requests_daily' as const, limit: 1, enforcement: 'hard_block' as const }] },
        'quota_exceeded',
      ],
      [
        'the daily budget',
        { budgets: { dailyUsd: 0.0001, weeklyUsd: 0, monthlyUsd: 0, enforcement: 'hard_block' as const } },
        'budget_exceeded',
      ],
    ])('%s applies to embeddings', async (_name, settings, code) => {
      const capped = await seedTenant(h.app, [magicProviderId], settings);
      await publishConfig(h.app);
      await embed(capped.key);
      await expect(embed(capped.key)).rejects.toMatchObject({ status: 429, code });
      expect(h.mock.requests).toHaveLength(1);
    });

    it('an embeddings request is logged, priced and counted in the metrics', async () => {
      const { data, response } = await embed(direct.key);
      const log = await h.requestLog(response.headers.get('x-request-id') ?? '');
      expect(log).toMatchObject({ endpoint: 'embeddings', status: 'success', routedModel: 'text-embed' });
      expect(log.inputTokens).toBe(data.usage.prompt_tokens);
      expect(log.costUsd).toBeGreaterThan(0);
      const metrics = await h.inject('GET', '/metrics');
      expect(metrics.body).toMatch(/prism_gateway_requests_total\{[^}]*endpoint="embeddings"[^}]*\} [1-9]/);
    });

    it('a model no provider of the tenant serves is refused, never sent to another provider', async () => {
      await expect(embed(direct.key, 'text-embedding-3-large')).rejects.toHaveProperty('status', 404);
      expect(h.mock.requests).toHaveLength(0);
    });
  });

  describe('§11.23 internal fields (_truncationNote) sent upstream; /no_think forced into FIM; system prompt breaks prompt caching', () => {
    it('the upstream gets the client body with only the documented changes', async () => {
      await h.client(direct.key).chat.completions.create({
        model: 'plain-model',
        max_tokens: 50_000, // clamped to the model's 1 000 (a note for the log, not for the upstream)
        messages: user('hello'),
      });
      const body = h.mock.requests[0]?.body as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['max_tokens', 'messages', 'model']);
      expect(body.max_tokens).toBe(1_000);
      expect(body.messages).toEqual(user('hello'));
    });

    it('a fill-in-the-middle request is forwarded without /no_think or anything else added', async () => {
      const request = {
        model: 'plain-model',
        prompt: 'function add(a, b) {\n  return ',
        suffix: '\n}',
        max_tokens: 16,
      };
      await h.client(direct.key).completions.create(request);
      const upstream = h.mock.requests[0];
      expect(upstream?.rawBody?.toString()).not.toContain('no_think');
      expect(upstream?.body).toEqual(request);
    });

    it('system blocks sent as parts keep their cache_control when a prompt is injected (Anthropic upstream)', async () => {
      const anthropic = await seedProvider(h.app, h.mock.url, [{ id: 'claude-sonnet-4' }], {
        type: 'anthropic',
      });
      const claude = await seedTenant(h.app, [anthropic.id], {
        routing: ROUTING,
        defaultSystemPrompt: 'Answer in plain English.',
      });
      await publishConfig(h.app);
      const blocks = [
        { type: 'text', text: 'You are a coding agent working in this repository.' },
        { type: 'text', text: 'Repository notes: '.repeat(100), cache_control: { type: 'ephemeral' } },
      ];
      await h.client(claude.key).chat.completions.create({
        model: 'auto',
        messages: [{ role: 'system', content: blocks } as never, ...user('Refactor the parser module')],
      });
      const upstream = h.mock.requests[0];
      expect(upstream?.path).toBe('/v1/messages');
      // The cached prefix arrives as sent, breakpoint included; the injected prompt comes after it.
      const system = upstream?.body.system as { text: string }[];
      expect(system.slice(0, 2)).toEqual(blocks);
      expect(system).toHaveLength(3);
      expect(system[2]?.text).toContain('Answer in plain English.');
    });
  });
});
