import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import OpenAI from 'openai';

import { TIERS } from '../src/common/tiers';
import { AnalyticsWriter } from '../src/modules/analytics/analytics-writer.service';
import { RoutingTraceWriter } from '../src/modules/routing/trace/routing-trace.writer';
import { listenOnRandomPort, startTestApp } from './support/app';
import { bearer, createUserAndLogin, setupFirstAdmin } from './support/auth';
import { publishConfig, seedProvider, seedTenant, type SeededTenant } from './support/gateway';
import { type MockUpstream, replies, startMockUpstream } from './support/mock-upstream';

interface Step {
  name: string;
  output: Record<string, unknown>;
  confidence?: number;
  skipped?: boolean;
}
interface Decision {
  category: string | null;
  tier: string;
  model: { id: string; providerId: string | null } | null;
  confidence: number;
  source: string;
  overrides: { code: string; from: string; to: string }[];
  steps: Step[];
}

const PROMPTS = [
  'hi there, how are you?',
  'Translate "good morning" into French',
  'Write a SQL query that returns the top 5 customers by revenue',
  'Fix this bug: TypeError: cannot read properties of undefined (reading map) in my React component',
  'Design a multi-region event-driven architecture for our payment platform',
  'Prove that the square root of two is irrational, step by step',
  'Summarize this paragraph in one sentence: The quarterly report shows growth.',
  'Kannst du mir eine kurze E-Mail an meinen Kunden schreiben, dass sich die Lieferung verzögert?',
  'What do you think?',
  'Review this contract clause for liability risks under German law: "The supplier is not liable for any damages."',
];

const routingSettings = (classifierChain: { model: string }[]) => ({
  enabled: true,
  strictness: 'off' as const,
  optOutToken: '--model-prism-accept-model',
  classifierChain,
  defaultModel: null,
  baselineModel: null,
  ruleSetId: null,
  costMode: null,
  overrides: {},
});

/** What must be equal between production and the dry run (timings excluded). */
function comparable(decision: Decision) {
  const step = (name: string) => decision.steps.find((s) => s.name === name);
  return {
    category: decision.category,
    tier: decision.tier,
    model: decision.model?.id ?? null,
    confidence: decision.confidence,
    source: decision.source,
    overrides: decision.overrides.map((o) => `${o.code}:${o.from}->${o.to}`),
    steps: decision.steps.map((s) => `${s.skipped ? '-' : '+'}${s.name}`),
    combine: step('combine')?.output.category ?? null,
    localTop: (step('local_classifier')?.output.ranking as { category: string }[] | undefined)?.[0]?.category,
    selected: step('selection')?.output.model ?? null,
    llm: step('llm_classifier')?.output.category ?? null,
  };
}

