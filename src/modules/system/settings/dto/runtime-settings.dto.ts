import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

import {
  LOG_LEVELS,
  type LogLevel,
  RUNTIME_SETTING_DEFINITIONS,
  RUNTIME_SETTING_KEYS,
  type RuntimeSettingKey,
} from '../../../../core/config';

/** Validation and Swagger metadata of one setting, both taken from the definitions table. */
function Setting(key: RuntimeSettingKey): PropertyDecorator {
  const definition = RUNTIME_SETTING_DEFINITIONS[key];
  const description = `${definition.description} (env ${definition.env}; null resets to it)`;
  switch (definition.kind) {
    case 'integer':
      return applyDecorators(
        ApiPropertyOptional({
          type: 'integer',
          nullable: true,
          minimum: definition.min,
          maximum: definition.max,
          description,
        }),
        IsOptional(),
        IsInt(),
        Min(definition.min),
        Max(definition.max),
      );
    case 'boolean':
      return applyDecorators(
        ApiPropertyOptional({ type: Boolean, nullable: true, description }),
        IsOptional(),
        IsBoolean(),
      );
    case 'enum':
      return applyDecorators(
        ApiPropertyOptional({ enum: definition.values, nullable: true, description }),
        IsOptional(),
        IsIn(definition.values),
      );
  }
}

/** Only the keys given change; `null` returns a key to its environment value. */
export class UpdateRuntimeSettingsDto {
  @Setting('logLevel') logLevel?: LogLevel | null;
  @Setting('promptLoggingDefault') promptLoggingDefault?: boolean | null;
  @Setting('promptRetentionDays') promptRetentionDays?: number | null;
  @Setting('requestLogRetentionDays') requestLogRetentionDays?: number | null;
  @Setting('rollupRetentionDays') rollupRetentionDays?: number | null;
  @Setting('gatewayIpRequestsPerMinute') gatewayIpRequestsPerMinute?: number | null;
  @Setting('gatewayMaxInFlight') gatewayMaxInFlight?: number | null;
  @Setting('gatewayRetryMaxRetries') gatewayRetryMaxRetries?: number | null;
  @Setting('gatewayRetryBaseDelayMs') gatewayRetryBaseDelayMs?: number | null;
  @Setting('gatewayRetryMaxDelayMs') gatewayRetryMaxDelayMs?: number | null;
  @Setting('gatewayRetryMaxRetryAfterMs') gatewayRetryMaxRetryAfterMs?: number | null;
  @Setting('gatewayBreakerFailureThreshold') gatewayBreakerFailureThreshold?: number | null;
  @Setting('gatewayBreakerWindowMs') gatewayBreakerWindowMs?: number | null;
  @Setting('gatewayBreakerCooldownMs') gatewayBreakerCooldownMs?: number | null;
  @Setting('gatewayBreakerHalfOpenProbes') gatewayBreakerHalfOpenProbes?: number | null;
  @Setting('gatewayDrainTimeoutMs') gatewayDrainTimeoutMs?: number | null;
}

/** The effective values (typed, for the console and scripts). */
export class RuntimeSettingsValuesDto {
  @ApiProperty({ enum: LOG_LEVELS }) logLevel!: LogLevel;
  promptLoggingDefault!: boolean;
  @ApiProperty({ type: 'integer' }) promptRetentionDays!: number;
  @ApiProperty({ type: 'integer' }) requestLogRetentionDays!: number;
  @ApiProperty({ type: 'integer' }) rollupRetentionDays!: number;
  @ApiProperty({ type: 'integer' }) gatewayIpRequestsPerMinute!: number;
  @ApiProperty({ type: 'integer' }) gatewayMaxInFlight!: number;
  @ApiProperty({ type: 'integer' }) gatewayRetryMaxRetries!: number;
  @ApiProperty({ type: 'integer' }) gatewayRetryBaseDelayMs!: number;
  @ApiProperty({ type: 'integer' }) gatewayRetryMaxDelayMs!: number;
  @ApiProperty({ type: 'integer' }) gatewayRetryMaxRetryAfterMs!: number;
  @ApiProperty({ type: 'integer' }) gatewayBreakerFailureThreshold!: number;
  @ApiProperty({ type: 'integer' }) gatewayBreakerWindowMs!: number;
  @ApiProperty({ type: 'integer' }) gatewayBreakerCooldownMs!: number;
  @ApiProperty({ type: 'integer' }) gatewayBreakerHalfOpenProbes!: number;
  @ApiProperty({ type: 'integer' }) gatewayDrainTimeoutMs!: number;
}

const SETTING_VALUE_SCHEMA = { oneOf: [{ type: 'integer' }, { type: 'boolean' }, { type: 'string' }] };

/** One setting with where its value comes from and what it may be. */
export class RuntimeSettingEntryDto {
  @ApiProperty({ enum: RUNTIME_SETTING_KEYS }) key!: RuntimeSettingKey;
  @ApiProperty(SETTING_VALUE_SCHEMA) value!: number | boolean | string;
  /** `admin` once an admin saved a value (it wins); `env` while the environment value applies. */
  @ApiProperty({ enum: ['env', 'admin'] }) source!: 'env' | 'admin';
  /** The environment variable read at boot. */
  envVar!: string;
  /** The environment's value (or the built-in default when the variable is unset). */
  @ApiProperty(SETTING_VALUE_SCHEMA) envValue!: number | boolean | string;
  @ApiProperty({ enum: ['integer', 'boolean', 'enum'] }) kind!: 'integer' | 'boolean' | 'enum';
  @ApiPropertyOptional({ type: 'integer' }) min?: number;
  @ApiPropertyOptional({ type: 'integer' }) max?: number;
  @ApiPropertyOptional({ type: [String] }) allowed?: string[];
  description!: string;
}

export class RuntimeSettingsResponseDto {
  values!: RuntimeSettingsValuesDto;
  @ApiProperty({ type: [RuntimeSettingEntryDto] })
  settings!: RuntimeSettingEntryDto[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  updatedAt!: Date | null;
  @ApiProperty({ type: String, nullable: true })
  updatedBy!: string | null;
}
