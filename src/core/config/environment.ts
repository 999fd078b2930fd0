import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

export const NODE_ROLES = ['full', 'control', 'worker'] as const;
export type NodeRole = (typeof NODE_ROLES)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const toNumber = ({ value }: { value: unknown }): unknown => (value === undefined ? value : Number(value));
const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** Every environment variable the server reads (DESIGN.md §7), validated at boot. */
export class EnvironmentVariables {
  @IsOptional() @Transform(trim) @IsIn(NODE_ROLES) NODE_ROLE?: string;
  @IsOptional() @Transform(trim) @IsIn(['development', 'production', 'test']) NODE_ENV?: string;
  @IsOptional()
  @Transform(trim)
  @Matches(/^mongodb(\+srv)?:\/\/.+/, { message: 'must be a mongodb:// or mongodb+srv:// URI' })
  MONGODB_URI?: string;
  @IsOptional()
  @Transform(trim)
  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;
  @IsOptional() @IsString() @MinLength(16) JWT_SECRET?: string;
  @IsOptional()
  @Transform(trim)
  @Matches(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, {
    message: 'must be 32 bytes as 64 hex characters or base64 (openssl rand -hex 32)',
  })
  ENCRYPTION_KEY?: string;
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT?: number;
  @IsOptional() @IsString() CORS_ORIGINS?: string;
  @IsOptional() @Transform(trim) @IsIn(LOG_LEVELS) LOG_LEVEL?: string;
  @IsOptional()
  @Matches(/^\d+[smhd]?$/, { message: 'must be a duration such as 12h, 30m or 3600' })
  JWT_EXPIRES_IN?: string;
  @IsOptional() @IsString() @MinLength(3) BOOTSTRAP_ADMIN_USERNAME?: string;
  @IsOptional() @IsString() @MinLength(12) BOOTSTRAP_ADMIN_PASSWORD?: string;
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(250)
  @Max(600_000)
  CONFIG_POLL_INTERVAL_MS?: number;
  @IsOptional() @IsString() UI_DIST_DIR?: string;
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(100)
  @Max(600_000)
  HEARTBEAT_INTERVAL_MS?: number;
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  AUTH_RATE_LIMIT_PER_MIN?: number;
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  ADMIN_RATE_LIMIT_PER_MIN?: number;
  @IsOptional() @IsString() TRUST_PROXY?: string;
  @IsOptional() @IsString() PROVIDER_URL_ALLOW?: string;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(1000) LOGIN_MAX_FAILURES?: number;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(100_000) LOGIN_IP_MAX_FAILURES?: number;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(10_080) LOGIN_LOCK_MINUTES?: number;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(10_000) LOGIN_DELAY_MS?: number;
  /** Seconds for `Strict-Transport-Security`; 0 (default) sends none. Two years at most. */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(63_072_000) HSTS_MAX_AGE?: number;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(64) WORKERS?: number;
  /** Memory for closed days' rollups on control pods (MB); 0 turns the day cache off. */
  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(65_536) ANALYTICS_CACHE_MB?: number;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(10) @Max(60_000) REDIS_COMMAND_TIMEOUT_MS?: number;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Validates raw env vars; throws a ConfigError whose one-line message names each bad variable. */
export function validateEnvironment(env: NodeJS.ProcessEnv): EnvironmentVariables {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(ENV_KEYS)) {
    const value = env[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const parsed = plainToInstance(EnvironmentVariables, relevant);
  const errors = validateSync(parsed, { whitelist: true });
  if (errors.length > 0) {
    const reasons = errors.map((e) => {
      const shown =
        e.property.includes('SECRET') || e.property.includes('KEY') || e.property.includes('PASSWORD')
          ? '(hidden)'
          : JSON.stringify(relevant[e.property]);
      return `${e.property}=${shown} ${Object.values(e.constraints ?? {}).join('; ')}`;
    });
    throw new ConfigError(`Invalid environment: ${reasons.join(' | ')}`);
  }
  return parsed;
}

/** Compile-time exhaustive list of the variables, so a new field cannot be forgotten here. */
const ENV_KEYS: Record<keyof EnvironmentVariables, true> = {
  NODE_ROLE: true,
  NODE_ENV: true,
  MONGODB_URI: true,
  REDIS_URL: true,
  JWT_SECRET: true,
  ENCRYPTION_KEY: true,
  PORT: true,
  CORS_ORIGINS: true,
  LOG_LEVEL: true,
  JWT_EXPIRES_IN: true,
  BOOTSTRAP_ADMIN_USERNAME: true,
  BOOTSTRAP_ADMIN_PASSWORD: true,
  CONFIG_POLL_INTERVAL_MS: true,
  UI_DIST_DIR: true,
  HEARTBEAT_INTERVAL_MS: true,
  AUTH_RATE_LIMIT_PER_MIN: true,
  ADMIN_RATE_LIMIT_PER_MIN: true,
  TRUST_PROXY: true,
  PROVIDER_URL_ALLOW: true,
  LOGIN_MAX_FAILURES: true,
  LOGIN_IP_MAX_FAILURES: true,
  LOGIN_LOCK_MINUTES: true,
  LOGIN_DELAY_MS: true,
  HSTS_MAX_AGE: true,
  WORKERS: true,
  ANALYTICS_CACHE_MB: true,
  REDIS_COMMAND_TIMEOUT_MS: true,
};
