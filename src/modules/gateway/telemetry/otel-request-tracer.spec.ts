import { createNoopMeter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

import { type AppConfig } from '../../../core/config/app-config';
import type { TelemetrySdk } from '../../../core/telemetry/telemetry-sdk';
import { OPENAI_INGRESS } from '../ingress/openai.ingress';
import { GatewayContext } from '../pipeline/gateway-context';
import { GatewayTracing } from './gateway-tracing';
import { OtelRequestTracer } from './otel-request-tracer';
import { NOOP_REQUEST_TRACE, NOOP_REQUEST_TRACER, NOOP_UPSTREAM_TRACE } from './request-trace';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CLIENT_SPAN = 'b7ad6b7169203331';

function context(): GatewayContext {
  return new GatewayContext(
    {
      requestId: 'req-1',
      endpoint: 'chat',
      clientIp: '10.0.0.1',
      body: { model: 'gpt-x', messages: [] },
      ingress: OPENAI_INGRESS,
    },
    () => 1,
  );
}

describe('OtelRequestTracer', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const sdk: TelemetrySdk = {
    tracer: provider.getTracer('test'),
    meter: createNoopMeter(),
    propagator: new W3CTraceContextPropagator(),
    shutdown: () => provider.shutdown(),
  };
  afterEach(() => exporter.reset());
  afterAll(() => provider.shutdown());

  it('continues the client trace, records stages as events, nests upstream spans and propagates them', () => {
    const ctx = context();
    const trace = new OtelRequestTracer(sdk).start({ traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` }, ctx);
    trace.stage('auth', ctx.startedAt, 0.2);
    const upstream = trace.upstream('mock', 'gpt-x');
    upstream.end('server', 503);
    trace.end(ctx, {
      status: 'error',
      httpStatus: 502,
      errorType: 'upstream_error',
      attempts: [],
      upstreamMs: 3,
    });

    const spans = exporter.getFinishedSpans();
    const request = spans.find((s) => s.name === 'POST /v1/chat/completions');
    const call = spans.find((s) => s.name === 'chat gpt-x');
    expect(request?.spanContext().traceId).toBe(TRACE_ID);
    expect(request?.parentSpanContext?.spanId).toBe(CLIENT_SPAN);
    expect(request?.events.map((e) => e.name)).toEqual(['stage auth']);
    expect(request?.events[0]?.attributes).toEqual({ 'prism.stage.duration_ms': 0.2 });
    expect(call?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
    expect(upstream.headers?.traceparent).toBe(`00-${TRACE_ID}-${call?.spanContext().spanId}-01`);
    expect(call?.attributes).toMatchObject({ 'http.response.status_code': 503, 'error.type': 'server' });
    expect(request?.attributes).toMatchObject({
      'http.response.status_code': 502,
      'error.type': 'upstream_error',
    });
    expect(request?.status.code).toBe(2); // ERROR: a 5xx is the server's failure
  });

  it('passes the client context upstream as it came when only metrics are exported', () => {
    const trace = new OtelRequestTracer({ ...sdk, tracer: undefined }).start(
      { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` },
      context(),
    );
    expect(trace.upstream('mock', 'gpt-x').headers).toEqual({
      traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01`,
    });
    expect(new OtelRequestTracer({ ...sdk, tracer: undefined }).start({}, context()).upstream('m', 'x')).toBe(
      NOOP_UPSTREAM_TRACE,
    );
  });
});

describe('GatewayTracing when telemetry is off', () => {
  it('keeps the shared no-op tracer: every request gets the same no-op trace (nothing allocated)', async () => {
    const tracing = new GatewayTracing({ telemetry: undefined } as AppConfig);
    await tracing.onModuleInit();
    expect(tracing.tracer).toBe(NOOP_REQUEST_TRACER);
    const ctx = context();
    expect(tracing.tracer.start({ traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` }, ctx)).toBe(
      NOOP_REQUEST_TRACE,
    );
    expect(ctx.trace).toBe(NOOP_REQUEST_TRACE);
    expect(NOOP_REQUEST_TRACE.upstream('p', 'm')).toBe(NOOP_UPSTREAM_TRACE);
    expect(NOOP_UPSTREAM_TRACE.headers).toBeUndefined();
  });
});
