import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';

import { RoutingTraceResponseDto } from '../../routing/dry-run/dto/dry-run.dto';
import { TenantUsageQueryDto } from './usage-range.dto';

const booleanQuery = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

/** `failed` = `error` or `aborted` (what the dashboard counts as errors). */
export const REQUEST_STATUS_FILTERS = ['ok', 'error', 'aborted', 'failed'] as const;
export type RequestStatusFilter = (typeof REQUEST_STATUS_FILTERS)[number];

/** The filters the request log and its sessions view share. */
export class RequestLogFiltersDto extends TenantUsageQueryDto {
  /** The `x-request-id` a client saw. */
  @IsOptional()
  @IsString()
  @Length(1, 128)
  requestId?: string;

  /** Display prefix of the API key (`omp-1a2b3c4d`). */
  @IsOptional()
  @IsString()
  @Length(1, 32)
  keyPrefix?: string;

  @IsOptional()
  @IsString()
  @Length(1, 256)
  user?: string;

  @IsOptional()
  @IsString()
  @Length(1, 256)
  session?: string;

  @IsOptional()
  @IsString()
  @Length(1, 256)
  requestedModel?: string;

  @IsOptional()
  @IsString()
  @Length(1, 256)
  routedModel?: string;

  /** Provider id or slug. */
  @IsOptional()
  @IsString()
  @Length(1, 128)
  provider?: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  category?: string;

  @IsOptional()
  @IsString()
  @Length(1, 32)
  tier?: string;

  @ApiPropertyOptional({ enum: REQUEST_STATUS_FILTERS })
  @IsOptional()
  @IsIn(REQUEST_STATUS_FILTERS)
  status?: RequestStatusFilter;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  errorType?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(booleanQuery)
  @IsBoolean()
  streamed?: boolean;

  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  minLatencyMs?: number;

  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  minCostUsd?: number;
}

