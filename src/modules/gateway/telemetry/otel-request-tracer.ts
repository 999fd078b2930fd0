import type { IncomingHttpHeaders } from 'node:http';
import {
  type Attributes,
  type Context,
  type Counter,
  defaultTextMapGetter,
  defaultTextMapSetter,
  type Histogram,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
} from '@opentelemetry/semantic-conventions';

import type { TelemetrySdk } from '../../../core/telemetry/telemetry-sdk';
import { requestModelLabel } from '../../analytics/request-log.mapper';
import type { GatewayContext } from '../pipeline/gateway-context';
import type { Outcome } from '../respond/gateway-outcome';
import {
  NOOP_UPSTREAM_TRACE,
  type RequestTrace,
  type RequestTracer,
  type UpstreamTrace,
} from './request-trace';

/** GenAI semantic-convention attribute names (still "incubating" upstream, so spelled out here). */
const GEN_AI_OPERATION = 'gen_ai.operation.name';
const GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
const GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
const GEN_AI_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
const GEN_AI_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';

const PATHS: Record<string, string> = {
  chat: '/v1/chat/completions',
  completions: '/v1/completions',
  embeddings: '/v1/embeddings',
  messages: '/v1/messages',
};
const OPERATIONS: Record<string, string> = {
  chat: 'chat',
  completions: 'text_completion',
  embeddings: 'embeddings',
};

/** Request-duration buckets in seconds (the same range as `prism_gateway_latency_seconds`). */
const DURATION_BUCKETS = [
  0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

/** The gateway's instruments (OpenTelemetry names; Prometheus keeps its own on `/metrics`). */
interface GatewayInstruments {
  requests: Counter;
  duration: Histogram;
  tokens: Counter;
  cost: Counter;
}

/**
 * OpenTelemetry instrumentation of gateway requests (loaded only when telemetry is configured):
 * a SERVER span per request, continuing the client's W3C trace context, with one event per
 * pipeline stage (its start and duration) and one CLIENT span per upstream attempt whose context
 * goes upstream in `traceparent`; and request, duration, token and cost metrics.
 */
export class OtelRequestTracer implements RequestTracer {
  private readonly instruments: GatewayInstruments;

  constructor(private readonly sdk: TelemetrySdk) {
    const meter = sdk.meter;
    this.instruments = {
      requests: meter.createCounter('prism.gateway.requests', {
        description: 'Gateway requests by tenant, model, endpoint and outcome',
        unit: '{request}',
      }),
      duration: meter.createHistogram('prism.gateway.request.duration', {
        description: 'Gateway request duration, arrival to last byte',
        unit: 's',
        advice: { explicitBucketBoundaries: DURATION_BUCKETS },
      }),
      tokens: meter.createCounter('prism.gateway.tokens', {
        description: 'Tokens through the gateway by tenant and type (input, output, cached_input)',
        unit: '{token}',
      }),
      cost: meter.createCounter('prism.gateway.cost', {
        description: 'USD spent through the gateway by tenant',
        unit: 'USD',
      }),
    };
  }

  start(headers: IncomingHttpHeaders, ctx: GatewayContext): RequestTrace {
    const parent = this.sdk.propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
    const tracer = this.sdk.tracer;
    const operation = OPERATIONS[ctx.endpoint] ?? 'chat';
    if (!tracer)
      return new OtelRequestTrace(this.sdk, this.instruments, operation, undefined, undefined, parent);
    const span = tracer.startSpan(
      `POST ${PATHS[ctx.endpointLabel] ?? ctx.endpointLabel}`,
      {
        kind: SpanKind.SERVER,
        startTime: ctx.startedAt,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: 'POST',
          'prism.request_id': ctx.requestId,
          'prism.endpoint': ctx.endpointLabel,
          [GEN_AI_REQUEST_MODEL]: ctx.requestedModel,
        },
      },
      parent,
    );
    return new OtelRequestTrace(
      this.sdk,
      this.instruments,
      operation,
      tracer,
      span,
      trace.setSpan(parent, span),
    );
  }
}

class OtelRequestTrace implements RequestTrace {
  constructor(
    private readonly sdk: TelemetrySdk,
    private readonly instruments: GatewayInstruments,
    /** The GenAI operation of the upstream call (`chat`, `text_completion`, `embeddings`). */
    private readonly operation: string,
    private readonly tracer: Tracer | undefined,
    private readonly span: Span | undefined,
    /** The request span's context (or, with traces off, the client's, passed on as it came). */
    private readonly context: Context,
  ) {}

