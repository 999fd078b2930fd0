import { ConfigError } from '../config/environment';
import { telemetryConfigFromEnv } from './telemetry-config';

describe('telemetryConfigFromEnv', () => {
  it('is off (undefined) without an OTLP endpoint, and with OTEL_SDK_DISABLED=true', () => {
    expect(telemetryConfigFromEnv({})).toBeUndefined();
    expect(telemetryConfigFromEnv({ OTEL_SERVICE_NAME: 'x' })).toBeUndefined();
    expect(
      telemetryConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }),
    ).toBeUndefined();
  });

  it('appends the signal paths to OTEL_EXPORTER_OTLP_ENDPOINT, with defaults', () => {
    const config = telemetryConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' });
    expect(config).toMatchObject({
      serviceName: 'model-prism',
      traces: {
        url: 'http://collector:4318/v1/traces',
        sampler: 'parentbased_always_on',
        scheduleDelayMillis: 5000,
        timeoutMillis: 10_000,
      },
      metrics: { url: 'http://collector:4318/v1/metrics', exportIntervalMillis: 60_000 },
      warnings: [],
    });
  });

  it('uses the per-signal endpoints as they are, and exports only what is configured', () => {
    const config = telemetryConfigFromEnv({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp',
      OTEL_SERVICE_NAME: 'gateway-eu',
    });
    expect(config?.traces?.url).toBe('https://traces.example/otlp');
    expect(config?.metrics).toBeUndefined();
    expect(config?.serviceName).toBe('gateway-eu');
    const metricsOnly = telemetryConfigFromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://m:4318/custom',
    });
    expect(metricsOnly?.traces).toBeUndefined();
    expect(metricsOnly?.metrics?.url).toBe('http://m:4318/custom');
  });

  it('reads headers, resource attributes, sampler and intervals', () => {
    const config = telemetryConfigFromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc, x-tenant=ops',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant=traces',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,service.name=from-resource',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_METRIC_EXPORT_INTERVAL: '15000',
    });
    expect(config?.traces?.headers).toEqual({ authorization: 'Bearer abc', 'x-tenant': 'traces' });
    expect(config?.metrics?.headers).toEqual({ authorization: 'Bearer abc', 'x-tenant': 'ops' });
    expect(config?.resourceAttributes).toEqual({ 'deployment.environment': 'prod' });
    expect(config?.serviceName).toBe('from-resource');
    expect(config?.traces).toMatchObject({ sampler: 'parentbased_traceidratio', samplerRatio: 0.25 });
    expect(config?.metrics?.exportIntervalMillis).toBe(15_000);
  });

  it('warns about a protocol it does not speak and refuses bad values', () => {
    expect(
      telemetryConfigFromEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      })?.warnings,
    ).toEqual([expect.stringContaining('http/json')]);
    const bad: Record<string, string>[] = [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://c' },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_TRACES_SAMPLER: 'sometimes' },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_TRACES_SAMPLER_ARG: '2' },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_BSP_SCHEDULE_DELAY: 'soon' },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_EXPORTER_OTLP_HEADERS: 'novalue' },
    ];
    for (const env of bad) expect(() => telemetryConfigFromEnv(env)).toThrow(ConfigError);
  });
});
