import { Logger } from '@nestjs/common';

import type { AnalyticsWriter } from '../../analytics/analytics-writer.service';
import { requestModelLabel, toRequestLogRow } from '../../analytics/request-log.mapper';
import type { RateLimiter } from '../../limits/rate-limiter';
import type { UsageLedger } from '../../limits/usage-ledger';
import type { PodActivity } from '../../system/activity/pod-activity.service';
import type { CounterChild, FastCounter } from '../../system/fast-counter';
import { getOrCreateCounter, getOrCreateHistogram } from '../../system/metrics.registry';
import type { GatewayContext } from '../pipeline/gateway-context';
import type { Outcome } from '../respond/gateway-outcome';

/** The router's session-fill hook (a sticky session moves to a larger window when one fills). */
export interface SessionFillSink {
  recordSessionFill?(sessionId: string, promptTokens: number, contextWindow: number | null): void;
}

/**
 * Everything that happens after a request's answer (DESIGN.md §3 step 12): metrics, token-limit
 * and budget usage, the router's session fill, and the request event handed to analytics, which
 * maps it to its request-log row. Never throws: bookkeeping must not fail a served request.
 */
export class RequestRecorder {
  private readonly logger = new Logger(RequestRecorder.name);
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
  /** The counters' series of each tenant label, bound on first use (see {@link TenantSeries}). */
  private readonly byTenant = new Map<string, TenantSeries>();
  private lastTenant: TenantSeries | undefined;

  constructor(
    private readonly limiter: RateLimiter,
    private readonly ledger: UsageLedger,
    private readonly analytics: AnalyticsWriter,
    private readonly router: SessionFillSink,
    private readonly activity: PodActivity,
  ) {}

  record(ctx: GatewayContext, outcome: Outcome): void {
    try {
      const totalMs = performance.now() - ctx.startedAt;
      const now = Date.now();
      this.activity.countRequest(outcome.status === 'error', totalMs, now);
      for (const attempt of outcome.attempts) {
        if (attempt.outcome === 'circuit_open') continue;
        this.activity.countUpstream(
          attempt.provider,
          attempt.model,
          attempt.outcome === 'ok',
          attempt.ms,
          now,
        );
      }
      const tenant = ctx.tenant;
      const tenantLabel = tenant?.slug ?? 'none';
      const deployment = outcome.target?.deployment;
      const model = requestModelLabel(ctx, outcome);
      const series = this.seriesOf(tenantLabel);
      series.requests(model, ctx.endpointLabel, outcome.status).inc();
      const usage = outcome.usage;
      const cost = outcome.cost;
      if (usage) {
        (series.input ??= this.tokens.labels({ tenant: tenantLabel, type: 'input' })).inc(usage.input);
        (series.output ??= this.tokens.labels({ tenant: tenantLabel, type: 'output' })).inc(usage.output);
        if (usage.cachedInput > 0)
          (series.cachedInput ??= this.tokens.labels({ tenant: tenantLabel, type: 'cached_input' })).inc(
            usage.cachedInput,
          );
        if (ctx.tokenLimitKeys.length > 0) {
          const amount = usage.input + usage.output;
          this.limiter.add(ctx.tokenLimitKeys.map((key) => ({ key, amount }))).catch(() => undefined);
        }
      }
      if (cost && cost.cost_usd > 0)
        (series.cost ??= this.cost.labels({ tenant: tenantLabel })).inc(cost.cost_usd);
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
      this.analytics.enqueue({
        log: toRequestLogRow(ctx, outcome, totalMs, overheadMs),
        prompt:
          tenant?.promptLogging && outcome.status !== 'aborted'
            ? { request: promptOf(ctx), response: outcome.responseText ?? null }
            : undefined,
      });
    } catch (error) {
      this.logger.error({ msg: 'Could not record gateway analytics', requestId: ctx.requestId, err: error });
    }
  }

  /** The series of one tenant label: the last request's tenant without a lookup, else by its label. */
  private seriesOf(tenantLabel: string): TenantSeries {
    const last = this.lastTenant;
    if (last?.tenant === tenantLabel) return last;
    let series = this.byTenant.get(tenantLabel);
    if (!series) {
      series = new TenantSeries(tenantLabel, this.requests);
      this.byTenant.set(tenantLabel, series);
    }
    this.lastTenant = series;
    return series;
  }
}

/**
 * The recorder's counter series of one tenant label, each bound (`labels()`) when it is first
 * incremented, so a request neither builds label objects nor walks the counters' label maps
 * (~5 increments per request). A series appears in `/metrics` when first incremented, as before;
 * a bound series that the registry's `reset()` dropped is resolved again by its child. As many
 * entries as the counters have tenant label values.
 */
class TenantSeries {
  input: CounterChild | undefined;
  output: CounterChild | undefined;
  cachedInput: CounterChild | undefined;
  cost: CounterChild | undefined;
  /** `prism_gateway_requests_total` by model, endpoint and status. */
  private readonly byModel = new Map<string, Map<string, Map<string, CounterChild>>>();
  /** The last request's series and its labels: most requests repeat the previous one's. */
  private last: { model: string; endpoint: string; status: string; child: CounterChild } | undefined;

  constructor(
    readonly tenant: string,
    private readonly counter: FastCounter<'tenant' | 'model' | 'endpoint' | 'status'>,
  ) {}

  requests(model: string, endpoint: string, status: string): CounterChild {
    const last = this.last;
    if (last && last.model === model && last.endpoint === endpoint && last.status === status)
      return last.child;
    let byEndpoint = this.byModel.get(model);
    if (!byEndpoint) this.byModel.set(model, (byEndpoint = new Map<string, Map<string, CounterChild>>()));
    let byStatus = byEndpoint.get(endpoint);
    if (!byStatus) byEndpoint.set(endpoint, (byStatus = new Map<string, CounterChild>()));
    let child = byStatus.get(status);
    if (!child) {
      child = this.counter.labels({ tenant: this.tenant, model, endpoint, status });
      byStatus.set(status, child);
    }
    this.last = { model, endpoint, status, child };
    return child;
  }
}

function promptOf(ctx: GatewayContext): unknown {
  const body = ctx.body;
  return body.messages ?? body.prompt ?? body.input ?? null;
}
