import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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

import { TIERS } from '../../../../common/tiers';

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

export class RoutingStepDto {
  @ApiProperty({
    enum: [
      'signals',
      'strictness_gate',
      'fim_fast_path',
      'rules',
      'local_classifier',
      'tier_model',
      'combine',
      'llm_classifier',
      'overrides',
      'session_fill',
      'cost_mode',
      'strictness',
      'selection',
    ],
  })
  name!: string;
  /** What the step looked at (prompt-free summary). */
  @ApiProperty({ type: 'object', additionalProperties: true })
  input!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true })
  output!: Record<string, unknown>;
  confidence?: number;
  skipped?: boolean;
  durationUs!: number;
}

export class RoutingOverrideDto {
  code!: string;
  @ApiProperty({ enum: TIERS })
  from!: string;
  @ApiProperty({ enum: TIERS })
  to!: string;
  detail?: string;
}

export class RoutingSelectedModelDto {
  id!: string;
  @ApiProperty({ type: String, nullable: true })
  providerId!: string | null;
  providerSlug?: string;
  @ApiPropertyOptional({ enum: TIERS })
  tier?: string;
}

export class RoutingClassifierUsageDto {
  @ApiProperty({ type: String, nullable: true })
  model!: string | null;
  attempts!: number;
  inputTokens!: number;
  outputTokens!: number;
  costUsd!: number;
}

export class RoutingDecisionDto {
  /** False when the user's model was kept (strictness). */
  routed!: boolean;
  @ApiProperty({ type: String, nullable: true })
  category!: string | null;
  @ApiProperty({ type: String, nullable: true })
  categoryName!: string | null;
  @ApiProperty({ enum: TIERS })
  tier!: string;
  @ApiProperty({ type: RoutingSelectedModelDto, nullable: true })
  model!: RoutingSelectedModelDto | null;
  confidence!: number;
  source!: string;
  selectionMethod!: string;
  @ApiProperty({ type: String, nullable: true })
  domain!: string | null;
  reason!: string;
  overrides!: RoutingOverrideDto[];
  /** The category system prompt the gateway would inject. */
  @ApiProperty({ type: String, nullable: true })
  systemPrompt!: string | null;
  /** Facts about the request (token estimate, images, tools, domains, ...). */
  @ApiProperty({ type: 'object', additionalProperties: true })
  signals!: Record<string, unknown>;
  classifier!: RoutingClassifierUsageDto;
  routingMs!: number;
  /** Every step in order with its input, output, confidence and time. */
  steps!: RoutingStepDto[];
}

export class RoutingDryRunResponseDto extends RoutingDecisionDto {
  tenantId!: string;
  tenantSlug!: string;
  dryRun!: boolean;
}

export class RoutingTraceResponseDto {
  /** Trace id (the request log's `routingTraceId`). */
  id!: string;
  @ApiProperty({ type: String, nullable: true })
  tenantId!: string | null;
  timestamp!: string;
  /** Request log of the traced request, when found. */
  @ApiPropertyOptional({ type: String, nullable: true })
  requestId?: string | null;
  routed!: boolean;
  @ApiProperty({ type: String, nullable: true })
  category!: string | null;
  @ApiProperty({ enum: TIERS })
  tier!: string;
  @ApiProperty({ type: String, nullable: true })
  model!: string | null;
  @ApiProperty({ type: String, nullable: true })
  providerId!: string | null;
  confidence!: number;
  source!: string;
  selectionMethod!: string;
  @ApiProperty({ type: String, nullable: true })
  domain!: string | null;
  reason!: string;
  overrides!: RoutingOverrideDto[];
  routingMs!: number;
  @ApiProperty({ type: 'object', additionalProperties: true })
  classifier!: Record<string, unknown>;
  steps!: RoutingStepDto[];
  /** Signals, rule hits, classifier ranking and LLM answer as stored for replay. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  evidence!: Record<string, unknown>;
  /** Step details were cut to keep the stored trace bounded. */
  truncated!: boolean;
}
