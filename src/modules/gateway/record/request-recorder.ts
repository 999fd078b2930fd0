import { Logger } from '@nestjs/common';

import type { AnalyticsWriter } from '../../analytics/analytics-writer.service';
import { requestModelLabel, toRequestLogRow } from '../../analytics/request-log.mapper';
import type { RateLimiter } from '../../limits/rate-limiter';
import type { UsageLedger } from '../../limits/usage-ledger';
import type { PodActivity } from '../../system/activity/pod-activity.service';
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
      this.requests.inc({ tenant: tenantLabel, model, endpoint: ctx.endpointLabel, status: outcome.status });
      const usage = outcome.usage;
      const cost = outcome.cost;
      if (usage) {
        this.tokens.inc({ tenant: tenantLabel, type: 'input' }, usage.input);
        this.tokens.inc({ tenant: tenantLabel, type: 'output' }, usage.output);
        if (usage.cachedInput > 0)
          this.tokens.inc({ tenant: tenantLabel, type: 'cached_input' }, usage.cachedInput);
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
}

function promptOf(ctx: GatewayContext): unknown {
  const body = ctx.body;
  return body.messages ?? body.prompt ?? body.input ?? null;
}
