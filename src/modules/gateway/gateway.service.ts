import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import type { Redis } from 'ioredis';

import { attachRawJson, RawJsonBody, type RawJsonDialect } from '../../common/json/raw-json-body';
import { GatewayHttpError } from '../../core/http/gateway-http.error';
import { AnalyticsWriter } from '../analytics/analytics-writer.service';
import { LIMITS_REDIS } from '../limits/limits.module';
import { RATE_LIMITER, type RateLimiter } from '../limits/rate-limiter';
import { UsageLedger } from '../limits/usage-ledger';
import { ProviderAdapterRegistry } from '../providers/adapters/provider-adapter';
import { PodActivity, type PodBreakerState } from '../system/activity/pod-activity.service';
import { getOrCreateCounter, getOrCreateHistogram } from '../system/metrics.registry';
import type { TenantView } from '../tenants/tenant.types';
import { GATEWAY_CONFIG_SOURCE, type GatewayConfigSource } from './config/gateway-config.source';
import { TenantModelIndexes } from './config/tenant-model-indexes';
import { CircuitBreakers } from './dispatch/circuit-breaker';
import { ClientAbort } from './dispatch/client-abort';
import { TargetStatistics } from './dispatch/load-balancer';
import { ClientAbortedError, ResilientDispatcher } from './dispatch/resilient-dispatcher';
import { SharedBreakers } from './dispatch/shared-breakers';
import type { GatewayHttpReply, GatewayHttpRequest } from './gateway-http';
import { GatewayErrors } from './gateway.errors';
import { buildGatewayStages } from './gateway.pipeline';
import { GatewaySettings } from './gateway.settings';
import type { IngressRoute } from './ingress/gateway-ingress';
import { clientModelList } from './ingress/openai-models';
import { OPENAI_INGRESS } from './ingress/openai.ingress';
import { GatewayContext, type SessionPrincipal } from './pipeline/gateway-context';
import { type GatewayStage, StageRunner } from './pipeline/gateway-stage';
import { AuthStage } from './pipeline/stages/auth.stage';
import { IpLimitStage } from './pipeline/stages/ip-limit.stage';
import { GATEWAY_ROUTER, type GatewayRouter } from './pipeline/stages/routing.stage';
import { RequestRecorder } from './record/request-recorder';
import type { Outcome } from './respond/gateway-outcome';
import { sendError, sendJson, sendJsonText } from './respond/reply-writers';
import { answerText, estimateOutputTokens, ResponseEnricher, usageFrom } from './respond/response-enricher';
import { type OpenedStream, openStream, StreamRelay } from './respond/stream-relay';
import { GatewayTracing } from './telemetry/gateway-tracing';
import { estimateRequestTokens } from './tokens/token-estimator';

/**
 * The OpenAI-compatible gateway (DESIGN.md §3): runs the stage list, dispatches with resilience,
 * and hands the answer to the stream relay or the JSON writer (both enriched by the response
 * enricher) and the finished request to the recorder. HTTP routing lives in the ingresses
 * (`ingress/*.routes.ts`, `gateway.lean-http.ts`); this class never parses URLs.
 */
