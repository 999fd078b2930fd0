import { ConfigError, LOG_LEVELS, type LogLevel } from './environment';

/**
 * Settings an admin may change at runtime for the whole cluster (GET|PUT admin/system/settings).
 * Each one has an environment variable read at boot; that value is the default until an admin
 * saves one, and the saved value wins from then on (on every pod, through the config-change bus).
 */
export interface RuntimeSettings {
  logLevel: LogLevel;
  /** Prompt logging of tenants created without a choice (the tenant's own switch decides after). */
  promptLoggingDefault: boolean;
  promptRetentionDays: number;
  requestLogRetentionDays: number;
  rollupRetentionDays: number;
  /** Outer per-client-IP limit of the gateway; 0 = off. */
  gatewayIpRequestsPerMinute: number;
  /** Requests one pod handles at once; more are answered 503 `overloaded`. */
  gatewayMaxInFlight: number;
  gatewayRetryMaxRetries: number;
  gatewayRetryBaseDelayMs: number;
  gatewayRetryMaxDelayMs: number;
  /** A provider asking to wait longer than this (Retry-After) is not retried. */
  gatewayRetryMaxRetryAfterMs: number;
  gatewayBreakerFailureThreshold: number;
  /** Failures further apart than this do not add up towards the threshold. */
  gatewayBreakerWindowMs: number;
  gatewayBreakerCooldownMs: number;
  gatewayBreakerHalfOpenProbes: number;
  /** On shutdown, how long running requests (streams) may take to finish. */
  gatewayDrainTimeoutMs: number;
}

export type RuntimeSettingKey = keyof RuntimeSettings;

interface IntegerDefinition {
  kind: 'integer';
  env: string;
  min: number;
  max: number;
  default: number;
  description: string;
}
interface BooleanDefinition {
  kind: 'boolean';
  env: string;
  default: boolean;
  description: string;
}
interface EnumDefinition {
  kind: 'enum';
  env: string;
  values: readonly string[];
  default: string;
  description: string;
}
export type RuntimeSettingDefinition = IntegerDefinition | BooleanDefinition | EnumDefinition;

const int = (env: string, def: number, min: number, max: number, description: string): IntegerDefinition => ({
  kind: 'integer',
  env,
  default: def,
  min,
  max,
  description,
});

/** The one table of runtime settings: environment variable, bounds, default (README lists them). */
export const RUNTIME_SETTING_DEFINITIONS: Record<RuntimeSettingKey, RuntimeSettingDefinition> = {
  logLevel: {
    kind: 'enum',
    env: 'LOG_LEVEL',
    values: LOG_LEVELS,
    default: 'info',
    description: 'Log level of every pod',
  },
  promptLoggingDefault: {
    kind: 'boolean',
    env: 'PROMPT_LOGGING_DEFAULT',
    default: false,
    description: 'Prompt logging of new tenants created without a choice',
  },
  promptRetentionDays: int('PROMPT_RETENTION_DAYS', 30, 1, 3650, 'Days logged prompts are kept'),
  requestLogRetentionDays: int('REQUEST_LOG_RETENTION_DAYS', 90, 1, 3650, 'Days request-log rows are kept'),
  rollupRetentionDays: int('ROLLUP_RETENTION_DAYS', 730, 1, 36500, 'Days usage rollups are kept'),
  gatewayIpRequestsPerMinute: int(
    'GATEWAY_IP_RATE_LIMIT_PER_MIN',
    6_000,
    0,
    10_000_000,
    'Gateway requests per client IP and minute (0 = off)',
  ),
  gatewayMaxInFlight: int('GATEWAY_MAX_IN_FLIGHT', 4_096, 1, 1_000_000, 'Requests one pod handles at once'),
  gatewayRetryMaxRetries: int('GATEWAY_RETRY_MAX_RETRIES', 2, 0, 10, 'Upstream retries per request'),
  gatewayRetryBaseDelayMs: int('GATEWAY_RETRY_BASE_DELAY_MS', 250, 0, 60_000, 'First retry backoff'),
  gatewayRetryMaxDelayMs: int('GATEWAY_RETRY_MAX_DELAY_MS', 4_000, 0, 300_000, 'Longest retry backoff'),
  gatewayRetryMaxRetryAfterMs: int(
    'GATEWAY_RETRY_MAX_RETRY_AFTER_MS',
    10_000,
    0,
    600_000,
    'Longest Retry-After honoured before giving up',
  ),
  gatewayBreakerFailureThreshold: int(
    'GATEWAY_BREAKER_FAILURE_THRESHOLD',
    5,
    1,
    1_000,
    'Failures (within the window) that open a model circuit',
  ),
  gatewayBreakerWindowMs: int(
    'GATEWAY_BREAKER_WINDOW_MS',
    60_000,
    100,
    3_600_000,
    'Failures further apart than this start the count again',
  ),
  gatewayBreakerCooldownMs: int(
    'GATEWAY_BREAKER_COOLDOWN_MS',
    30_000,
    100,
    3_600_000,
    'How long an open circuit stays open',
  ),
  gatewayBreakerHalfOpenProbes: int(
    'GATEWAY_BREAKER_HALF_OPEN_PROBES',
    1,
    1,
    100,
    'Trial requests let through a half-open circuit',
  ),
  gatewayDrainTimeoutMs: int(
    'GATEWAY_DRAIN_TIMEOUT_MS',
    25_000,
    0,
    600_000,
    'How long running requests may finish on shutdown',
  ),
};

export const RUNTIME_SETTING_KEYS = Object.keys(RUNTIME_SETTING_DEFINITIONS) as RuntimeSettingKey[];

/** Why `value` is not acceptable for `key`, or undefined when it is. */
export function runtimeSettingProblem(key: RuntimeSettingKey, value: unknown): string | undefined {
  const definition = RUNTIME_SETTING_DEFINITIONS[key];
  switch (definition.kind) {
    case 'integer':
      return typeof value === 'number' &&
        Number.isInteger(value) &&
        value >= definition.min &&
        value <= definition.max
        ? undefined
        : `must be an integer from ${definition.min} to ${definition.max}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'enum':
      return typeof value === 'string' && definition.values.includes(value)
        ? undefined
        : `must be one of ${definition.values.join(', ')}`;
  }
}

function parseEnvValue(definition: RuntimeSettingDefinition, raw: string): unknown {
  switch (definition.kind) {
    case 'integer':
      return /^-?\d+$/.test(raw) ? Number(raw) : raw;
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    case 'enum':
      return raw;
  }
}

/**
 * The runtime settings as the environment gives them (definition defaults where unset);
 * throws ConfigError naming every bad variable. `logLevel` comes from AppConfig, which already
 * validated LOG_LEVEL and picks a quieter default for tests.
 */
export function loadRuntimeDefaults(env: NodeJS.ProcessEnv, logLevel: LogLevel): RuntimeSettings {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const key of RUNTIME_SETTING_KEYS) {
    const definition = RUNTIME_SETTING_DEFINITIONS[key];
    const raw = env[definition.env]?.trim();
    if (key === 'logLevel' || raw === undefined || raw === '') {
      values[key] = definition.default;
      continue;
    }
    const value = parseEnvValue(definition, raw);
    const problem = runtimeSettingProblem(key, value);
    if (problem) problems.push(`${definition.env}=${JSON.stringify(raw)} ${problem}`);
    values[key] = value;
  }
  if (problems.length > 0) throw new ConfigError(`Invalid environment: ${problems.join(' | ')}`);
  return { ...(values as unknown as RuntimeSettings), logLevel };
}