describe('routing dry run equals production', () => {
  let app: NestFastifyApplication;
  let mock: MockUpstream;
  let baseUrl: string;
  let tenant: SeededTenant;
  let llmTenant: SeededTenant;
  let admin: string;

  beforeAll(async () => {
    mock = await startMockUpstream();
    app = await startTestApp({ NODE_ROLE: 'full' });
    baseUrl = await listenOnRandomPort(app);
    const provider = await seedProvider(app, mock.url, [
      ...TIERS.map((tier, index) => ({
        id: `${tier}-model`,
        tier,
        inputPer1M: 0.1 * 2 ** index,
        outputPer1M: 0.4 * 2 ** index,
      })),
      { id: 'classifier-model', tier: 'micro' as const, inputPer1M: 0.05, outputPer1M: 0.1, priority: 1 },
    ]);
    tenant = await seedTenant(app, [provider.id], { routing: routingSettings([]) });
    llmTenant = await seedTenant(app, [provider.id], {
      routing: routingSettings([{ model: 'classifier-model' }]),
    });
    await publishConfig(app);
    admin = (await setupFirstAdmin(app)).token;
  });
  afterAll(async () => {
    await app?.close();
    await mock?.close();
  });
  beforeEach(() => mock.reset());

  const client = (key: string): OpenAI =>
    new OpenAI({ apiKey: key, baseURL: `${baseUrl}/v1`, maxRetries: 0 });

  const dryRun = async (payload: Record<string, unknown>, token = admin) =>
    app.inject({
      method: 'POST',
      url: '/api/prism/admin/routing/test',
      headers: bearer(token),
      payload,
    });

  const flush = async () => {
    await app.get(AnalyticsWriter).flush();
    await app.get(RoutingTraceWriter).flush();
  };

  it('routes N varied prompts through the gateway exactly as the dry run says, and stores each trace', async () => {
    const production: { requestId: string; routing: Record<string, unknown>; prompt: string }[] = [];
    for (const prompt of PROMPTS) {
      const { data, response } = await client(tenant.key)
        .chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: prompt }] })
        .withResponse();
      const routing = (data as unknown as { auto_routing: Record<string, unknown> }).auto_routing;
      production.push({ requestId: response.headers.get('x-request-id') ?? '', routing, prompt });
    }
    await flush();

    const tiers = new Set<string>();
    for (const { requestId, routing, prompt } of production) {
      const dry = await dryRun({ tenant: tenant.slug, prompt });
      expect(dry.statusCode).toBe(200);
      const decision = dry.json<Decision & { dryRun: boolean; tenantId: string }>();
      expect(decision.dryRun).toBe(true);
      expect(decision.tenantId).toBe(tenant.id);

      // The response block the client saw.
      expect({ category: routing.category, tier: routing.tier, model: routing.model_id }).toEqual({
        category: decision.category,
        tier: decision.tier,
        model: decision.model?.id,
      });

      // The trace stored with the request log, found by the request id.
      const stored = await app.inject({
        method: 'GET',
        url: `/api/prism/admin/routing/traces/${encodeURIComponent(requestId)}`,
        headers: bearer(admin),
      });
      expect(stored.statusCode).toBe(200);
      const trace = stored.json<Decision & { requestId: string; evidence: { signals: unknown } }>();
      expect(trace.requestId).toBe(requestId);
      expect(
        comparable({
          ...trace,
          model: trace.model ? { id: trace.model as unknown as string, providerId: null } : null,
        }),
      ).toEqual(comparable(decision));
      expect(trace.evidence.signals).toEqual(expect.objectContaining({ tokens: expect.any(Object) }));
      expect(JSON.stringify(trace)).not.toContain(prompt);
      tiers.add(decision.tier);
    }
    // The prompts are varied enough to exercise several tiers.
    expect(tiers.size).toBeGreaterThanOrEqual(4);
  });

  it('asks the mock upstream as LLM classifier below the threshold, in production and in the dry run alike', async () => {
    const classifier = () =>
      mock.script({
        model: 'classifier-model',
        reply: replies.text('Sure:\n```json\n{"category": "research", "confidence": 0.9}\n```'),
      });
    const prompt = 'What do you think?';
    classifier();
    const data = await client(llmTenant.key).chat.completions.create({
      model: 'auto',
      messages: [{ role: 'user', content: prompt }],
    });
    const routing = (
      data as unknown as { auto_routing: { category: string; tier: string; model_id: string } }
    ).auto_routing;
    expect(routing.category).toBe('research');
    const models = mock.requests.map((r) => r.model);
    expect(models[0]).toBe('classifier-model');
    expect(models[1]).toBe(routing.model_id);

    // Without the LLM the dry run stays local; with it, it matches production.
    const local = (await dryRun({ tenant: llmTenant.slug, prompt })).json<Decision>();
    expect(local.steps.find((s) => s.name === 'llm_classifier')?.skipped).toBe(true);
    expect(local.confidence).toBeLessThan(0.65);
    mock.reset();
    classifier();
    const withLlm = (
      await dryRun({ tenant: llmTenant.slug, prompt, useLlmClassifier: true })
    ).json<Decision>();
    expect(withLlm).toMatchObject({ category: 'research', source: 'llm_classifier', tier: routing.tier });
    expect(withLlm.model?.id).toBe(routing.model_id);
    expect(mock.requests.map((r) => r.model)).toEqual(['classifier-model']);
  });

  it('accepts a system prompt and earlier messages and shows every step with timings', async () => {
    const response = await dryRun({
      tenant: tenant.id,
      systemPrompt: 'You are a coding agent working in a repository.',
      messages: [
        { role: 'user', content: 'We use TypeScript.' },
        { role: 'assistant', content: 'Understood.' },
      ],
      prompt: 'Refactor the payment module into smaller services and add tests',
    });
    expect(response.statusCode).toBe(200);
    const decision = response.json<Decision & { routingMs: number; signals: { messageCount: number } }>();
    expect(decision.signals.messageCount).toBe(4);
    expect(decision.steps.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'signals',
        'rules',
        'local_classifier',
        'combine',
        'overrides',
        'cost_mode',
        'selection',
      ]),
    );
    for (const step of decision.steps) expect(step).toHaveProperty('durationUs');
  });

  it('rejects bad input with 400/404 and lower roles with 403', async () => {
    expect((await dryRun({ tenant: tenant.slug })).statusCode).toBe(400);
    expect((await dryRun({ tenant: tenant.slug, prompt: 'x', extra: 1 })).statusCode).toBe(400);
    expect((await dryRun({ tenant: tenant.slug, prompt: 'x', useLlmClassifier: 'yes' })).statusCode).toBe(
      400,
    );
    const missing = await dryRun({ tenant: 'no-such-tenant', prompt: 'x' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({
      statusCode: 404,
      message: expect.stringContaining('no-such-tenant'),
    });
    const auditor = await createUserAndLogin(app, 'auditor');
    expect((await dryRun({ tenant: tenant.slug, prompt: 'x' }, auditor)).statusCode).toBe(403);
    const viewer = await createUserAndLogin(app, 'tenant-viewer', { tenantIds: [tenant.id] });
    const trace = await app.inject({
      method: 'GET',
      url: '/api/prism/admin/routing/traces/unknown',
      headers: bearer(viewer),
    });
    // Tenant roles hold requests.read scoped to their tenants: an unknown or foreign trace is 404, never 403,
    // so a tenant user cannot tell another tenant's trace ids from nonexistent ones.
    expect(trace.statusCode).toBe(404);
    const none = await app.inject({
      method: 'GET',
      url: '/api/prism/admin/routing/traces/unknown-request',
      headers: bearer(admin),
    });
    expect(none.statusCode).toBe(404);
  });
});