  /**
   * A span event at the stage's start with its duration: a dozen stages as child spans would cost
   * a dozen span ids, processor calls and exported spans per request for sub-millisecond steps.
   */
  stage(name: string, startedAt: number, ms: number): void {
    this.span?.addEvent(`stage ${name}`, { 'prism.stage.duration_ms': ms }, startedAt);
  }

  upstream(provider: string, model: string): UpstreamTrace {
    const headers: Record<string, string> = {};
    if (!this.tracer) {
      this.sdk.propagator.inject(this.context, headers, defaultTextMapSetter);
      return Object.keys(headers).length > 0
        ? { headers, end: NOOP_UPSTREAM_TRACE.end }
        : NOOP_UPSTREAM_TRACE;
    }
    const operation = this.operation;
    const span = this.tracer.startSpan(
      `${operation} ${model}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [GEN_AI_OPERATION]: operation,
          [GEN_AI_REQUEST_MODEL]: model,
          'prism.provider': provider,
        },
      },
      this.context,
    );
    this.sdk.propagator.inject(trace.setSpan(this.context, span), headers, defaultTextMapSetter);
    return {
      headers,
      end: (outcome: string, status?: number) => {
        span.setAttribute('prism.attempt.outcome', outcome);
        if (status !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
        if (outcome !== 'ok') {
          span.setAttribute(ATTR_ERROR_TYPE, outcome);
          span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
        }
        span.end();
      },
    };
  }

  end(ctx: GatewayContext, outcome: Outcome): void {
    const seconds = (performance.now() - ctx.startedAt) / 1000;
    const tenant = ctx.tenant?.slug ?? 'none';
    const model = requestModelLabel(ctx, outcome);
    const usage = outcome.usage;
    const cost = outcome.cost?.cost_usd ?? 0;
    const { requests, duration, tokens, cost: spent } = this.instruments;
    const labels: Attributes = {
      'prism.tenant': tenant,
      'prism.model': model,
      'prism.endpoint': ctx.endpointLabel,
      'prism.status': outcome.status,
    };
    requests.add(1, labels);
    duration.record(seconds, labels);
    if (usage) {
      tokens.add(usage.input, { 'prism.tenant': tenant, 'prism.token.type': 'input' });
      tokens.add(usage.output, { 'prism.tenant': tenant, 'prism.token.type': 'output' });
      if (usage.cachedInput > 0) {
        tokens.add(usage.cachedInput, { 'prism.tenant': tenant, 'prism.token.type': 'cached_input' });
      }
    }
    if (cost > 0) spent.add(cost, { 'prism.tenant': tenant });

    const span = this.span;
    if (!span) return;
    span.setAttributes({
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: outcome.httpStatus,
      'prism.status': outcome.status,
      'prism.tenant': tenant,
      'prism.upstream_ms': outcome.upstreamMs,
      'prism.overhead_ms': Math.max(0, seconds * 1000 - outcome.upstreamMs),
      'prism.attempts': outcome.attempts.length,
    });
    const target = outcome.target;
    if (target) {
      span.setAttribute(GEN_AI_RESPONSE_MODEL, target.deployment.modelId);
      span.setAttribute('prism.provider', target.provider.slug);
    }
    if (usage) {
      span.setAttribute(GEN_AI_INPUT_TOKENS, usage.input);
      span.setAttribute(GEN_AI_OUTPUT_TOKENS, usage.output);
    }
    if (outcome.cost) span.setAttribute('prism.cost_usd', cost);
    const route = ctx.route;
    if (route) {
      if (route.category) span.setAttribute('prism.routing.category', route.category);
      if (route.tier) span.setAttribute('prism.routing.tier', route.tier);
      span.setAttribute('prism.routing.reason', route.reason);
    }
    if (outcome.status !== 'success') {
      span.setAttribute(ATTR_ERROR_TYPE, outcome.errorCode ?? outcome.errorType ?? outcome.status);
      // HTTP server convention: 4xx is the client's error, not the span's.
      if (outcome.httpStatus >= 500 || outcome.status === 'aborted') {
        span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.errorMessage });
      }
    }
    span.end();
  }
}
