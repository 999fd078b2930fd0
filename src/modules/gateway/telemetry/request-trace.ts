import type { IncomingHttpHeaders } from 'node:http';

import type { GatewayContext } from '../pipeline/gateway-context';
import type { Outcome } from '../respond/gateway-outcome';

/** One upstream attempt as tracing sees it. */
export interface UpstreamTrace {
  /** Headers to send upstream (`traceparent`, `tracestate`); undefined when tracing is off. */
  readonly headers: Record<string, string> | undefined;
  /** The attempt ended: `ok` or the failure kind, with the upstream status when there was one. */
  end(outcome: string, status?: number): void;
}

/**
 * What the gateway tells OpenTelemetry about one request (docs/operations.md). When telemetry is
 * off every request shares the constant {@link NOOP_REQUEST_TRACE}: the hot path then pays one
 * empty call per hook and allocates nothing.
 */
export interface RequestTrace {
  /** A pipeline stage ran from `startedAt` (performance.now()) for `ms` milliseconds. */
  stage(name: string, startedAt: number, ms: number): void;
  /** An upstream attempt starts. */
  upstream(provider: string, model: string): UpstreamTrace;
  /** The request is over (its answer sent, or its stream ended). */
  end(ctx: GatewayContext, outcome: Outcome): void;
}

/** Starts a request's trace from the client's headers (W3C `traceparent`). */
export interface RequestTracer {
  start(headers: IncomingHttpHeaders, ctx: GatewayContext): RequestTrace;
}

export const NOOP_UPSTREAM_TRACE: UpstreamTrace = Object.freeze({
  headers: undefined,
  end: () => undefined,
});

export const NOOP_REQUEST_TRACE: RequestTrace = Object.freeze({
  stage: () => undefined,
  upstream: () => NOOP_UPSTREAM_TRACE,
  end: () => undefined,
});

export const NOOP_REQUEST_TRACER: RequestTracer = Object.freeze({
  start: () => NOOP_REQUEST_TRACE,
});
