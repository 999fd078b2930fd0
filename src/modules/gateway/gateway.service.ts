import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { Types } from 'mongoose';

import { GatewayHttpError } from '../../core/http/gateway-http.error';
import { AnalyticsWriter } from '../analytics/analytics-writer.service';
import type { RequestLog } from '../analytics/request-log.schema';
import { RATE_LIMITER, type RateLimiter } from '../limits/rate-limiter';
import { UsageLedger } from '../limits/usage-ledger';
import {
  ProviderAdapterRegistry,
  type UpstreamStream,
  type UpstreamUsage,
  UpstreamError,
} from '../providers/adapters/provider-adapter';
import type { ModelView } from '../providers/provider.types';
import { getOrCreateCounter, getOrCreateHistogram } from '../system/metrics.registry';
import { GATEWAY_CONFIG_SOURCE, type GatewayConfigSource } from './config/gateway-config.source';
import { TenantModelIndexes } from './config/tenant-model-indexes';
import { type CostInfo, computeCost } from './cost/cost-calculator';
import { CircuitBreakers } from './dispatch/circuit-breaker';
import { TargetStatistics } from './dispatch/load-balancer';
import {
  type AttemptRecord,
  ClientAbortedError,
  type DispatchResult,
  type DispatchTarget,
  ResilientDispatcher,
} from './dispatch/resilient-dispatcher';
import { GatewayErrors } from './gateway.errors';
import type { GatewayHttpReply, GatewayHttpRequest } from './gateway-http';
import { buildGatewayStages } from './gateway.pipeline';
import type { GatewayIngress } from './ingress/gateway-ingress';
import { GatewaySettings } from './gateway.settings';
import { validateRequestBody } from './gateway.validation';
import { GatewayContext, type GatewayEndpoint } from './pipeline/gateway-context';
import { StageRunner } from './pipeline/gateway-stage';
import { AuthStage } from './pipeline/stages/auth.stage';
import { IpLimitStage } from './pipeline/stages/ip-limit.stage';
import { GATEWAY_ROUTER, type GatewayRouter } from './routing/gateway-router';
import { errorEvent, SseProcessor } from './streaming/sse-processor';
import { estimateRequestTokens } from './tokens/token-estimator';

interface Usage {
  input: number;
  output: number;
  estimated: boolean;
}

/** How a request ended, for the analytics record and the metrics. */
interface Outcome {
  status: 'success' | 'error' | 'aborted';
  httpStatus: number;
  errorType?: string;
  errorCode?: string;
  errorMessage?: string;
  target?: DispatchTarget;
  attempts: AttemptRecord[];
  upstreamMs: number;
  ttftMs?: number;
  usage?: Usage;
  cost?: CostInfo;
  responseText?: string;
}

interface OpenedStream {
  stream: UpstreamStream;
  iterator: AsyncIterator<Uint8Array>;
  first: Uint8Array;
}

/** The model list answer's `created`: stable per process so clients can cache it. */
const MODELS_CREATED = Math.floor(Date.now() / 1000);

/**
 * The OpenAI-compatible gateway (DESIGN.md §3): runs the stage list, dispatches with resilience,
 * relays streams, enriches answers with cost and routing details, and records analytics off the
 * request path. HTTP routing lives in gateway.routes.ts; this class never parses URLs.
 */
