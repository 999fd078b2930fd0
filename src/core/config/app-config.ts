import { createHash, randomBytes } from 'node:crypto';

import { parseTrustProxy, type TrustProxy } from '../http/client-ip';
import { OutboundGuard } from '../http/outbound-guard';
import { type TelemetryConfig, telemetryConfigFromEnv } from '../telemetry/telemetry-config';
import {
  ConfigError,
  type EnvironmentVariables,
  type LogLevel,
  type NodeRole,
  validateEnvironment,
} from './environment';
import { loadRuntimeDefaults, type RuntimeSettings } from './runtime-defaults';

/** The validated, typed configuration every module reads (never `process.env` directly). */
export class AppConfig {
  readonly role!: NodeRole;
  readonly nodeEnv!: 'development' | 'production' | 'test';
  readonly isProduction: boolean;
  /** Undefined outside production means "start the embedded development database". */
  readonly mongodbUri!: string | undefined;
  readonly redisUrl!: string | undefined;
  /** A Redis command slower than this counts as Redis unavailable (limits fall back per pod). */
  readonly redisCommandTimeoutMs!: number;
  readonly jwtSecret!: string;
  readonly jwtExpiresIn!: string;
  /** 32-byte AES-256-GCM key for provider secrets and stored prompts. */
  readonly encryptionKey!: Buffer;
  readonly port!: number;
  readonly corsOrigins!: string[];
  readonly logLevel!: LogLevel;
  readonly bootstrapAdmin!: { username: string; password: string } | undefined;
  readonly configPollIntervalMs!: number;
  readonly uiDistDir!: string | undefined;
  /** How often each pod writes its heartbeat; a pod is stale after three missed ones. */
  readonly heartbeatIntervalMs!: number;
  /** Per-IP requests per minute on login/setup/password routes (default 20). */
  readonly authRateLimitPerMinute!: number;
  /** Per-IP requests per minute on the whole admin API (default 300). */
  readonly adminRateLimitPerMinute!: number;
  /** Cluster-wide runtime settings as the environment gives them (admins may override them). */
  readonly runtimeDefaults!: RuntimeSettings;
  /** Which peers may set the client address through X-Forwarded-For (`TRUST_PROXY`, default off). */
  readonly trustProxy!: TrustProxy;
  /** Internal hosts/ranges provider and LDAP URLs may reach (`PROVIDER_URL_ALLOW`; SSRF guard). */
  readonly providerUrlAllow!: string[];
  /** Failed logins that lock an account (`LOGIN_MAX_FAILURES`, default 5; 0 = never). */
  readonly loginMaxFailures!: number;
  /** Failed logins that lock a client address (`LOGIN_IP_MAX_FAILURES`, default 50; 0 = never). */
  readonly loginIpMaxFailures!: number;
  /** Lock duration and counting window (`LOGIN_LOCK_MINUTES`, default 15). */
  readonly loginLockMinutes!: number;
  /** Base of the growing delay after repeated failures (`LOGIN_DELAY_MS`, default 250; 0 = none). */
  readonly loginDelayMs!: number;
  /** `Strict-Transport-Security: max-age` in seconds on admin and console answers; 0 = not sent. */
  readonly hstsMaxAgeSeconds!: number;
  /** Server processes on this host (`WORKERS`, node:cluster; default 1 = no cluster). */
  readonly workers!: number;
  /** Heap the dashboard may use for closed days' rollups (`ANALYTICS_CACHE_MB`, default 128; 0 = off). */
  readonly analyticsCacheMb!: number;
  /** OpenTelemetry export (`OTEL_*`); undefined = off, and the SDK is never loaded. */
  readonly telemetry!: TelemetryConfig | undefined;
  /** Things a developer should know at boot (insecure development fallbacks). */
  readonly warnings!: string[];

  constructor(values: Omit<AppConfig, 'isProduction'>) {
    Object.assign(this, values);
    this.isProduction = values.nodeEnv === 'production';
  }
}

const DEV_ENCRYPTION_KEY_SEED = 'model-prism-development-only-encryption-key';

