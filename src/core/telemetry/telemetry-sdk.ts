import { createNoopMeter, type Meter, type TextMapPropagator, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

import type { TelemetryConfig, TraceSampler } from './telemetry-config';

/** The started SDK: what instrumentation needs, and how to flush it on shutdown. */
export interface TelemetrySdk {
  /** Undefined when traces are not exported. */
  readonly tracer: Tracer | undefined;
  /** A no-op meter when metrics are not exported. */
  readonly meter: Meter;
  /** W3C Trace Context (`traceparent`, `tracestate`). */
  readonly propagator: TextMapPropagator;
  /** Exports what is pending and stops the exporters. */
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK with OTLP/HTTP (JSON) exporters. Nothing is registered globally
 * (no global tracer provider, context manager or propagator, no monkey-patching): the gateway
 * instruments itself explicitly and passes contexts by hand, and two apps in one process (tests)
 * keep their own providers. This module is loaded with `import()` only when telemetry is
 * configured, so the SDK costs nothing when it is off.
 */
export function startTelemetrySdk(config: TelemetryConfig, serviceVersion: string): TelemetrySdk {
  const resource = resourceFromAttributes({
    ...config.resourceAttributes,
    [ATTR_SERVICE_NAME]: config.serviceName,
    [ATTR_SERVICE_VERSION]: serviceVersion,
  });
  let tracerProvider: BasicTracerProvider | undefined;
  if (config.traces) {
    const { url, headers, timeoutMillis, scheduleDelayMillis } = config.traces;
    tracerProvider = new BasicTracerProvider({
      resource,
      sampler: samplerFor(config.traces.sampler, config.traces.samplerRatio),
      spanProcessors: [
        new BatchSpanProcessor(new OTLPTraceExporter({ url, headers, timeoutMillis }), {
          scheduledDelayMillis: scheduleDelayMillis,
        }),
      ],
    });
  }
  let meterProvider: MeterProvider | undefined;
  if (config.metrics) {
    const { url, headers, timeoutMillis, exportIntervalMillis } = config.metrics;
    meterProvider = new MeterProvider({
      resource,
      readers: [
        new PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter({ url, headers, timeoutMillis }),
          exportIntervalMillis,
          exportTimeoutMillis: Math.min(timeoutMillis, exportIntervalMillis),
        }),
      ],
    });
  }
  const scope = { name: 'model-prism', version: serviceVersion };
  return {
    tracer: tracerProvider?.getTracer(scope.name, scope.version),
    meter: meterProvider?.getMeter(scope.name, scope.version) ?? createNoopMeter(),
    propagator: new W3CTraceContextPropagator(),
    shutdown: async () => {
      await Promise.allSettled([tracerProvider?.shutdown(), meterProvider?.shutdown()]);
    },
  };
}

function samplerFor(name: TraceSampler, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}