@Injectable()
export class GatewayService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(GatewayService.name);
  private readonly runner: StageRunner;
  private readonly modelsRunner: StageRunner;
  private readonly dispatcher: ResilientDispatcher;
  private readonly indexes: TenantModelIndexes;
  private readonly ledger: UsageLedger;
  readonly breakers: CircuitBreakers;
  readonly targetStats = new TargetStatistics();
  private inFlight = 0;
  private draining = false;
  private drained: (() => void) | undefined;

  private readonly requests = getOrCreateCounter(
    'prism_gateway_requests_total',
    'Gateway requests by outcome',
    ['tenant', 'model', 'endpoint', 'status'],
  );
  private readonly tokens = getOrCreateCounter('prism_gateway_tokens_total', 'Tokens through the gateway', [
    'tenant',
    'type',
  ]);
  private readonly cost = getOrCreateCounter(
    'prism_gateway_cost_usd_total',
    'USD spent through the gateway',
    ['tenant'],
  );
  private readonly upstreamErrors = getOrCreateCounter(
    'prism_gateway_upstream_errors_total',
    'Failed upstream attempts by provider and kind',
    ['provider', 'kind'],
  );
  private readonly cacheLookups = getOrCreateCounter(
    'prism_gateway_cache_lookups_total',
    'Gateway cache lookups by cache and result (hit ratio = hit / all)',
    ['cache', 'result'],
  );
  private readonly stageSeconds = getOrCreateHistogram(
    'prism_gateway_stage_duration_seconds',
    'Time spent in each gateway pipeline stage',
    ['stage'],
    [0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1],
  );
  private readonly phases = getOrCreateHistogram(
    'prism_gateway_latency_seconds',
    'Gateway latency split: overhead (gateway), upstream, ttft (streams, to first byte), total',
    ['phase'],
    [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  );
  private readonly totalSeconds = this.phases.labels({ phase: 'total' });
  private readonly overheadSeconds = this.phases.labels({ phase: 'overhead' });
  private readonly upstreamSeconds = this.phases.labels({ phase: 'upstream' });
  private readonly ttftSeconds = this.phases.labels({ phase: 'ttft' });

  constructor(
    @Inject(GATEWAY_CONFIG_SOURCE) private readonly source: GatewayConfigSource,
    @Inject(RATE_LIMITER) limiter: RateLimiter,
    @Inject(GATEWAY_ROUTER) private readonly router: GatewayRouter,
    adapters: ProviderAdapterRegistry,
    private readonly analytics: AnalyticsWriter,
    private readonly settings: GatewaySettings,
    ledger: UsageLedger,
  ) {
    this.indexes = new TenantModelIndexes(source);
    this.ledger = ledger;
    this.breakers = new CircuitBreakers(() => settings.breaker);
    this.limiter = limiter;
    const stages = buildGatewayStages({
      source,
      limiter,
      ledger,
      router,
      indexes: this.indexes,
      ipRequestsPerMinute: () => settings.ipRequestsPerMinute,
      cacheLookups: this.cacheLookups,
    });
    this.runner = new StageRunner(stages, this.stageSeconds);
    this.modelsRunner = new StageRunner(
      stages.filter((s) => s instanceof IpLimitStage || s instanceof AuthStage),
      this.stageSeconds,
    );
    this.dispatcher = new ResilientDispatcher({
      adapters,
      source,
      breakers: this.breakers,
      stats: this.targetStats,
      retry: () => settings.retry,
      upstreamErrors: this.upstreamErrors,
    });
  }

  private readonly limiter: RateLimiter;

  /** POST chat/completions, completions, embeddings; `ingress` for other client protocols (messages). */
  async handle(
    endpoint: GatewayEndpoint,
    request: GatewayHttpRequest,
    reply: GatewayHttpReply,
    tenantSlug?: string,
    ingress?: GatewayIngress,
  ): Promise<void> {
    if (this.draining) return sendError(reply, GatewayErrors.shuttingDown(), undefined, ingress);
    if (this.inFlight >= this.settings.maxInFlight) {
      return sendError(reply, GatewayErrors.overloaded(), undefined, ingress);
    }
    this.inFlight += 1;
    const prepared = ingress?.prepare(request.body);
    const ctx = new GatewayContext(
      {
        requestId: request.id,
        endpoint,
        tenantSlug,
        authorization: header(request, 'authorization'),
        apiKeyHeader: header(request, 'x-api-key'),
        clientIp: request.ip,
        userHeader: header(request, 'x-user') ?? header(request, 'x-openwebui-user-name'),
        sessionHeader: header(request, 'x-session-id'),
        body:
          prepared?.body ??
          ((request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>),
        ingress,
      },
      estimateRequestTokens,
    );
    const abort = new AbortController();
    const raw = reply.raw;
    const onClose = (): void => {
      if (!raw.writableFinished) abort.abort();
    };
    raw.on('close', onClose);
    let outcome: Outcome = { status: 'error', httpStatus: 500, attempts: [], upstreamMs: 0 };
    try {
      if (prepared?.error) throw prepared.error;
      if (!prepared) validateRequestBody(endpoint, request.body);
      await this.runner.run(ctx);
      outcome = ctx.stream
        ? await this.streamAnswer(ctx, reply, abort)
        : await this.jsonAnswer(ctx, reply, abort);
    } catch (error) {
      outcome = this.failure(ctx, reply, error, outcome);
    } finally {
      raw.off('close', onClose);
      this.inFlight -= 1;
      if (this.draining && this.inFlight === 0) this.drained?.();
      this.record(ctx, outcome);
    }
  }

  /** GET models: what this key may use, `auto` first. */
  async listModels(request: GatewayHttpRequest, reply: GatewayHttpReply, tenantSlug?: string): Promise<void> {
    const ctx = this.lightContext(request, tenantSlug);
    try {
      await this.modelsRunner.run(ctx);
      void reply.headers(ctx.responseHeaders).send({ object: 'list', data: this.visibleModels(ctx) });
    } catch (error) {
      this.failure(ctx, reply, error, { status: 'error', httpStatus: 500, attempts: [], upstreamMs: 0 });
    }
  }

  /** GET models/{id}. */
  async retrieveModel(
    request: GatewayHttpRequest,
    reply: GatewayHttpReply,
    modelId: string,
    tenantSlug?: string,
  ): Promise<void> {
    const ctx = this.lightContext(request, tenantSlug);
    try {
      await this.modelsRunner.run(ctx);
      const model = this.visibleModels(ctx).find((m) => m.id === modelId);
      if (!model) throw GatewayErrors.modelNotFound(modelId);
      void reply.headers(ctx.responseHeaders).send(model);
    } catch (error) {
      this.failure(ctx, reply, error, { status: 'error', httpStatus: 500, attempts: [], upstreamMs: 0 });
    }
  }

  /** Stop taking requests, let running ones (streams) finish, then flush analytics. */
  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.settings.drainTimeoutMs);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    await this.analytics.close();
  }

  /** Runs only the IP limit and auth stages (token counting); throws the gateway's errors. */
  async authenticate(request: GatewayHttpRequest, tenantSlug?: string): Promise<GatewayContext> {
    const ctx = this.lightContext(request, tenantSlug);
    await this.modelsRunner.run(ctx);
    return ctx;
  }

  private lightContext(request: GatewayHttpRequest, tenantSlug?: string): GatewayContext {
    return new GatewayContext(
      {
        requestId: request.id,
        endpoint: 'chat',
        tenantSlug,
        authorization: header(request, 'authorization'),
        apiKeyHeader: header(request, 'x-api-key'),
        clientIp: request.ip,
        body: {},
      },
      estimateRequestTokens,
    );
  }

  private visibleModels(
    ctx: GatewayContext,
  ): { id: string; object: 'model'; created: number; owned_by: string }[] {
    const tenant = ctx.tenant;
    if (!tenant) return [];
    const index = this.indexes.for(tenant);
    const data: { id: string; object: 'model'; created: number; owned_by: string }[] = [];
    if (tenant.routing.enabled || tenant.routing.defaultModel) {
      data.push({ id: 'auto', object: 'model', created: MODELS_CREATED, owned_by: 'model-prism' });
    }
    const seen = new Set<string>();
    for (const model of index.allowed) {
      if (seen.has(model.modelId)) continue;
      seen.add(model.modelId);
      data.push({
        id: model.modelId,
        object: 'model',
        created: MODELS_CREATED,
        owned_by: model.providerSlug,
      });
    }
    return data;
  }

  private async jsonAnswer(
    ctx: GatewayContext,
    reply: GatewayHttpReply,
    abort: AbortController,
  ): Promise<Outcome> {
    const endpoint = ctx.endpoint;
    const result = await this.dispatcher.dispatch(
      ctx,
      (adapter, provider, body, signal) =>
        endpoint === 'chat'
          ? adapter.chat(provider, body, { signal })
          : endpoint === 'completions'
            ? adapter.completions(provider, body, { signal })
            : adapter.embeddings(provider, body, { signal }),
      abort.signal,
    );
    const body = result.value.body;
    const usage = usageFrom(body.usage, ctx, () => estimateOutputTokens(body));
    const cost = this.costOf(ctx, result.target.deployment, usage);
    if (endpoint !== 'embeddings') {
      body.cost_info = cost;
      if (ctx.route) body.auto_routing = autoRouting(ctx);
      if (ctx.contextFallback) body.context_fallback = ctx.contextFallback;
    }
    const headers = this.prismHeaders(ctx, result, cost);
    sendJson(reply, headers, ctx.ingress ? ctx.ingress.renderJson(body, usage) : body);
    return {
      status: 'success',
      httpStatus: 200,
      target: result.target,
      attempts: result.attempts,
      upstreamMs: result.upstreamMs,
      usage,
      cost,
      responseText: ctx.tenant?.promptLogging ? answerText(body) : undefined,
    };
  }

  private async streamAnswer(
    ctx: GatewayContext,
    reply: GatewayHttpReply,
    abort: AbortController,
  ): Promise<Outcome> {
    const endpoint = ctx.endpoint;
    const result = await this.dispatcher.dispatch<OpenedStream>(
      ctx,
      async (adapter, provider, body, signal) => {
        const stream =
          endpoint === 'chat'
            ? await adapter.chatStream(provider, body, { signal })
            : await adapter.completionsStream(provider, body, { signal });
        // Nothing reached the client yet: a failure before the first chunk may still be retried.
        const iterator = stream.body[Symbol.asyncIterator]();
        let first: IteratorResult<Uint8Array>;
        try {
          first = await iterator.next();
        } catch (error) {
          stream.abort();
          throw error;
        }
        if (first.done) {
          stream.abort();
          throw new UpstreamError('server', `Provider '${provider.slug}' ended the stream without data`);
        }
        return { stream, iterator, first: first.value };
      },
      abort.signal,
    );
    const { stream, iterator, first } = result.value;
    const deployment = result.target.deployment;
    let cost: CostInfo | undefined;
    const streamOptions = ctx.body.stream_options as { include_usage?: unknown } | undefined;
    const sse = new SseProcessor({
      clientWantsUsage: streamOptions?.include_usage === true,
      decorateUsage: (usage) => {
        cost = this.costOf(
          ctx,
          deployment,
          usageFrom(usage, ctx, () => 0),
        );
        return { cost_info: cost };
      },
    });
    const processor = ctx.ingress ? ctx.ingress.wrapStream(sse, ctx) : sse;
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': ctx.requestId,
      trailer: 'x-prism-cost-usd',
      ...this.prismHeaders(ctx, result, undefined),
    });
    let ttftMs: number | undefined;
    let failure: string | undefined;
    const relayStarted = performance.now();
    try {
      const firstText = processor.push(first);
      if (firstText) {
        await write(raw, firstText, abort.signal);
        ttftMs = performance.now() - ctx.startedAt;
      }
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        const text = processor.push(next.value);
        if (!text) continue;
        if (ttftMs === undefined) ttftMs = performance.now() - ctx.startedAt;
        await write(raw, text, abort.signal);
      }
    } catch (error) {
      stream.abort();
      if (abort.signal.aborted || error instanceof ClientAbortedError) failure = 'aborted';
      else failure = error instanceof Error ? error.message : String(error);
    }
    const usage = usageFrom(processor.usage, ctx, () => processor.estimatedCompletionTokens());
    cost ??= this.costOf(ctx, deployment, usage);
    // After the first chunk the gateway only relays: the rest of the stream's time is the upstream's.
    const upstreamMs = result.upstreamMs + (performance.now() - relayStarted);
    const base = { target: result.target, attempts: result.attempts, upstreamMs, ttftMs, usage, cost };
    if (failure === 'aborted') {
      raw.destroy();
      return {
        ...base,
        status: 'aborted',
        httpStatus: 499,
        errorType: 'client_closed',
        errorMessage: 'Client closed the stream',
      };
    }
    if (failure !== undefined) {
      this.upstreamErrors.inc({ provider: result.target.provider.slug, kind: 'stream_interrupted' });
      this.breakers.failure(result.target.key, 'call');
      const message = `The upstream stream failed: ${failure}`;
      raw.end(ctx.ingress ? ctx.ingress.streamError(message) : errorEvent(message));
      return {
        ...base,
        status: 'error',
        httpStatus: 200,
        errorType: 'upstream_error',
        errorCode: 'stream_interrupted',
        errorMessage: failure,
      };
    }
    const tail = processor.finish(() => ({
      prompt_tokens: usage.input,
      completion_tokens: usage.output,
      total_tokens: usage.input + usage.output,
    }));
    raw.addTrailers({ 'x-prism-cost-usd': String(cost.cost_usd) });
    raw.end(tail);
    if (processor.upstreamError) {
      return {
        ...base,
        status: 'error',
        httpStatus: 200,
        errorType: 'upstream_error',
        errorCode: 'upstream_stream_error',
        errorMessage: processor.upstreamError,
      };
    }
    return { ...base, status: 'success', httpStatus: 200 };
  }

  private costOf(ctx: GatewayContext, routed: ModelView, usage: Usage): CostInfo {
    const baselineModel = baselineModelOf(ctx, routed);
    const baseline =
      baselineModel === routed.modelId
        ? routed
        : (ctx.models?.deploymentsOf(baselineModel)[0] ?? this.source.modelsById(baselineModel)[0]);
    return computeCost({
      tenant: ctx.tenant,
      routed,
      inputTokens: usage.input,
      outputTokens: usage.output,
      baselineModel,
      baseline,
      extraUsd: ctx.route?.routingCostUsd,
    });
  }

  private prismHeaders(
    ctx: GatewayContext,
    result: DispatchResult<unknown>,
    cost: CostInfo | undefined,
  ): Record<string, string> {
    // The context's own headers (rate limits, budget warnings) are extended in place: no copy.
    const headers = ctx.responseHeaders;
    const deployment = result.target.deployment;
    headers['x-request-id'] = ctx.requestId;
    headers['x-prism-model'] = deployment.modelId;
    headers['x-prism-provider'] = deployment.providerSlug;
    if (ctx.route?.category) headers['x-prism-category'] = ctx.route.category;
    const tier = ctx.route?.tier ?? deployment.tier;
    if (tier) headers['x-prism-tier'] = tier;
    if (ctx.route) headers['x-prism-auto-routed'] = 'true';
    if (cost) headers['x-prism-cost-usd'] = String(cost.cost_usd);
    if (ctx.contextFallback) headers['x-prism-context-fallback'] = ctx.contextFallback.fallback_model;
    if (result.attempts.length > 1) headers['x-prism-attempts'] = String(result.attempts.length);
    const overhead = performance.now() - ctx.startedAt - result.upstreamMs;
    headers['x-prism-overhead-ms'] = Math.max(0, overhead).toFixed(2);
    headers['x-prism-upstream-ms'] = result.upstreamMs.toFixed(2);
    if (ctx.sessionId) headers['x-session-id'] = ctx.sessionId;
    return headers;
  }

  private failure(ctx: GatewayContext, reply: GatewayHttpReply, error: unknown, previous: Outcome): Outcome {
    const attempts = previous.attempts.length > 0 ? previous.attempts : ctx.attempts;
    if (error instanceof ClientAbortedError) {
      if (!reply.sent) reply.raw.destroy();
      return {
        ...previous,
        status: 'aborted',
        httpStatus: 499,
        errorType: 'client_closed',
        errorMessage: error.message,
        attempts,
      };
    }
    let httpError: GatewayHttpError;
    if (error instanceof GatewayHttpError) {
      httpError = error;
    } else {
      this.logger.error({ msg: 'Gateway request failed unexpectedly', requestId: ctx.requestId, err: error });
      httpError = new GatewayHttpError(
        500,
        'server_error',
        'internal_error',
        `Internal error (request id ${ctx.requestId})`,
      );
    }
    const headers = { ...ctx.responseHeaders, ...httpError.headers };
    if (!reply.sent && !reply.raw.headersSent) sendError(reply, httpError, headers, ctx.ingress);
    return {
      ...previous,
      status: 'error',
      httpStatus: httpError.status,
      errorType: httpError.type,
      errorCode: httpError.code,
      errorMessage: httpError.message,
      attempts,
    };
  }

  /** Metrics, token limits, budget usage and the analytics record; never throws. */
  private record(ctx: GatewayContext, outcome: Outcome): void {
    try {
      const totalMs = performance.now() - ctx.startedAt;
      const tenant = ctx.tenant;
      const tenantLabel = tenant?.slug ?? 'none';
      const deployment = outcome.target?.deployment;
      const model = deployment?.modelId ?? ctx.primary?.modelId ?? (ctx.requestedModel || 'none');
      this.requests.inc({ tenant: tenantLabel, model, endpoint: ctx.endpointLabel, status: outcome.status });
      const usage = outcome.usage;
      const cost = outcome.cost;
      if (usage) {
        this.tokens.inc({ tenant: tenantLabel, type: 'input' }, usage.input);
        this.tokens.inc({ tenant: tenantLabel, type: 'output' }, usage.output);
        if (ctx.tokenLimitKeys.length > 0) {
          const amount = usage.input + usage.output;
          this.limiter.add(ctx.tokenLimitKeys.map((key) => ({ key, amount }))).catch(() => undefined);
        }
      }
      if (cost && cost.cost_usd > 0) this.cost.inc({ tenant: tenantLabel }, cost.cost_usd);
      if (ctx.sessionId && usage && deployment && outcome.status === 'success') {
        this.router.recordSessionFill?.(ctx.sessionId, usage.input, deployment.contextWindow);
      }
      if (tenant && outcome.status === 'success') {
        this.ledger.record(
          tenant.id,
          { costUsd: cost?.cost_usd ?? 0, tokens: usage ? usage.input + usage.output : 0, requests: 1 },
          ctx.receivedAt,
        );
      }
      const overheadMs = Math.max(0, totalMs - outcome.upstreamMs);
      this.totalSeconds.observe(totalMs / 1000);
      this.overheadSeconds.observe(overheadMs / 1000);
      if (outcome.upstreamMs > 0) this.upstreamSeconds.observe(outcome.upstreamMs / 1000);
      if (outcome.ttftMs !== undefined) this.ttftSeconds.observe(outcome.ttftMs / 1000);
      const log = this.buildLog(ctx, outcome, totalMs, overheadMs, model);
      this.analytics.enqueue({
        log,
        prompt:
          tenant?.promptLogging && outcome.status !== 'aborted'
            ? { request: promptOf(ctx), response: outcome.responseText ?? null }
            : undefined,
      });
    } catch (error) {
      this.logger.error({ msg: 'Could not record gateway analytics', requestId: ctx.requestId, err: error });
    }
  }

  private buildLog(
    ctx: GatewayContext,
    outcome: Outcome,
    totalMs: number,
    overheadMs: number,
    model: string,
  ): RequestLog & { _id: Types.ObjectId } {
    const deployment = outcome.target?.deployment;
    const route = ctx.route;
    const usage = outcome.usage;
    const cost = outcome.cost;
    const attempts = outcome.attempts;
    return {
      _id: new Types.ObjectId(),
      timestamp: ctx.receivedAt,
      requestId: ctx.requestId,
      tenantId: ctx.tenant?.id ?? null,
      tenantSlug: ctx.tenant?.slug ?? ctx.tenantSlug ?? null,
      keyId: ctx.key?.id ?? null,
      keyPrefix: ctx.key?.prefix ?? null,
      user: ctx.user ?? null,
      sessionId: ctx.sessionId ?? null,
      endpoint: ctx.endpointLabel,
      stream: ctx.stream,
      requestedModel: ctx.requestedModel || null,
      routedModel: deployment?.modelId ?? (ctx.primary ? model : null),
      providerId: deployment?.providerId ?? null,
      providerSlug: deployment?.providerSlug ?? null,
      autoRouted: route !== undefined,
      category: route?.category ?? null,
      tier: route?.tier ?? deployment?.tier ?? null,
      confidence: route?.confidence ?? null,
      routingReason: route?.reason ?? null,
      overrides: route?.overrides ?? [],
      routingMs: route ? round2(route.routingMs) : null,
      inputTokens: usage?.input ?? 0,
      outputTokens: usage?.output ?? 0,
      usageEstimated: usage?.estimated ?? false,
      costUsd: cost?.cost_usd ?? 0,
      baselineModel: cost?.baseline_model ?? null,
      baselineCostUsd: cost?.baseline_cost_usd ?? 0,
      savedUsd: cost?.saved_usd ?? 0,
      latencyMs: round2(totalMs),
      overheadMs: round2(overheadMs),
      upstreamMs: round2(outcome.upstreamMs),
      ttftMs: outcome.ttftMs === undefined ? null : round2(outcome.ttftMs),
      status: outcome.status,
      httpStatus: outcome.httpStatus,
      errorType: outcome.errorType ?? null,
      errorCode: outcome.errorCode ?? null,
      errorMessage: outcome.errorMessage?.slice(0, 1000) ?? null,
      attempts: attempts.map((a) => ({ ...a, ms: round2(a.ms) })),
      fallback:
        ctx.contextFallback !== undefined || attempts.filter((a) => a.outcome !== 'circuit_open').length > 1,
      contextFallback: ctx.contextFallback ?? null,
      routingTraceId: route?.traceId ?? (route ? ctx.requestId : null),
      notes: ctx.notes,
      promptLogged: ctx.tenant?.promptLogging === true && outcome.status !== 'aborted',
    };
  }
}

