import { ConfigError } from '../config/environment';

export type TraceSampler =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

const SAMPLERS: readonly TraceSampler[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

/** One OTLP/HTTP destination (a full URL such as `http://collector:4318/v1/traces`). */
export interface OtlpTarget {
  url: string;
  headers: Record<string, string>;
  timeoutMillis: number;
}

/**
 * OpenTelemetry export as the standard `OTEL_*` variables describe it. Absent (undefined from
 * {@link telemetryConfigFromEnv}) means off: the SDK is then never loaded.
 */
export interface TelemetryConfig {
  serviceName: string;
  /** `OTEL_RESOURCE_ATTRIBUTES`, parsed (service.name excluded: it is `serviceName`). */
  resourceAttributes: Record<string, string>;
  /** Undefined when traces are not exported (no endpoint, or `OTEL_TRACES_EXPORTER=none`). */
  traces:
    (OtlpTarget & { sampler: TraceSampler; samplerRatio: number; scheduleDelayMillis: number }) | undefined;
  /** Undefined when metrics are not exported. */
  metrics: (OtlpTarget & { exportIntervalMillis: number }) | undefined;
  /** Notes for the boot log (a protocol we do not speak, and what is used instead). */
  warnings: string[];
}

const DEFAULT_SERVICE_NAME = 'model-prism';

/**
 * Reads the standard OpenTelemetry SDK variables (the subset this gateway honours, README):
 * `OTEL_SDK_DISABLED`, `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`,
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (base URL; `/v1/traces` and `/v1/metrics` are appended),
 * `OTEL_EXPORTER_OTLP_{TRACES,METRICS}_ENDPOINT` (full URLs, used as they are),
 * `OTEL_EXPORTER_OTLP[_{TRACES,METRICS}]_HEADERS` and `_TIMEOUT`, `OTEL_EXPORTER_OTLP_PROTOCOL`,
 * `OTEL_{TRACES,METRICS}_EXPORTER` (`otlp` or `none`), `OTEL_TRACES_SAMPLER[_ARG]`,
 * `OTEL_BSP_SCHEDULE_DELAY`, `OTEL_METRIC_EXPORT_INTERVAL`. Values are taken from `env` (not from
 * `process.env` inside the SDK), so what the config says is what is exported.
 */
export function telemetryConfigFromEnv(env: NodeJS.ProcessEnv): TelemetryConfig | undefined {
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  if (get('OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return undefined;
  const warnings: string[] = [];

  const protocol = get('OTEL_EXPORTER_OTLP_PROTOCOL');
  if (protocol !== undefined && protocol !== 'http/json') {
    warnings.push(
      `OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported: exporting OTLP over HTTP with JSON (http/json)`,
    );
  }
  const base = get('OTEL_EXPORTER_OTLP_ENDPOINT');
  const target = (signal: 'TRACES' | 'METRICS', path: string): OtlpTarget | undefined => {
    const exporter = get(`OTEL_${signal}_EXPORTER`);
    if (exporter !== undefined && exporter !== 'otlp') {
      if (exporter !== 'none') {
        warnings.push(`OTEL_${signal}_EXPORTER=${exporter} is not supported: only otlp (or none)`);
      }
      return undefined;
    }
    const specific = get(`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`);
    const url = specific ?? (base ? base.replace(/\/+$/, '') + path : undefined);
    if (!url) return undefined;
    checkUrl(specific ? `OTEL_EXPORTER_OTLP_${signal}_ENDPOINT` : 'OTEL_EXPORTER_OTLP_ENDPOINT', url);
    return {
      url,
      headers: {
        ...parseKeyValues('OTEL_EXPORTER_OTLP_HEADERS', get('OTEL_EXPORTER_OTLP_HEADERS')),
        ...parseKeyValues(
          `OTEL_EXPORTER_OTLP_${signal}_HEADERS`,
          get(`OTEL_EXPORTER_OTLP_${signal}_HEADERS`),
        ),
      },
      timeoutMillis: positiveInt(
        get(`OTEL_EXPORTER_OTLP_${signal}_TIMEOUT`) !== undefined
          ? `OTEL_EXPORTER_OTLP_${signal}_TIMEOUT`
          : 'OTEL_EXPORTER_OTLP_TIMEOUT',
        get(`OTEL_EXPORTER_OTLP_${signal}_TIMEOUT`) ?? get('OTEL_EXPORTER_OTLP_TIMEOUT'),
        10_000,
      ),
    };
  };
  const traces = target('TRACES', '/v1/traces');
  const metrics = target('METRICS', '/v1/metrics');
  if (!traces && !metrics) return undefined;

  const samplerName = (get('OTEL_TRACES_SAMPLER') ?? 'parentbased_always_on').toLowerCase();
  if (!SAMPLERS.includes(samplerName as TraceSampler)) {
    throw new ConfigError(`Invalid environment: OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')}`);
  }
  const ratioText = get('OTEL_TRACES_SAMPLER_ARG');
  const samplerRatio = ratioText === undefined ? 1 : Number(ratioText);
  if (!(samplerRatio >= 0 && samplerRatio <= 1)) {
    throw new ConfigError('Invalid environment: OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1');
  }
  const resourceAttributes = parseKeyValues('OTEL_RESOURCE_ATTRIBUTES', get('OTEL_RESOURCE_ATTRIBUTES'));
  const serviceName = get('OTEL_SERVICE_NAME') ?? resourceAttributes['service.name'] ?? DEFAULT_SERVICE_NAME;
  delete resourceAttributes['service.name'];
  return {
    serviceName,
    resourceAttributes,
    traces: traces && {
      ...traces,
      sampler: samplerName as TraceSampler,
      samplerRatio,
      scheduleDelayMillis: positiveInt('OTEL_BSP_SCHEDULE_DELAY', get('OTEL_BSP_SCHEDULE_DELAY'), 5_000),
    },
    metrics: metrics && {
      ...metrics,
      exportIntervalMillis: positiveInt(
        'OTEL_METRIC_EXPORT_INTERVAL',
        get('OTEL_METRIC_EXPORT_INTERVAL'),
        60_000,
      ),
    },
    warnings,
  };
}

function checkUrl(name: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`Invalid environment: ${name} must be an http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`Invalid environment: ${name} must be an http(s) URL`);
  }
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) {
    throw new ConfigError(`Invalid environment: ${name} must be a positive integer (milliseconds)`);
  }
  return parsed;
}

/** `key1=value1,key2=value2` (W3C Baggage-like, values percent-decoded) as the OTel spec defines it. */
function parseKeyValues(name: string, value: string | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  if (value === undefined) return result;
  for (const entry of value.split(',')) {
    if (entry.trim() === '') continue;
    const eq = entry.indexOf('=');
    const key = eq < 0 ? '' : entry.slice(0, eq).trim();
    if (!key) throw new ConfigError(`Invalid environment: ${name} must be a list of key=value pairs`);
    try {
      result[key] = decodeURIComponent(entry.slice(eq + 1).trim());
    } catch {
      throw new ConfigError(`Invalid environment: ${name} has a badly encoded value for ${key}`);
    }
  }
  return result;
}