export class ListRequestsQueryDto extends RequestLogFiltersDto {
  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @Matches(/^[0-9]{1,15}_[0-9a-f]{24}$/, { message: 'cursor must be a nextCursor of this list' })
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class ListRequestSessionsQueryDto extends RequestLogFiltersDto {
  /** Sessions to skip (most recently active first). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000)
  offset?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class RequestDetailQueryDto {
  /** Also return the logged prompt and answer (needs `prompts.read`; every view is audited). */
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(booleanQuery)
  @IsBoolean()
  includePrompt?: boolean;
}

export class RequestLogItemDto {
  /** Request-log row id. */
  id!: string;
  timestamp!: string;
  requestId!: string;
  @ApiProperty({ type: String, nullable: true })
  tenantId!: string | null;
  @ApiProperty({ type: String, nullable: true })
  tenantSlug!: string | null;
  @ApiProperty({ type: String, nullable: true })
  keyPrefix!: string | null;
  @ApiProperty({ type: String, nullable: true })
  user!: string | null;
  @ApiProperty({ type: String, nullable: true })
  sessionId!: string | null;
  endpoint!: string;
  stream!: boolean;
  @ApiProperty({ type: String, nullable: true })
  requestedModel!: string | null;
  @ApiProperty({ type: String, nullable: true })
  routedModel!: string | null;
  @ApiProperty({ type: String, nullable: true })
  providerSlug!: string | null;
  autoRouted!: boolean;
  @ApiProperty({ type: String, nullable: true })
  category!: string | null;
  @ApiProperty({ type: String, nullable: true })
  tier!: string | null;
  inputTokens!: number;
  outputTokens!: number;
  costUsd!: number;
  savedUsd!: number;
  latencyMs!: number;
  @ApiProperty({ enum: ['success', 'error', 'aborted'] })
  status!: string;
  httpStatus!: number;
  @ApiProperty({ type: String, nullable: true })
  errorType!: string | null;
  fallback!: boolean;
}

export class RequestLogPageDto {
  items!: RequestLogItemDto[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class RequestSessionModelDto {
  /** The routed model; null for requests that failed before one was chosen. */
  @ApiProperty({ type: String, nullable: true })
  model!: string | null;
  requests!: number;
}

/** One conversation: the requests that carried the same `x-session-id` in one tenant. */
export class RequestSessionDto {
  sessionId!: string;
  @ApiProperty({ type: String, nullable: true })
  tenantId!: string | null;
  @ApiProperty({ type: String, nullable: true })
  tenantSlug!: string | null;
  requests!: number;
  /** Requests that failed or were aborted. */
  errors!: number;
  costUsd!: number;
  inputTokens!: number;
  outputTokens!: number;
  firstAt!: string;
  lastAt!: string;
  /** Models used, most requests first. */
  models!: RequestSessionModelDto[];
}

export class RequestSessionPageDto {
  items!: RequestSessionDto[];
  /** More sessions follow: ask again with `offset` + the number of items. */
  hasMore!: boolean;
}

export class RequestAttemptDto {
  provider!: string;
  model!: string;
  /** `ok`, a failure kind (`server`, `timeout`, `rate_limited`, …) or `circuit_open`. */
  outcome!: string;
  status?: number;
  ms!: number;
}

export class RequestTimingsDto {
  /** Arrival to last byte. */
  totalMs!: number;
  /** Time in the gateway itself (total − upstream). */
  gatewayMs!: number;
  /** Time waiting for upstreams, all attempts. */
  upstreamMs!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Streams: arrival to first byte sent' })
  ttftMs!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Routing decision (auto-routed requests)' })
  routingMs!: number | null;
}

export class ContextFallbackDto {
  original_model!: string;
  fallback_model!: string;
  reason!: string;
}

export class RequestRoutingDto {
  autoRouted!: boolean;
  @ApiProperty({ type: String, nullable: true })
  category!: string | null;
  @ApiProperty({ type: String, nullable: true })
  tier!: string | null;
  @ApiProperty({ type: Number, nullable: true })
  confidence!: number | null;
  @ApiProperty({ type: String, nullable: true })
  reason!: string | null;
  overrides!: string[];
  @ApiProperty({ type: String, nullable: true })
  traceId!: string | null;
  /** The stored routing trace (every step), when kept. */
  @ApiPropertyOptional({ type: RoutingTraceResponseDto, nullable: true })
  trace!: RoutingTraceResponseDto | null;
}

export class RequestPromptDto {
  @ApiProperty({ description: 'The request messages as sent by the client' })
  request!: unknown;
  @ApiProperty({ description: 'The answer text', nullable: true })
  response!: unknown;
}

export class RequestDetailDto extends RequestLogItemDto {
  @ApiProperty({ type: String, nullable: true })
  keyId!: string | null;
  @ApiProperty({ type: String, nullable: true })
  providerId!: string | null;
  usageEstimated!: boolean;
  cachedInputTokens!: number;
  @ApiProperty({ type: String, nullable: true })
  baselineModel!: string | null;
  baselineCostUsd!: number;
  @ApiProperty({ type: String, nullable: true })
  errorCode!: string | null;
  @ApiProperty({ type: String, nullable: true })
  errorMessage!: string | null;
  timings!: RequestTimingsDto;
  /** Every upstream attempt in order (retries and fallbacks). */
  attempts!: RequestAttemptDto[];
  /** Attempts after the first one. */
  retries!: number;
  @ApiProperty({ type: ContextFallbackDto, nullable: true })
  contextFallback!: ContextFallbackDto | null;
  routing!: RequestRoutingDto;
  notes!: string[];
  /** Prompt logging captured this request's prompt and answer (see `includePrompt`). */
  promptLogged!: boolean;
  /** Present only with `includePrompt=true`; null when nothing was captured (or it expired). */
  @ApiPropertyOptional({ type: RequestPromptDto, nullable: true })
  prompt?: RequestPromptDto | null;
}
