import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { IsIsoDate } from '../../../common/dto/iso-date';
import { RateLimitDto } from './tenant.dto';

export class CreateApiKeyDto {
  /** What the key is for (e.g. `ci`, `alice laptop`). */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string;

  /** Days until the key expires; default: the tenant's key lifetime. 0 = never (if the global maximum allows). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  lifetimeDays?: number;

  /** Exact expiry instead of lifetimeDays (ISO 8601, in the future). */
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @IsIsoDate()
  expiresAt?: Date;

  /** This key's own requests/tokens per minute, enforced besides the tenant's (0 = unlimited). */
  @IsOptional()
  @ValidateNested()
  @Type(() => RateLimitDto)
  rateLimit?: RateLimitDto;
}

export class UpdateApiKeyDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  /** New expiry; null removes it (if the global maximum allows). */
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsIsoDate()
  expiresAt?: Date | null;

  /** The key's own limit; null removes it (only the tenant's limit applies). */
  @ApiPropertyOptional({ type: () => RateLimitDto, nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @ValidateNested()
  @Type(() => RateLimitDto)
  rateLimit?: RateLimitDto | null;
}

export class ApiKeyResponseDto {
  id!: string;
  tenantId!: string;
  /** First 12 characters (`omp-1a2b3c4d`); the full key is never shown again after creation. */
  prefix!: string;
  label!: string;
  enabled!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expiresAt!: Date | null;
  /** True once expiresAt has passed. */
  expired!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUsedAt!: Date | null;
  createdAt!: Date;
  /** The key's own limit (0 = unlimited per field); null = only the tenant's limit. */
  @ApiProperty({ type: () => RateLimitDto, nullable: true })
  rateLimit!: RateLimitDto | null;
}

/** Returned once, by create and rotate: store `apiKey` now, it cannot be retrieved later. */
export class CreatedApiKeyResponseDto extends ApiKeyResponseDto {
  /** The full key (`omp-` + 64 hex). Shown only in this response. */
  apiKey!: string;
}

export class KeyPolicyDto {
  /** Upper bound for any key's lifetime in days; 0 = no maximum. */
  @IsInt()
  @Min(0)
  @Max(3650)
  maxLifetimeDays!: number;
}
