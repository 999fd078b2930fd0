import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import {
  RoutingDecisionDto,
  RoutingDecisionSummaryDto,
  RoutingOutcomeDto,
} from '../../dto/routing-decision.dto';

export class RoutingMessageDto {
  @IsIn(['system', 'developer', 'user', 'assistant', 'tool'])
  role!: 'system' | 'developer' | 'user' | 'assistant' | 'tool';

  @IsString()
  @MaxLength(100_000)
  content!: string;
}

export class RoutingDryRunDto {
  /** Tenant id or slug: its rule set, routing settings and models apply. */
  @IsString()
  @Length(1, 100)
  tenant!: string;

  /** The latest user message (appended after `messages`). Either this or `messages` is required. */
  @IsOptional()
  @IsString()
  @MaxLength(100_000)
  prompt?: string;

  /** Sent as the first (system) message. */
  @IsOptional()
  @IsString()
  @MaxLength(50_000)
  systemPrompt?: string;

  /** Earlier conversation (a multi-turn dry run). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => RoutingMessageDto)
  messages?: RoutingMessageDto[];

  /** Ask the tenant's LLM classifier chain when confidence is low, as production does (costs a call). Default false. */
  @IsOptional()
  @IsBoolean()
  useLlmClassifier?: boolean;
}

export class RoutingDryRunResponseDto extends RoutingDecisionDto {
  tenantId!: string;
  tenantSlug!: string;
  dryRun!: boolean;
}

/** A stored routing trace (also shown in the request-log detail). */
export class RoutingTraceResponseDto extends IntersectionType(RoutingOutcomeDto, RoutingDecisionSummaryDto) {
  /** Trace id (the request log's `routingTraceId`). */
  id!: string;
  @ApiProperty({ type: String, nullable: true })
  tenantId!: string | null;
  timestamp!: string;
  /** Request log of the traced request, when found. */
  @ApiPropertyOptional({ type: String, nullable: true })
  requestId?: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true })
  classifier!: Record<string, unknown>;
  /** Signals, rule hits, classifier ranking and LLM answer as stored for replay. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  evidence!: Record<string, unknown>;
  /** Step details were cut to keep the stored trace bounded. */
  truncated!: boolean;
}
