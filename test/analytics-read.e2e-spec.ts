import { getConnectionToken } from '@nestjs/mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Connection, Types } from 'mongoose';
import OpenAI from 'openai';

import { AnalyticsRetention } from '../src/modules/analytics/analytics-retention.service';
import { AnalyticsWriter } from '../src/modules/analytics/analytics-writer.service';
import { bucketId, entryField, rollupCollection } from '../src/modules/analytics/rollup-buckets';
import { GatewaySettings } from '../src/modules/gateway/gateway.settings';
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
import { type MockUpstream, type RecordedRequest, replies, startMockUpstream } from './support/mock-upstream';
import { storedRequestLogs } from './support/request-logs';
import { storedRollupRows } from './support/rollups';

const KEY_B = 'sk-provider-b';
const fromB = (r: RecordedRequest): boolean => r.headers.authorization === `Bearer ${KEY_B}`;

interface CostInfo {
  model: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  baseline_cost_usd: number;
  saved_usd: number;
}
interface Reported {
  requestId: string;
  model: string;
  cost: CostInfo | null;
  stream?: boolean;
  error?: boolean;
}
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const round8 = (v: number): number => Math.round(v * 1e8) / 1e8;

// Loaded at run time (a devDependency): a checkout whose node_modules predates it still type-checks.
type CsvParse = (
  input: string,
  options: { columns: true; skip_empty_lines: boolean },
) => Record<string, string>[];
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse } = require('csv-parse/sync') as { parse: CsvParse };

const autoRouting = {
  enabled: true,
  strictness: 'off' as const,
  optOutToken: '--model-prism-accept-model',
  classifierChain: [],
  defaultModel: null,
  baselineModel: null,
  ruleSetId: null,
  costMode: null,
  overrides: {},
};

/**
 * The read side of cost analytics against real traffic: requests go through the gateway with the
 * official SDK to the mock upstream, and every number the dashboard shows must equal what the
 * responses reported (cost_info, x-prism-* headers).
 */