@Injectable()
export class GatewayService implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(GatewayService.name);
  private readonly runner: StageRunner;
  private readonly accessRunner: StageRunner;
  private readonly dispatcher: ResilientDispatcher;
  private readonly indexes: TenantModelIndexes;
  private readonly enricher: ResponseEnricher;
  private readonly relay: StreamRelay;
  private readonly recorder: RequestRecorder;
  readonly breakers: CircuitBreakers;
  readonly targetStats = new TargetStatistics();
  /** Breaker state shared with the other pods (REDIS_URL set). */
  private readonly sharedBreakers: SharedBreakers | undefined;
  private inFlight = 0;
  private draining = false;
  private drained: (() => void) | undefined;
  private readonly drainListeners: (() => void)[] = [];

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

  constructor(
    @Inject(GATEWAY_CONFIG_SOURCE) private readonly source: GatewayConfigSource,
    indexes: TenantModelIndexes,
    @Inject(RATE_LIMITER) limiter: RateLimiter,
    @Inject(GATEWAY_ROUTER) router: GatewayRouter,
    adapters: ProviderAdapterRegistry,
    private readonly analytics: AnalyticsWriter,
    private readonly settings: GatewaySettings,
    ledger: UsageLedger,
    private readonly activity: PodActivity,
    private readonly tracing: GatewayTracing,
    @Optional() @Inject(LIMITS_REDIS) redis?: Redis | null,
  ) {
    activity.setSources({ inFlight: () => this.inFlight, breakers: () => this.breakerStates() });
    this.indexes = indexes;
    this.breakers = new CircuitBreakers(() => settings.breaker);
    if (redis) {
      const errors = getOrCreateCounter(
        'prism_breaker_redis_errors_total',
        'Breaker updates not shared because Redis did not answer (the pod decided alone)',
        [],
      );
      this.sharedBreakers = new SharedBreakers(
        redis,
        this.breakers,
        () => settings.breaker,
        () => errors.inc(),
      );
    }
    this.enricher = new ResponseEnricher(source);
    this.relay = new StreamRelay(this.enricher, this.breakers, this.upstreamErrors);
    this.recorder = new RequestRecorder(limiter, ledger, analytics, router, activity);
    const stages = buildGatewayStages({
      source,
      limiter,
      ledger,
      router,
      indexes: this.indexes,
      ipRequestsPerMinute: () => settings.ipRequestsPerMinute,
      cacheLookups: this.cacheLookups,
    });
    // Access stages (per-IP limit, key) run before the body is looked at, so a request without a
    // valid key gets 401 whatever its body (as OpenAI answers); the model list needs only them.
    const isAccessStage = (s: GatewayStage): boolean => s instanceof IpLimitStage || s instanceof AuthStage;
    this.accessRunner = new StageRunner(stages.filter(isAccessStage), this.stageSeconds);
    this.runner = new StageRunner(
      stages.filter((s) => !isAccessStage(s)),
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

  /**
   * A POST data-plane request (chat/completions, completions, embeddings, messages) in the route's
   * protocol; `principal` when a console session instead of a key authenticates it (the playground).
   */
  async handle(
    route: IngressRoute,
    request: GatewayHttpRequest,
    reply: GatewayHttpReply,
    tenantSlug?: string,
    principal?: SessionPrincipal,
  ): Promise<void> {
    const { endpoint, ingress } = route;
    if (this.draining) return sendError(reply, ingress, GatewayErrors.shuttingDown());
    if (this.inFlight >= this.settings.maxInFlight) {
      return sendError(reply, ingress, GatewayErrors.overloaded());
    }
    this.inFlight += 1;
    const prepared = ingress.prepare(request.body, endpoint);
    const body = prepared.body;
    keepRawBody(request, body, ingress.rawDialect, prepared.error);
    const ctx = new GatewayContext(
      {
        requestId: request.id,
        endpoint,
        tenantSlug,
        authorization: header(request, 'authorization'),
        apiKeyHeader: header(request, 'x-api-key'),
        clientIp: request.ip,
        connection: request.socket,
        userHeader: header(request, 'x-user') ?? header(request, 'x-openwebui-user-name'),
        sessionHeader: header(request, 'x-session-id'),
        body,
        ingress,
        principal,
      },
      estimateRequestTokens,
    );
    ctx.trace = this.tracing.tracer.start(request.headers, ctx);
    const abort = new ClientAbort();
    const raw = reply.raw;
    const onClose = (): void => {
      if (!raw.writableFinished) abort.abort();
    };
    raw.on('close', onClose);
    let outcome: Outcome = { status: 'error', httpStatus: 500, attempts: [], upstreamMs: 0 };
    try {
      const access = this.accessRunner.run(ctx);
      if (access) await access;
      if (prepared.error) throw prepared.error;
      const staged = this.runner.run(ctx);
      if (staged) await staged;
      outcome = ctx.stream
        ? await this.streamAnswer(ctx, reply, abort)
        : await this.jsonAnswer(ctx, reply, abort);
    } catch (error) {
      outcome = this.failure(ctx, reply, error, outcome);
    } finally {
      raw.off('close', onClose);
      this.inFlight -= 1;
      if (this.draining && this.inFlight === 0) this.drained?.();
      this.recorder.record(ctx, outcome);
      ctx.trace.end(ctx, outcome);
    }
  }

  /** GET models: what this key may use, `auto` first. */
  async listModels(request: GatewayHttpRequest, reply: GatewayHttpReply, tenantSlug?: string): Promise<void> {
    const ctx = this.lightContext(request, tenantSlug);
    try {
      await this.accessRunner.run(ctx);
      void reply.headers(ctx.responseHeaders).send({ object: 'list', data: this.modelList(ctx) });
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
      await this.accessRunner.run(ctx);
      const model = this.modelList(ctx).find((m) => m.id === modelId);
      if (!model) throw GatewayErrors.modelNotFound(modelId);
      void reply.headers(ctx.responseHeaders).send(model);
    } catch (error) {
      this.failure(ctx, reply, error, { status: 'error', httpStatus: 500, attempts: [], upstreamMs: 0 });
    }
  }

  async onModuleInit(): Promise<void> {
    await this.sharedBreakers?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sharedBreakers?.stop();
  }

  /** Called once when draining starts (the module stops accepting connections). */
  onDrain(listener: () => void): void {
    this.drainListeners.push(listener);
  }

  /** Stop taking requests, let running ones (streams) finish, then flush analytics. */
  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    for (const listener of this.drainListeners) listener();
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
    await this.accessRunner.run(ctx);
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
        connection: request.socket,
        body: {},
        ingress: OPENAI_INGRESS,
      },
      estimateRequestTokens,
    );
  }

  /** The model ids a tenant may use, `auto` first when it auto-routes (the playground's picker). */
  modelIdsFor(tenant: TenantView): string[] {
    return clientModelList({ tenant } as GatewayContext, (t) => this.indexes.for(t)).map((m) => m.id);
  }

  private modelList(ctx: GatewayContext): ReturnType<typeof clientModelList> {
    return clientModelList(ctx, (tenant) => this.indexes.for(tenant));
  }

  private async jsonAnswer(
    ctx: GatewayContext,
    reply: GatewayHttpReply,
    abort: ClientAbort,
  ): Promise<Outcome> {
    const endpoint = ctx.endpoint;
    const result = await this.dispatcher.dispatch(
      ctx,
      (adapter, provider, body, _signal, headers) =>
        endpoint === 'chat'
          ? adapter.chat(provider, body, abort.callOptions(headers))
          : endpoint === 'completions'
            ? adapter.completions(provider, body, abort.callOptions(headers))
            : adapter.embeddings(provider, body, abort.callOptions(headers)),
      abort,
    );
    const body = result.value.body;
    const usage = usageFrom(body.usage, ctx, () => estimateOutputTokens(body));
    const cost = this.enricher.costOf(ctx, result.target.deployment, usage);
    // The OpenAI answer as it came: its own text plus the gateway's members, not serialised again.
    const text = ctx.ingress.answersAsIs ? this.enricher.enrichText(ctx, result.value, cost) : undefined;
    if (text === undefined) this.enricher.enrichJson(ctx, body, cost);
    const headers = this.enricher.headers(ctx, result, cost);
    if (text !== undefined) sendJsonText(reply, headers, text);
    else sendJson(reply, headers, ctx.ingress.renderJson(body, usage));
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
    abort: ClientAbort,
  ): Promise<Outcome> {
    const endpoint = ctx.endpoint;
    const result = await this.dispatcher.dispatch<OpenedStream>(
      ctx,
      (adapter, provider, body, _signal, headers) =>
        openStream(endpoint, adapter, provider, body, abort.callOptions(headers)),
      abort,
    );
    return this.relay.relay(ctx, reply, abort, result);
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
      httpError = GatewayErrors.internal(ctx.requestId);
    }
    const headers = { ...ctx.responseHeaders, ...httpError.headers };
    if (!reply.sent && !reply.raw.headersSent) sendError(reply, ctx.ingress, httpError, headers);
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

  /** Circuits worth reporting in the heartbeat (not closed, or counting failures). */
  private breakerStates(): PodBreakerState[] {
    return this.breakers
      .list()
      .filter((b) => b.state !== 'closed' || b.failures > 0)
      .map((b) => {
        const slash = b.key.indexOf('/');
        const providerId = b.key.slice(0, slash);
        return {
          provider: this.source.provider(providerId)?.slug ?? providerId,
          model: b.key.slice(slash + 1),
          state: b.state,
          failures: b.failures,
        };
      });
  }
}

/**
 * Keeps the bytes the body arrived as beside it (issue 18), so the adapter can forward them as they
 * are, or rewrite only what a stage changed. Only for a valid JSON object in a dialect an adapter
 * can send as is (OpenAI; Anthropic Messages for the Anthropic upstream).
 */
function keepRawBody(
  request: GatewayHttpRequest,
  body: Record<string, unknown>,
  dialect: RawJsonDialect | undefined,
  error: unknown,
): void {
  if (!request.rawBody || !dialect || error || (dialect === 'openai' && body !== request.body)) return;
  if (Array.isArray(request.body) || !request.body || typeof request.body !== 'object') return;
  attachRawJson(body, new RawJsonBody(request.rawBody, dialect, body));
}

function header(request: GatewayHttpRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