function header(request: GatewayHttpRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Writes a 200 JSON answer straight to the socket. Fastify's send path (serializer lookup, onSend
 * hook chain, header bookkeeping) cost more CPU per request than all gateway stages together; the
 * onResponse hooks (HTTP metrics) still run when the response finishes. Headers that hooks put on
 * the reply (CORS) are kept.
 */
function sendJson(reply: GatewayHttpReply, headers: Record<string, string>, payload: unknown): void {
  const text = JSON.stringify(payload);
  reply.hijack();
  const hooked = reply.getHeaders();
  const out: OutgoingHttpHeaders = headers;
  for (const name in hooked) if (out[name] === undefined) out[name] = hooked[name];
  out['content-type'] = 'application/json; charset=utf-8';
  out['content-length'] = Buffer.byteLength(text);
  reply.raw.writeHead(200, out);
  reply.raw.end(text);
}

function sendError(
  reply: GatewayHttpReply,
  error: GatewayHttpError,
  headers: Record<string, string> = error.headers,
  ingress?: GatewayIngress,
): void {
  if (ingress) {
    const { status, body } = ingress.errorResponse(error);
    void reply.code(status).headers(headers).send(body);
    return;
  }
  void reply
    .code(error.status)
    .headers(headers)
    .send({
      error: { message: error.message, type: error.type, code: error.code, param: error.param ?? null },
    });
}