/** Builds AppConfig from the environment; throws ConfigError (one line) when it must not boot. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const vars: EnvironmentVariables = validateEnvironment(env);
  const nodeEnv = (vars.NODE_ENV ?? 'development') as AppConfig['nodeEnv'];
  const production = nodeEnv === 'production';
  const warnings: string[] = [];

  if (production) {
    if (!vars.JWT_SECRET || vars.JWT_SECRET.length < 32) {
      throw new ConfigError(
        'Invalid environment: JWT_SECRET must be set to at least 32 characters in production',
      );
    }
    if (!vars.ENCRYPTION_KEY) {
      throw new ConfigError(
        'Invalid environment: ENCRYPTION_KEY must be set in production (openssl rand -hex 32)',
      );
    }
    if (!vars.MONGODB_URI) {
      throw new ConfigError('Invalid environment: MONGODB_URI must be set in production');
    }
  }

  if (env.OFFLINE !== undefined && env.OFFLINE !== '') {
    // The server never calls out except to configured providers, LDAP and Redis (docs/security.md).
    warnings.push('OFFLINE is no longer read: the server makes no outbound call but to what you configure');
  }

  let jwtSecret = vars.JWT_SECRET;
  if (!jwtSecret) {
    jwtSecret = randomBytes(32).toString('hex');
    warnings.push('JWT_SECRET is not set: using a random secret, sessions end when the process restarts');
  }
  let encryptionKey: Buffer;
  if (vars.ENCRYPTION_KEY) {
    encryptionKey = /^[0-9a-fA-F]{64}$/.test(vars.ENCRYPTION_KEY)
      ? Buffer.from(vars.ENCRYPTION_KEY, 'hex')
      : Buffer.from(vars.ENCRYPTION_KEY, 'base64');
  } else {
    encryptionKey = createHash('sha256').update(DEV_ENCRYPTION_KEY_SEED).digest();
    warnings.push('ENCRYPTION_KEY is not set: using a fixed development key, never do this in production');
  }

  const corsOrigins = (vars.CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);

  const bootstrapAdmin =
    vars.BOOTSTRAP_ADMIN_USERNAME && vars.BOOTSTRAP_ADMIN_PASSWORD
      ? { username: vars.BOOTSTRAP_ADMIN_USERNAME, password: vars.BOOTSTRAP_ADMIN_PASSWORD }
      : undefined;
  if (Boolean(vars.BOOTSTRAP_ADMIN_USERNAME) !== Boolean(vars.BOOTSTRAP_ADMIN_PASSWORD)) {
    throw new ConfigError(
      'Invalid environment: BOOTSTRAP_ADMIN_USERNAME and BOOTSTRAP_ADMIN_PASSWORD must be set together',
    );
  }

  if ((vars.WORKERS ?? 1) > 1 && !vars.REDIS_URL) {
    warnings.push(
      'WORKERS > 1 without REDIS_URL: rate limits and circuit breakers count per process (N processes allow N× a limit)',
    );
  }

  const logLevel = (vars.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info')) as LogLevel;
  let trustProxy: TrustProxy;
  try {
    trustProxy = parseTrustProxy(vars.TRUST_PROXY);
  } catch (error) {
    throw new ConfigError(`Invalid environment: TRUST_PROXY ${(error as Error).message}`);
  }

  const providerUrlAllow = (vars.PROVIDER_URL_ALLOW ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  try {
    // Hosts are taken as they are; addresses and CIDRs must parse (a typo stops the boot).
    new OutboundGuard(providerUrlAllow);
  } catch (error) {
    throw new ConfigError(`Invalid environment: PROVIDER_URL_ALLOW ${(error as Error).message}`);
  }

  const telemetry = telemetryConfigFromEnv(env);
  if (telemetry) warnings.push(...telemetry.warnings);

  return new AppConfig({
    role: (vars.NODE_ROLE ?? 'full') as NodeRole,
    nodeEnv,
    mongodbUri: vars.MONGODB_URI,
    redisUrl: vars.REDIS_URL,
    redisCommandTimeoutMs: vars.REDIS_COMMAND_TIMEOUT_MS ?? 250,
    jwtSecret,
    jwtExpiresIn: vars.JWT_EXPIRES_IN ?? '12h',
    encryptionKey,
    port: vars.PORT ?? 3000,
    corsOrigins,
    logLevel,
    bootstrapAdmin,
    configPollIntervalMs: vars.CONFIG_POLL_INTERVAL_MS ?? 15_000,
    uiDistDir: vars.UI_DIST_DIR,
    heartbeatIntervalMs: vars.HEARTBEAT_INTERVAL_MS ?? 30_000,
    authRateLimitPerMinute: vars.AUTH_RATE_LIMIT_PER_MIN ?? 20,
    adminRateLimitPerMinute: vars.ADMIN_RATE_LIMIT_PER_MIN ?? 300,
    runtimeDefaults: loadRuntimeDefaults(env, logLevel),
    trustProxy,
    providerUrlAllow,
    loginMaxFailures: vars.LOGIN_MAX_FAILURES ?? 5,
    loginIpMaxFailures: vars.LOGIN_IP_MAX_FAILURES ?? 50,
    loginLockMinutes: vars.LOGIN_LOCK_MINUTES ?? 15,
    loginDelayMs: vars.LOGIN_DELAY_MS ?? 250,
    hstsMaxAgeSeconds: vars.HSTS_MAX_AGE ?? 0,
    workers: vars.WORKERS ?? 1,
    analyticsCacheMb: vars.ANALYTICS_CACHE_MB ?? 128,
    telemetry,
    warnings,
  });
}
