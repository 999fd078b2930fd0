import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';

import { AppConfig } from '../../../core/config/app-config';
import type { TelemetrySdk } from '../../../core/telemetry/telemetry-sdk';
import { APP_VERSION } from '../../system/pod-identity';
import { NOOP_REQUEST_TRACER, type RequestTracer } from './request-trace';

/**
 * The gateway's OpenTelemetry switch. Off (no `OTEL_EXPORTER_OTLP_*ENDPOINT`, or
 * `OTEL_SDK_DISABLED=true`) it holds the constant no-op tracer and the SDK is never loaded. On, it
 * imports the SDK and the instrumentation at init and flushes them after the gateway has drained
 * (`onApplicationShutdown` runs after every `beforeApplicationShutdown`).
 */
@Injectable()
export class GatewayTracing implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(GatewayTracing.name);
  private sdk: TelemetrySdk | undefined;
  tracer: RequestTracer = NOOP_REQUEST_TRACER;

  constructor(private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    const telemetry = this.config.telemetry;
    if (!telemetry || this.sdk) return;
    const [{ startTelemetrySdk }, { OtelRequestTracer }] = await Promise.all([
      import('../../../core/telemetry/telemetry-sdk'),
      import('./otel-request-tracer'),
    ]);
    this.sdk = startTelemetrySdk(telemetry, APP_VERSION);
    this.tracer = new OtelRequestTracer(this.sdk);
    this.logger.log({
      msg: 'OpenTelemetry export on',
      service: telemetry.serviceName,
      traces: telemetry.traces?.url ?? 'off',
      metrics: telemetry.metrics?.url ?? 'off',
    });
  }

  async onApplicationShutdown(): Promise<void> {
    const sdk = this.sdk;
    this.sdk = undefined;
    this.tracer = NOOP_REQUEST_TRACER;
    await sdk?.shutdown();
  }
}