/** Writes with back-pressure: waits for `drain` when the socket buffer is full. */
function write(raw: ServerResponse, text: string, signal: AbortSignal): Promise<void> | void {
  if (raw.write(text)) return;
  return new Promise((resolve, reject) => {
    const done = (): void => {
      raw.off('drain', done);
      raw.off('close', closed);
      resolve();
    };
    const closed = (): void => {
      raw.off('drain', done);
      reject(new ClientAbortedError());
    };
    if (signal.aborted) {
      reject(new ClientAbortedError());
      return;
    }
    raw.once('drain', done);
    raw.once('close', closed);
  });
}

function usageFrom(raw: unknown, ctx: GatewayContext, estimateOutput: () => number): Usage {
  const usage = raw as Partial<UpstreamUsage> | null | undefined;
  if (usage && typeof usage.prompt_tokens === 'number') {
    return {
      input: usage.prompt_tokens,
      output: typeof usage.completion_tokens === 'number' ? usage.completion_tokens : 0,
      estimated: false,
    };
  }
  return { input: ctx.estimatedInputTokens, output: estimateOutput(), estimated: true };
}

function estimateOutputTokens(body: Record<string, unknown>): number {
  const text = answerText(body);
  return text ? Math.ceil(text.length / 4) : 0;
}

