import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import OpenAI from 'openai';

import { TIERS } from '../src/common/tiers';
import { AnalyticsWriter } from '../src/modules/analytics/analytics-writer.service';
import { DEFAULT_RULE_SET } from '../src/modules/routing/data/default-rule-set.data';
import { RoutingTraceWriter } from '../src/modules/routing/trace/routing-trace.writer';
import { listenOnRandomPort, startTestApp } from './support/app';
import { bearer, createUserAndLogin, setupFirstAdmin } from './support/auth';
import {
  publishConfig,
  seedProvider,
  seedTenant,
  type SeededProvider,
  type SeededTenant,
} from './support/gateway';
import { type MockUpstream, replies, startMockUpstream } from './support/mock-upstream';

interface Run {
  id: string;
  summary: {
    total: number;
    categoryAccuracy: number | null;
    tierAccuracy: number | null;
    accuracy: number | null;
    tierDistribution: { tier: string; count: number }[];
  };
  results: {
    category: string;
    tier: string;
    model: string;
    categoryMatch: boolean | null;
    tierMatch: boolean | null;
  }[];
  evaluation: { score: number; qualitySuggestions: string[]; costSuggestions: string[] } | null;
}

describe('routing suites and replay', () => {
  let app: NestFastifyApplication;
  let mock: MockUpstream;
  let baseUrl: string;
  let provider: SeededProvider;
  let tenant: SeededTenant;
  let admin: string;

  beforeAll(async () => {
    mock = await startMockUpstream();
    app = await startTestApp({ NODE_ROLE: 'full' });
    baseUrl = await listenOnRandomPort(app);
    provider = await seedProvider(
      app,
      mock.url,
      TIERS.map((tier, index) => ({
        id: `${tier}-model`,
        tier,
        inputPer1M: 0.1 * 2 ** index,
        outputPer1M: 0.4 * 2 ** index,
      })),
    );
    tenant = await seedTenant(app, [provider.id], {
      routing: {
        enabled: true,
        strictness: 'off',
        optOutToken: '--model-prism-accept-model',
        classifierChain: [],
        defaultModel: null,
        baselineModel: null,
        ruleSetId: null,
        costMode: null,
        overrides: {},
      },
    });
    await publishConfig(app);
    admin = (await setupFirstAdmin(app)).token;
  });
  afterAll(async () => {
    await app.close();
    await mock.close();
  });
  beforeEach(() => mock.reset());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, token = admin) =>
    app.inject({
      method,
      url: `/api/prism/admin/routing${url}`,
      headers: bearer(token),
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    });

  it('creates, runs, generates and evaluates a suite', async () => {
    const created = await call('POST', '/suites', {
      name: 'smoke',
      tenant: tenant.slug,
      cases: [
        { prompt: 'hi there, how are you?', expectedCategory: 'smalltalk', expectedTierMax: 'minimal' },
        {
          prompt: 'Write a SQL query that returns the top 5 customers by revenue',
          expectedCategory: 'sql_query',
        },
        { prompt: 'Prove that the square root of two is irrational', expectedTierMin: 'advanced' },
        // Deliberately wrong expectation: a miss must be reported as one.
        {
          prompt: 'Translate "good morning" into French',
          expectedCategory: 'medical',
          expectedTierMin: 'critical',
        },
      ],
    });
    expect(created.statusCode).toBe(201);
    const suite = created.json<{ id: string; tenantId: string; cases: unknown[] }>();
    expect(suite.tenantId).toBe(tenant.id);

    const ran = await call('POST', `/suites/${suite.id}/run`, {});
    expect(ran.statusCode).toBe(200);
    const run = ran.json<Run>();
    expect(run.summary.total).toBe(4);
    expect(run.results[0]).toMatchObject({ category: 'smalltalk', categoryMatch: true, tierMatch: true });
    expect(run.results[1]).toMatchObject({ categoryMatch: true, tierMatch: null });
    expect(run.results[3]).toMatchObject({ categoryMatch: false, tierMatch: false });
    expect(run.summary.accuracy).toBe(0.75);
    expect(run.summary.tierDistribution.reduce((sum, t) => sum + t.count, 0)).toBe(4);
    // The same engine as the dry run.
    const dry = await call('POST', '/test', { tenant: tenant.slug, prompt: 'hi there, how are you?' });
    expect(dry.json<{ model: { id: string } }>().model.id).toBe(run.results[0]?.model);

    // Generation: junk around the JSON, one unusable entry, one unknown category.
    mock.script({
      model: 'writer-model',
      times: 1,
      reply: replies.text(
        'Here you go!\n```json\n[{"prompt": "Summarise this email in two lines", "expectedCategory": "summary_short", "expectedTierMin": "low", "expectedTierMax": "micro"},\n {"prompt": ""},\n {"prompt": "Plan a sprint", "expectedCategory": "nope"},]\n```\nHope this helps.',
      ),
    });
    const generated = await call('POST', `/suites/${suite.id}/generate`, {
      provider: provider.slug,
      model: 'writer-model',
      count: 5,
    });
    expect(generated.statusCode).toBe(200);
    const gen = generated.json<{
      added: number;
      rejected: number;
      suite: { cases: Record<string, string>[] };
    }>();
    expect(gen).toMatchObject({ added: 2, rejected: 1 });
    expect(gen.suite.cases).toHaveLength(6);
    expect(gen.suite.cases[4]).toEqual({
      prompt: 'Summarise this email in two lines',
      expectedCategory: 'summary_short',
      expectedTierMin: 'micro',
      expectedTierMax: 'low',
    });
    expect(gen.suite.cases[5]).toEqual({ prompt: 'Plan a sprint' });
    const sent = mock.requests[0]?.body as { messages: { content: string }[] };
    expect(sent.messages[1]?.content).toContain('Write 5 varied cases');

    mock.script({ model: 'writer-model', reply: replies.text('I cannot help with that.') });
    const junk = await call('POST', `/suites/${suite.id}/generate`, {
      provider: provider.slug,
      model: 'writer-model',
    });
    expect(junk.statusCode).toBe(502);

    // Evaluation with a noisy answer.
    mock.script({
      model: 'judge-model',
      times: 1,
      reply: replies.text(
        'My review: {"score": 0.8, "summary": "Mostly right", "qualitySuggestions": ["Add medical keywords"], "costSuggestions": ["Cap translations at minimal", 42]}',
      ),
    });
    const evaluated = await call('POST', `/suites/runs/${run.id}/evaluate`, {
      provider: provider.slug,
      model: 'judge-model',
    });
    expect(evaluated.statusCode).toBe(200);
    expect(evaluated.json<Run>().evaluation).toMatchObject({
      score: 80,
      qualitySuggestions: ['Add medical keywords'],
      costSuggestions: ['Cap translations at minimal'],
    });
    const judged = mock.requests.find((r) => r.model === 'judge-model')?.body as {
      messages: { content: string }[];
    };
    expect(judged.messages[1]?.content).toContain('medical');

    mock.script({ model: 'judge-model', reply: replies.text('{"summary": "no score"}') });
    expect(
      (
        await call('POST', `/suites/runs/${run.id}/evaluate`, {
          provider: provider.slug,
          model: 'judge-model',
        })
      ).statusCode,
    ).toBe(502);

    const runs = await call('GET', `/suites/${suite.id}/runs`);
    expect(runs.json<Run[]>()).toHaveLength(1);
    expect(runs.json<Run[]>()[0]?.evaluation?.score).toBe(80);
    expect((await call('GET', `/suites/runs/${run.id}`)).json<Run>().results).toHaveLength(4);

    const renamed = await call('PATCH', `/suites/${suite.id}`, { name: 'renamed' });
    expect(renamed.json<{ name: string }>().name).toBe('renamed');
    expect((await call('GET', '/suites')).json<{ id: string }[]>().some((s) => s.id === suite.id)).toBe(true);

    const audit = await app.inject({
      method: 'GET',
      url: '/api/prism/admin/audit?action=routing_suites.*&pageSize=50',
      headers: bearer(admin),
    });
    const actions = (audit.json<{ items?: { action: string }[] }>().items ?? []).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['routing_suites.create', 'routing_suites.run']));

    expect((await call('DELETE', `/suites/${suite.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/suites/${suite.id}`)).statusCode).toBe(404);
    expect((await call('GET', `/suites/runs/${run.id}`)).statusCode).toBe(404);
  });

  it('validates input and permissions', async () => {
    expect((await call('POST', '/suites', { name: '' })).statusCode).toBe(400);
    expect(
      (await call('POST', '/suites', { name: 'x', cases: [{ prompt: 'a', expectedTierMin: 'huge' }] }))
        .statusCode,
    ).toBe(400);
    expect((await call('POST', '/suites', { name: 'x', unknown: true })).statusCode).toBe(400);
    expect((await call('POST', '/suites', { name: 'x', tenant: 'nobody' })).statusCode).toBe(404);
    const empty = (await call('POST', '/suites', { name: 'empty' })).json<{ id: string }>();
    expect((await call('POST', `/suites/${empty.id}/run`, {})).statusCode).toBe(400);
    expect(
      (await call('POST', `/suites/${empty.id}/generate`, { provider: 'p', model: 'm', count: 500 }))
        .statusCode,
    ).toBe(400);
    expect(
      (await call('POST', `/suites/${empty.id}/generate`, { provider: 'nope', model: 'm' })).statusCode,
    ).toBe(400);
    expect((await call('GET', '/suites/not-an-id')).statusCode).toBe(404);
    const finops = await createUserAndLogin(app, 'finops');
    expect((await call('GET', '/suites', undefined, finops)).statusCode).toBe(200);
    expect((await call('POST', '/suites', { name: 'x' }, finops)).statusCode).toBe(403);
    expect((await call('POST', '/replay', {}, finops)).statusCode).toBe(403);
    const viewer = await createUserAndLogin(app, 'tenant-viewer', { tenantIds: [tenant.id] });
    expect((await call('GET', '/suites', undefined, viewer)).statusCode).toBe(403);
  });

  it('replays logged requests through a proposed rule set: tier shifts, category changes, cost change', async () => {
    const client = new OpenAI({ apiKey: tenant.key, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
    const prompts = [
      'hi there, how are you?',
      'Write a SQL query that returns the top 5 customers by revenue',
      'Fix this bug: TypeError: cannot read properties of undefined in my React component',
      'Translate "good morning" into French',
    ];
    for (const prompt of prompts) {
      mock.script({ reply: replies.text('ok', { usage: { promptTokens: 1000, completionTokens: 500 } }) });
      await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: prompt }] });
    }
    await app.get(AnalyticsWriter).flush();
    await app.get(RoutingTraceWriter).flush();

    const same = await call('POST', '/replay', { tenant: tenant.slug, limit: 4 });
    expect(same.statusCode).toBe(200);
    expect(same.json()).toMatchObject({
      replayed: 4,
      skipped: 0,
      tierUp: 0,
      tierDown: 0,
      tierSame: 4,
      categoryChanged: 0,
    });

    const boosted = await call('POST', '/replay', {
      tenant: tenant.slug,
      limit: 4,
      ruleSet: {
        ...DEFAULT_RULE_SET,
        name: 'proposed',
        tierBoost: 1,
        keywordRules: [
          {
            name: 'sql',
            keywords: ['select'],
            match: 'any',
            minMatches: 1,
            searchIn: 'user',
            category: 'debugging',
          },
        ],
      },
    });
    expect(boosted.statusCode).toBe(200);
    const report = boosted.json<{
      replayed: number;
      tierUp: number;
      tierMatrix: { from: string; to: string; count: number }[];
      cost: { originalUsd: number; proposedUsd: number; changeUsd: number; changePct: number };
      changes: unknown[];
      notes: string[];
    }>();
    expect(report.replayed).toBe(4);
    expect(report.tierUp).toBe(4);
    expect(report.tierMatrix.reduce((sum, cell) => sum + cell.count, 0)).toBe(4);
    for (const cell of report.tierMatrix)
      expect(TIERS.indexOf(cell.to as never)).toBe(TIERS.indexOf(cell.from as never) + 1);
    // Each tier up doubles the price in this catalogue.
    expect(report.cost.proposedUsd).toBeCloseTo(report.cost.originalUsd * 2, 8);
    expect(report.cost.changePct).toBe(100);
    expect(report.changes).toHaveLength(4);
    expect(report.notes.length).toBeGreaterThan(0);

    const invalid = await call('POST', '/replay', { ruleSet: { ...DEFAULT_RULE_SET, tierBoost: 7 } });
    expect(invalid.statusCode).toBe(400);
    expect(JSON.stringify(invalid.json())).toContain('tierBoost');
    expect((await call('POST', '/replay', { limit: 5000 })).statusCode).toBe(400);
    expect((await call('POST', '/replay', { tenant: 'nobody' })).statusCode).toBe(404);
  });
});
