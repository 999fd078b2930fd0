import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

export const PLAYGROUND_ROLES = ['user', 'assistant'] as const;

export class PlaygroundMessageDto {
  @ApiProperty({ enum: PLAYGROUND_ROLES })
  @IsIn(PLAYGROUND_ROLES)
  role!: (typeof PLAYGROUND_ROLES)[number];

  @IsString()
  @MinLength(1)
  @MaxLength(100_000)
  content!: string;
}

/** One playground turn: the conversation so far, sent through the gateway for the chosen tenant. */
export class PlaygroundChatDto {
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  tenantId!: string;

  /** A model the tenant may use, or `auto`. */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  model!: string;

  @ApiProperty({ type: [PlaygroundMessageDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => PlaygroundMessageDto)
  messages!: PlaygroundMessageDto[];

  /** Sent as the first (system) message. */
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  systemPrompt?: string;

  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(2)
  temperature?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxTokens?: number;

  /** Server-sent events (default) or one JSON chat completion. */
  @IsOptional()
  @IsBoolean()
  stream?: boolean;

  /** Groups the conversation's requests in the request log (`x-session-id`). */
  @ApiPropertyOptional({ pattern: '^[A-Za-z0-9._:-]+$' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9._:-]+$/)
  sessionId?: string;
}

export class PlaygroundTenantDto {
  id!: string;
  slug!: string;
  name!: string;
  /** What the tenant may use, `auto` first when it auto-routes. */
  models!: string[];
}

export class PlaygroundTenantsResponseDto {
  @ApiProperty({ type: [PlaygroundTenantDto] })
  items!: PlaygroundTenantDto[];
}

export class PlaygroundRoutingDto {
  @ApiProperty({ type: String, nullable: true })
  category!: string | null;
  @ApiProperty({ type: String, nullable: true })
  tier!: string | null;
  @ApiProperty({ type: Number, nullable: true })
  confidence!: number | null;
  reason!: string;
  overrides!: string[];
  routingMs!: number;
  /** Look it up in `admin/routing/traces/{id}` for every step. */
  traceId!: string;
}

export class PlaygroundAttemptDto {
  provider!: string;
  model!: string;
  outcome!: string;
  @ApiPropertyOptional({ type: 'integer' })
  status?: number;
  ms!: number;
}

export class PlaygroundContextFallbackDto {
  original_model!: string;
  fallback_model!: string;
  reason!: string;
}

/** The data of the `event: prism` that ends a playground stream (documented for the console). */
export class PlaygroundSummaryDto {
  requestId!: string;
  @ApiProperty({ type: String, nullable: true })
  model!: string | null;
  @ApiProperty({ type: String, nullable: true })
  provider!: string | null;
  @ApiProperty({ type: PlaygroundRoutingDto, nullable: true })
  routing!: PlaygroundRoutingDto | null;
  @ApiProperty({ type: PlaygroundContextFallbackDto, nullable: true })
  contextFallback!: PlaygroundContextFallbackDto | null;
  @ApiProperty({ type: [PlaygroundAttemptDto] })
  attempts!: PlaygroundAttemptDto[];
  totalMs!: number;
}