function answerText(body: Record<string, unknown>): string {
  const choices = body.choices;
  if (!Array.isArray(choices)) return '';
  let text = '';
  for (const choice of choices as Record<string, unknown>[]) {
    const message = choice?.message as Record<string, unknown> | undefined;
    if (typeof message?.content === 'string') text += message.content;
    if (typeof choice?.text === 'string') text += choice.text;
    if (Array.isArray(message?.tool_calls)) text += JSON.stringify(message.tool_calls);
  }
  return text;
}

function promptOf(ctx: GatewayContext): unknown {
  const body = ctx.body;
  return body.messages ?? body.prompt ?? body.input ?? null;
}

/** Baseline (DESIGN.md §3 step 11): the model the client asked for; for `auto` the tenant's baseline model. */
function baselineModelOf(ctx: GatewayContext, routed: ModelView): string {
  if (ctx.userModel) return ctx.userModel;
  return ctx.tenant?.routing.baselineModel ?? routed.modelId;
}

function autoRouting(ctx: GatewayContext): Record<string, unknown> {
  const route = ctx.route;
  if (!route) return {};
  return {
    category: route.category,
    tier: route.tier,
    model_id: route.modelId,
    confidence: route.confidence,
    reason: route.reason,
    overrides: route.overrideDetails ?? route.overrides,
    routing_ms: round2(route.routingMs),
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