describe('analytics read side: dashboard, request log, FOCUS export', () => {
  let app: NestFastifyApplication;
  let mock: MockUpstream;
  let baseUrl: string;
  let a: SeededProvider;
  let b: SeededProvider;
  let t1: SeededTenant;
  let t2: SeededTenant;
  let t3: SeededTenant;
  let admin: { authorization: string };
  const reported: Reported[] = [];
  const reportedT2: Reported[] = [];
  const reportedT3: Reported[] = [];

  const get = async (url: string, headers: { authorization: string } = admin) => {
    const res = await app.inject({ method: 'GET', url: `/api/prism/${url}`, headers });
    return { status: res.statusCode, body: res.json<Json>() };
  };

  async function ask(tenant: SeededTenant, model: string, user: string, into: Reported[]): Promise<void> {
    const sdk = new OpenAI({
      apiKey: tenant.key,
      baseURL: `${baseUrl}/v1`,
      maxRetries: 0,
      defaultHeaders: { 'x-user': user, 'x-session-id': `s-${user}` },
    });
    const { data, response } = await sdk.chat.completions
      .create({ model, messages: [{ role: 'user', content: `question for ${model}` }] })
      .withResponse();
    const cost = (data as unknown as { cost_info: CostInfo }).cost_info;
    expect(Number(response.headers.get('x-prism-cost-usd'))).toBe(cost.cost_usd);
    into.push({ requestId: response.headers.get('x-request-id')!, model, cost });
  }

  beforeAll(async () => {
    mock = await startMockUpstream();
    app = await startTestApp({ NODE_ROLE: 'full' });
    app.get(GatewaySettings).retry = { maxRetries: 0, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1000 };
    baseUrl = await listenOnRandomPort(app);
    a = await seedProvider(app, mock.url, [
      { id: 'cheap', tier: 'minimal', inputPer1M: 0.15, outputPer1M: 0.6 },
      { id: 'pricey', tier: 'high', inputPer1M: 2.5, outputPer1M: 10 },
      { id: 'shared', tier: 'advanced', priority: 90, inputPer1M: 1, outputPer1M: 3 },
      { id: 'fail-500', tier: 'critical' },
      { id: 'drip-20', tier: 'ultra', inputPer1M: 1, outputPer1M: 2 },
    ]);
    b = await seedProvider(
      app,
      mock.url,
      [{ id: 'shared', tier: 'advanced', priority: 10, inputPer1M: 1, outputPer1M: 3 }],
      {
        apiKey: KEY_B,
      },
    );
    t1 = await seedTenant(app, [a.id, b.id]);
    t2 = await seedTenant(app, [a.id], { promptLogging: true });
    // Auto-routing picks among this provider's one model (never a failing magic model).
    const c = await seedProvider(app, mock.url, [
      { id: 'routed', tier: 'low', inputPer1M: 0.5, outputPer1M: 1 },
    ]);
    t3 = await seedTenant(app, [c.id], { routing: autoRouting });
    await publishConfig(app);
    admin = bearer((await setupFirstAdmin(app)).token);

    mock.script({
      model: 'cheap',
      reply: replies.text('ok', { usage: { promptTokens: 1200, completionTokens: 300 } }),
    });
    mock.script({
      model: 'pricey',
      reply: replies.text('ok', { usage: { promptTokens: 700, completionTokens: 900 } }),
    });
    mock.script({ model: 'shared', match: (r) => !fromB(r), reply: replies.serverError(500) });
    mock.script({
      model: 'shared',
      reply: replies.text('from b', { usage: { promptTokens: 50, completionTokens: 40 } }),
    });
    await ask(t1, 'cheap', 'alice', reported);
    await ask(t1, 'cheap', 'alice', reported);
    await ask(t1, 'pricey', 'bob', reported);
    await ask(t1, 'shared', 'bob', reported); // provider a fails, b answers: a fallback
    // A stream: cost and tokens arrive in the final usage chunk.
    const stream = await new OpenAI({
      apiKey: t1.key,
      baseURL: `${baseUrl}/v1`,
      maxRetries: 0,
    }).chat.completions
      .create({
        model: 'drip-20',
        messages: [{ role: 'user', content: 'one two three four five' }],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    let streamCost: CostInfo | null = null;
    for await (const chunk of stream.data) {
      const info = (chunk as unknown as { cost_info?: CostInfo }).cost_info;
      if (info) streamCost = info;
    }
    expect(streamCost).not.toBeNull();
    reported.push({
      requestId: stream.response.headers.get('x-request-id')!,
      model: 'drip-20',
      cost: streamCost,
      stream: true,
    });
    // An upstream error: logged, counted, costs nothing.
    const failed = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t1.key}`, 'content-type': 'application/json', 'x-user': 'carol' },
      body: JSON.stringify({ model: 'fail-500', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(failed.status).toBe(502);
    reported.push({
      requestId: failed.headers.get('x-request-id')!,
      model: 'fail-500',
      cost: null,
      error: true,
    });
    // Auto-routed: category, tier and a stored routing trace.
    await ask(t3, 'auto', 'erin', reportedT3);
    await ask(t2, 'cheap', 'dave', reportedT2);
    await app.get(AnalyticsWriter).flush();
    await app.get(RoutingTraceWriter).flush();
  });
  afterAll(async () => {
    await app.close();
    await mock.close();
  });

  const sum = (rows: Reported[], pick: (c: CostInfo) => number): number =>
    round8(rows.reduce((total, r) => total + (r.cost ? pick(r.cost) : 0), 0));

  describe('dashboard', () => {
    it('summary totals equal exactly the costs and tokens the responses reported', async () => {
      const { status, body } = await get(`admin/dashboard/summary?tenant=${t1.slug}`);
      expect(status).toBe(200);
      const current = body.current as Json;
      expect(current).toMatchObject({
        requests: reported.length,
        errors: 1,
        streamed: 1,
        fallbacks: 1,
        inputTokens: sum(reported, (c) => c.input_tokens),
        outputTokens: sum(reported, (c) => c.output_tokens),
        costUsd: sum(reported, (c) => c.cost_usd),
        baselineCostUsd: sum(reported, (c) => c.baseline_cost_usd),
        savedUsd: sum(reported, (c) => c.saved_usd),
      });
      expect(current.costUsd).toBeGreaterThan(0);
      expect(current.latencyMs.p50).toBeGreaterThan(0);
      expect(current.latencyMs.p99).toBeGreaterThanOrEqual(current.latencyMs.p50);
      expect(current.overheadMs.p95).toBeGreaterThan(0);
      expect(current.ttftMs.p50).toBeGreaterThan(0);
      expect(body.previous).toMatchObject({ requests: 0, costUsd: 0 });
      expect(new Date(body.to as string).getTime() - new Date(body.from as string).getTime()).toBe(
        new Date(body.from as string).getTime() - new Date(body.previousFrom as string).getTime(),
      );
    });

    it('breakdowns and time series add up to the summary', async () => {
      const summary = (await get(`admin/dashboard/summary?tenant=${t1.id}`)).body.current as Json;
      const byModel = (await get(`admin/dashboard/breakdown?dimension=model&tenant=${t1.id}&sort=requests`))
        .body;
      const items = byModel.items as Json[];
      expect(items[0]).toMatchObject({ key: 'cheap', requests: 2 });
      expect(round8(items.reduce((t, i) => t + (i.costUsd as number), 0))).toBe(summary.costUsd);
      expect(items.reduce((t, i) => t + (i.costShare as number), 0)).toBeCloseTo(1, 6);
      const byProvider = (await get(`admin/dashboard/breakdown?dimension=provider&tenant=${t1.id}`)).body
        .items as Json[];
      expect(byProvider.find((i) => i.key === b.id)).toMatchObject({ label: b.slug, requests: 1 });
      const byError = (await get(`admin/dashboard/breakdown?dimension=errorType&tenant=${t1.id}`)).body
        .items as Json[];
      expect(byError).toHaveLength(1);
      expect(byError[0]).toMatchObject({ requests: 1, errors: 1 });
      const byUser = (await get(`admin/dashboard/breakdown?dimension=user&tenant=${t1.id}&sort=requests`))
        .body.items as Json[];
      expect(byUser.find((i) => i.key === 'alice')).toMatchObject({ requests: 2, tenantId: t1.id });

      for (const interval of ['hour', 'day']) {
        const series = (
          await get(
            `admin/dashboard/timeseries?tenant=${t1.id}&interval=${interval}&groupBy=model&metric=costUsd&limit=2`,
          )
        ).body;
        const all = series.series as Json[];
        expect(all).toHaveLength(3); // two models and the rest folded into one series
        expect(all[2]!.key).toBe('__other__');
        expect(round8(all.reduce((t, s) => t + (s.total as number), 0))).toBe(summary.costUsd);
        expect((all[0]!.values as number[]).length).toBe((series.buckets as string[]).length);
      }
      const requests = (await get(`admin/dashboard/timeseries?tenant=${t1.id}&metric=requests`)).body;
      expect((requests.series as Json[])[0]!.total).toBe(reported.length);
    });

    it('tenant roles see only their own tenants, and a foreign tenant is refused', async () => {
      const viewer = bearer(await createUserAndLogin(app, 'tenant-viewer', { tenantIds: [t2.id] }));
      const own = (await get('admin/dashboard/summary', viewer)).body.current as Json;
      expect(own).toMatchObject({ requests: 1, costUsd: sum(reportedT2, (c) => c.cost_usd) });
      expect((await get(`admin/dashboard/summary?tenant=${t1.slug}`, viewer)).status).toBe(403);
      expect((await get(`admin/dashboard/breakdown?dimension=model&tenant=${t1.id}`, viewer)).status).toBe(
        403,
      );
      const tenants = (await get('admin/dashboard/breakdown?dimension=tenant', viewer)).body.items as Json[];
      expect(tenants.map((t) => t.key)).toEqual([t2.id]);
      // The global view (cached just before for the viewer's scope) still shows both tenants.
      const everything = (await get('admin/dashboard/summary')).body.current as Json;
      expect(everything.requests).toBe(reported.length + reportedT2.length + reportedT3.length);
    });

    it('rejects bad input with 400 and anonymous callers with 401', async () => {
      expect(
        (await get('admin/dashboard/summary?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z')).status,
      ).toBe(400);
      expect((await get('admin/dashboard/summary?from=yesterday')).status).toBe(400);
      expect((await get('admin/dashboard/breakdown?dimension=planet')).status).toBe(400);
      expect((await get('admin/dashboard/breakdown')).status).toBe(400);
      expect((await get('admin/dashboard/timeseries?interval=minute')).status).toBe(400);
      expect((await get('admin/dashboard/summary?tenant=no-such-tenant')).status).toBe(404);
      const anonymous = await app.inject({ method: 'GET', url: '/api/prism/admin/dashboard/summary' });
      expect(anonymous.statusCode).toBe(401);
    });

    it('shows a new request within 10 s without an explicit flush', async () => {
      const before = (await get(`admin/dashboard/summary?tenant=${t2.id}`)).body.current.requests as number;
      const started = Date.now();
      await ask(t2, 'cheap', 'erin', reportedT2);
      let seen = before;
      while (seen === before && Date.now() - started < 12_000) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        seen = (await get(`admin/dashboard/summary?tenant=${t2.id}`)).body.current.requests as number;
      }
      expect(seen).toBe(before + 1);
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  });

  describe('request log', () => {
    const list = async (query: string, headers = admin) => {
      const res = await get(`admin/requests?${query}`, headers);
      expect(res.status).toBe(200);
      return (res.body.items as Json[]).map((i) => i.requestId as string);
    };
    const idsOf = (rows: Reported[]) => rows.map((r) => r.requestId).sort();

    it('finds every request by its request id, and each one by every filter', async () => {
      for (const r of [...reported, ...reportedT2])
        expect(await list(`requestId=${r.requestId}`)).toEqual([r.requestId]);
      const tenantOnly = `tenant=${t1.slug}`;
      expect((await list(tenantOnly)).sort()).toEqual(idsOf(reported));
      expect((await list(`keyPrefix=${t2.key.slice(0, 12)}`)).sort()).toEqual(idsOf(reportedT2));
      const byModel = (m: string) => idsOf(reported.filter((r) => r.model === m));
      expect((await list(`${tenantOnly}&user=alice`)).sort()).toEqual(byModel('cheap'));
      expect((await list(`${tenantOnly}&session=s-alice`)).sort()).toEqual(byModel('cheap'));
      expect((await list(`${tenantOnly}&requestedModel=cheap`)).sort()).toEqual(byModel('cheap'));
      expect((await list(`routedModel=shared`)).sort()).toEqual(byModel('shared'));
      expect((await list(`provider=${b.slug}`)).sort()).toEqual(byModel('shared'));
      expect((await list(`provider=${b.id}`)).sort()).toEqual(byModel('shared'));
      const auto = reportedT3[0]!;
      const routed = (await get(`admin/requests/${auto.requestId}`)).body;
      expect(routed.routing.category).toEqual(expect.any(String));
      expect(await list(`category=${routed.routing.category as string}`)).toEqual([auto.requestId]);
      expect(await list(`tier=${routed.tier as string}&tenant=${t3.id}`)).toEqual([auto.requestId]);
      expect((await list(`${tenantOnly}&tier=advanced`)).sort()).toEqual(byModel('shared'));
      expect(await list(`${tenantOnly}&status=error`)).toEqual(byModel('fail-500'));
      expect((await list(`${tenantOnly}&status=ok`)).sort()).toEqual(idsOf(reported.filter((r) => !r.error)));
      const failed = (await get(`admin/requests/${byModel('fail-500')[0]!}`)).body;
      expect(await list(`errorType=${failed.errorType as string}`)).toEqual(byModel('fail-500'));
      expect(await list(`${tenantOnly}&streamed=true`)).toEqual(byModel('drip-20'));
      expect(await list(`${tenantOnly}&streamed=false`)).toHaveLength(reported.length - 1);
      const priciest = Math.max(...reported.map((r) => r.cost?.cost_usd ?? 0));
      expect(await list(`${tenantOnly}&minCostUsd=${priciest}`)).toEqual(
        idsOf(reported.filter((r) => r.cost?.cost_usd === priciest)),
      );
      expect(await list(`${tenantOnly}&minLatencyMs=600000`)).toEqual([]);
      expect(await list(`${tenantOnly}&minLatencyMs=0`)).toHaveLength(reported.length);
      expect(await list(`${tenantOnly}&from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z`)).toEqual([]);
    });

    it('pages with a cursor that stays stable while new rows arrive', async () => {
      const all = await list(`tenant=${t1.id}&limit=200`);
      const first = (await get(`admin/requests?tenant=${t1.id}&limit=3`)).body;
      expect(first.items).toHaveLength(3);
      // New traffic between pages must not shift or repeat rows.
      await ask(t1, 'cheap', 'frank', reported);
      await app.get(AnalyticsWriter).flush();
      const seen = (first.items as Json[]).map((i) => i.requestId as string);
      let cursor = first.nextCursor as string | null;
      while (cursor) {
        const page = (await get(`admin/requests?tenant=${t1.id}&limit=3&cursor=${cursor}`)).body;
        seen.push(...(page.items as Json[]).map((i) => i.requestId as string));
        cursor = page.nextCursor as string | null;
      }
      expect(seen).toEqual(all);
      expect(new Set(seen).size).toBe(seen.length);
      const stamps = seen.length;
      expect(stamps).toBeGreaterThan(3);
    });

    it('shows one request in full: attempts, fallbacks, timings and the routing decision with its trace', async () => {
      const fallback = reported.find((r) => r.model === 'shared')!;
      const detail = (await get(`admin/requests/${fallback.requestId}`)).body;
      expect(detail).toMatchObject({
        requestId: fallback.requestId,
        tenantId: t1.id,
        user: 'bob',
        providerSlug: b.slug,
        fallback: true,
        retries: 1,
        costUsd: fallback.cost!.cost_usd,
        inputTokens: fallback.cost!.input_tokens,
        status: 'success',
      });
      expect((detail.attempts as Json[]).map((x) => x.provider)).toEqual([a.slug, b.slug]);
      const t = detail.timings as Json;
      expect(t.totalMs).toBeGreaterThan(0);
      expect(t.gatewayMs + t.upstreamMs).toBeCloseTo(t.totalMs, 0);
      const stream = (await get(`admin/requests/${reported.find((r) => r.stream)!.requestId}`)).body;
      expect(stream.timings.ttftMs).toBeGreaterThan(0);
      const auto = (await get(`admin/requests/${reportedT3[0]!.requestId}`)).body;
      expect(auto.routing).toMatchObject({ autoRouted: true, traceId: expect.any(String) });
      expect(auto.routing.trace.steps.length).toBeGreaterThan(2);
      expect(auto.routing.trace.category).toBe(auto.routing.category);
      expect(auto).not.toHaveProperty('prompt');
      expect((await get('admin/requests/no-such-request')).status).toBe(404);
    });

    it('shows a logged prompt only with prompts.read, and audits every view', async () => {
      const logged = reportedT2[0]!.requestId;
      const finops = bearer(await createUserAndLogin(app, 'finops'));
      const refused = await get(`admin/requests/${logged}?includePrompt=true`, finops);
      expect(refused.status).toBe(403);
      expect((await get(`admin/requests/${logged}`, finops)).body.promptLogged).toBe(true);
      const shown = (await get(`admin/requests/${logged}?includePrompt=true`)).body;
      expect(shown.prompt.request[0]).toMatchObject({ content: 'question for cheap' });
      expect(shown.prompt.response).toEqual(expect.any(String));
      const notLogged = (await get(`admin/requests/${reported[0]!.requestId}?includePrompt=true`)).body;
      expect(notLogged.prompt).toBeNull();
      const audit = (await get('admin/audit?action=request.prompt_view')).body.items as Json[];
      expect(audit.filter((e) => e.outcome === 'success').map((e) => e.targetId)).toEqual(
        expect.arrayContaining([logged, reported[0]!.requestId]),
      );
      expect(audit.find((e) => e.outcome === 'failure')).toMatchObject({ targetId: logged });
    });

    it('limits tenant roles to their own requests and routing traces', async () => {
      for (const role of ['tenant-admin', 'tenant-viewer'] as const) {
        const own = bearer(await createUserAndLogin(app, role, { tenantIds: [t2.id] }));
        const page = (await get('admin/requests?limit=200', own)).body.items as Json[];
        expect(page.length).toBeGreaterThan(0);
        expect(page.every((r) => r.tenantId === t2.id)).toBe(true);
        expect((await get(`admin/requests?tenant=${t1.id}`, own)).status).toBe(403);
        expect((await get(`admin/requests/${reportedT2[0]!.requestId}`, own)).status).toBe(200);
        expect((await get(`admin/requests/${reported[0]!.requestId}`, own)).status).toBe(404);
        // The auto-routed request's trace belongs to t3: hidden from t2, shown to t3's roles.
        const traceId = reportedT3[0]!.requestId;
        expect((await get(`admin/routing/traces/${traceId}`, own)).status).toBe(404);
        const t3Role = bearer(await createUserAndLogin(app, role, { tenantIds: [t3.id] }));
        expect((await get(`admin/routing/traces/${traceId}`, t3Role)).status).toBe(200);
        expect(
          (await get(`admin/requests/${traceId}`, t3Role)).body.routing.trace.steps.length,
        ).toBeGreaterThan(2);
      }
    });

    it('refuses bad input and anonymous callers', async () => {
      expect((await get('admin/requests?cursor=abc')).status).toBe(400);
      expect((await get('admin/requests?limit=500')).status).toBe(400);
      expect((await get('admin/requests?status=maybe')).status).toBe(400);
      expect((await get('admin/requests?streamed=perhaps')).status).toBe(400);
      expect((await get('admin/requests?unknown=1')).status).toBe(400);
      const anonymous = await app.inject({ method: 'GET', url: '/api/prism/admin/requests' });
      expect(anonymous.statusCode).toBe(401);
    });
  });

  describe('FinOps FOCUS export and portal usage', () => {
    const focus = async (query: string, headers = admin) => {
      const res = await app.inject({
        method: 'GET',
        url: `/api/prism/admin/finops/focus.csv?${query}`,
        headers,
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/csv');
      expect(String(res.headers['content-disposition'])).toMatch(/^attachment; filename="focus-.*\.csv"$/);
      return parse(res.body, { columns: true, skip_empty_lines: true });
    };
    const costOf = (rows: Record<string, string>[]): number =>
      round8(rows.reduce((t, r) => t + Number(r.BilledCost), 0));

    it('parses with a CSV library and sums to the dashboard cost, per tenant and for all', async () => {
      const rows = await focus(`tenant=${t1.id}`);
      const summary = (await get(`admin/dashboard/summary?tenant=${t1.id}`)).body.current as Json;
      expect(rows).toHaveLength(summary.requests as number);
      expect(costOf(rows)).toBe(summary.costUsd);
      expect(rows.every((r) => r.SubAccountId === t1.id && r.SubAccountName === t1.slug)).toBe(true);
      for (const column of [
        'EffectiveCost',
        'ChargePeriodStart',
        'ChargePeriodEnd',
        'ServiceName',
        'ResourceId',
        'Tags',
      ]) {
        expect(Object.keys(rows[0]!)).toContain(column);
      }
      const fallback = rows.find(
        (r) => r.x_RequestId === reported.find((x) => x.model === 'shared')!.requestId,
      )!;
      expect(fallback).toMatchObject({ ResourceId: 'shared', BillingCurrency: 'USD', PublisherName: b.slug });
      expect(Number(fallback.EffectiveCost)).toBe(reported.find((x) => x.model === 'shared')!.cost!.cost_usd);
      expect(JSON.parse(fallback.Tags!)).toMatchObject({ user: 'bob', tier: 'advanced' });
      expect(
        new Date(fallback.ChargePeriodEnd!).getTime() - new Date(fallback.ChargePeriodStart!).getTime(),
      ).toBe(3_600_000);
      const everything = await focus('');
      expect(costOf(everything)).toBe((await get('admin/dashboard/summary')).body.current.costUsd);
    });

    it('limits tenant roles to their own tenants', async () => {
      const viewer = bearer(await createUserAndLogin(app, 'tenant-viewer', { tenantIds: [t2.id] }));
      const rows = await focus('', viewer);
      expect(new Set(rows.map((r) => r.SubAccountId))).toEqual(new Set([t2.id]));
      const refused = await app.inject({
        method: 'GET',
        url: `/api/prism/admin/finops/focus.csv?tenant=${t1.id}`,
        headers: viewer,
      });
      expect(refused.statusCode).toBe(403);
      const bad = await app.inject({
        method: 'GET',
        url: '/api/prism/admin/finops/focus.csv?to=never',
        headers: admin,
      });
      expect(bad.statusCode).toBe(400);
    });

    it("portal usage: the same summary and series for a tenant's own team, nobody else's", async () => {
      const viewer = bearer(await createUserAndLogin(app, 'tenant-viewer', { tenantIds: [t2.id] }));
      const own = await get(`portal/tenants/${t2.slug}/usage?interval=day&metric=requests`, viewer);
      expect(own.status).toBe(200);
      const dashboard = (await get(`admin/dashboard/summary?tenant=${t2.id}`)).body;
      expect(own.body).toMatchObject({ tenantId: t2.id, tenantSlug: t2.slug, summary: dashboard });
      expect(own.body.timeseries.series[0].total).toBe(dashboard.current.requests);
      expect((await get(`portal/tenants/${t1.id}/usage`, viewer)).status).toBe(403);
      expect((await get('portal/tenants/no-such-tenant/usage', viewer)).status).toBe(404);
      expect((await get(`portal/tenants/${t2.id}/usage?groupBy=tenant`, viewer)).status).toBe(400);
      const auditor = bearer(await createUserAndLogin(app, 'auditor'));
      expect((await get(`portal/tenants/${t1.id}/usage?groupBy=user`, auditor)).status).toBe(200);
    });
  });

  describe('retention and rollup repair', () => {
    const DAY = 86_400_000;
    const oldLog = (daysAgo: number, costUsd: number) => {
      const timestamp = new Date(Math.floor(Date.now() / DAY) * DAY - daysAgo * DAY + 3_600_000);
      return {
        _id: new Types.ObjectId(),
        timestamp,
        requestId: `old-${daysAgo}-${costUsd}`,
        tenantId: t2.id,
        tenantSlug: t2.slug,
        endpoint: 'chat',
        requestedModel: 'cheap',
        routedModel: 'cheap',
        inputTokens: 10,
        outputTokens: 10,
        costUsd,
        latencyMs: 5,
        overheadMs: 1,
        upstreamMs: 4,
        status: 'success',
        httpStatus: 200,
      };
    };
    const dayRange = (daysAgo: number) => {
      const from = new Date(Math.floor(Date.now() / DAY) * DAY - daysAgo * DAY);
      return `from=${from.toISOString()}&to=${new Date(from.getTime() + DAY).toISOString()}`;
    };

    it('rebuilds the rollups of closed days from the request log (admin only, repeatable)', async () => {
      const logs = app.get<Connection>(getConnectionToken()).collection('request_logs_recent');
      await logs.insertMany([oldLog(3, 0.25), oldLog(3, 0.5)]);
      const summary = () => get(`admin/dashboard/summary?tenant=${t2.id}&${dayRange(3)}`);
      expect((await summary()).body.current.requests).toBe(0); // written around the writer: no rollups yet
      const post = (headers: { authorization: string }, payload: Record<string, string>) =>
        app.inject({ method: 'POST', url: '/api/prism/admin/analytics/rollups/rebuild', headers, payload });
      const range = Object.fromEntries(new URLSearchParams(dayRange(3)));
      const finops = bearer(await createUserAndLogin(app, 'finops'));
      expect((await post(finops, range)).statusCode).toBe(403);
      for (let i = 0; i < 2; i++) {
        const res = await post(admin, range);
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ logs: 2 });
      }
      await new Promise((resolve) => setTimeout(resolve, 3100)); // the dashboard cache
      expect((await summary()).body.current).toMatchObject({ requests: 2, costUsd: 0.75 });
      const today = { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date().toISOString() };
      expect((await post(admin, today)).statusCode).toBe(400);
      expect(
        (await post(admin, { from: '2000-01-01T00:00:00Z', to: '2000-01-02T00:00:00Z' })).statusCode,
      ).toBe(400);
      expect((await post(admin, { from: 'x' })).statusCode).toBe(400);
    });

    it('applies the prompt-logging default to new tenants and the prompt retention to stored prompts', async () => {
      const put = (payload: Record<string, unknown>) =>
        app.inject({ method: 'PUT', url: '/api/prism/admin/system/settings', headers: admin, payload });
      expect((await put({ promptLoggingDefault: true, promptRetentionDays: 2 })).statusCode).toBe(200);
      try {
        const create = async (extra: Record<string, unknown>) => {
          const slug = `prompt-default-${Math.random().toString(36).slice(2, 8)}`;
          const res = await app.inject({
            method: 'POST',
            url: '/api/prism/admin/tenants',
            headers: admin,
            payload: { slug, name: slug, ...extra },
          });
          expect(res.statusCode).toBe(201);
          return res.json<Json>().promptLogging as boolean;
        };
        expect(await create({})).toBe(true);
        expect(await create({ promptLogging: false })).toBe(false);

        // New prompts expire after the runtime retention (2 days), not the writer's built-in 7.
        const fresh: Reported[] = [];
        await ask(t2, 'cheap', 'frank', fresh);
        await app.get(AnalyticsWriter).flush();
        const connection = app.get<Connection>(getConnectionToken());
        const [log] = await storedRequestLogs(connection, (row) => row.requestId === fresh[0]!.requestId);
        const stored = await connection.collection('request_prompts').findOne({ _id: log!._id });
        expect(stored!.expiresAt.getTime() - stored!.timestamp.getTime()).toBe(2 * DAY);

        // Prompts stored under a longer retention go once they are older than the current one.
        const old = { tenantId: t2.id, data: 'enc:x', expiresAt: new Date(Date.now() + 30 * DAY) };
        await connection.collection('request_prompts').insertMany([
          { ...old, _id: new Types.ObjectId(), timestamp: new Date(Date.now() - 3 * DAY) },
          { ...old, _id: new Types.ObjectId(), timestamp: new Date(Date.now() - DAY) },
        ]);
        expect(await app.get(AnalyticsRetention).purgePrompts()).toBe(1);
        expect(await connection.collection('request_prompts').countDocuments({ _id: log!._id })).toBe(1);
      } finally {
        expect((await put({ promptLoggingDefault: null, promptRetentionDays: null })).statusCode).toBe(200);
      }
    });

    it('purges request logs and rollups past their retention, keeping the rest', async () => {
      const connection = app.get<Connection>(getConnectionToken());
      await connection.collection('request_logs_recent').insertMany([oldLog(120, 1), oldLog(80, 1)]);
      const retention = app.get(AnalyticsRetention);
      expect(await retention.purgeLogs()).toBe(1);
      const left = await storedRequestLogs(connection, (row) => row.requestId.startsWith('old-'));
      expect(left.map((l) => l.requestId).sort()).toEqual(['old-3-0.25', 'old-3-0.5', 'old-80-1']);
      const old = Date.now() - 800 * DAY;
      await connection.collection(rollupCollection('day', 'all', old)).insertOne({
        _id: bucketId('day', old, 'tenant') as never,
        r: { [entryField(t2.id, '')]: { requests: 1 } },
      });
      // At shutdown (the job's stop signal) the purges stop before deleting anything more.
      const stopped = AbortSignal.abort();
      expect(await retention.purgeRollups(new Date(), stopped)).toBe(0);
      expect(await connection.collection(rollupCollection('day', 'all', old)).countDocuments({})).toBe(1);
      await connection.collection('request_logs_recent').insertOne(oldLog(120, 1));
      expect(await retention.purgeLogs(new Date(), stopped)).toBe(0);
      expect(
        await connection.collection('request_logs_recent').countDocuments({ requestId: 'old-120-1' }),
      ).toBe(1);
      expect(await retention.purgeLogs()).toBe(1);
      expect(await retention.purgeRollups()).toBe(1);
      expect((await storedRollupRows(connection.db!, t2.id)).length).toBeGreaterThan(0);
    });
  });
});
