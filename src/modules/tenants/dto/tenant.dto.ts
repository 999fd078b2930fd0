import { ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsMongoId,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { PageQueryDto } from '../../../common/dto/page-query.dto';
import {
  COST_MODES,
  type CostMode,
  DOMAINS,
  type Domain,
  STRICTNESS_MODES,
  type Strictness,
} from '../../../common/routing-vocabulary';
import { type Tier, TIERS } from '../../../common/tiers';
import {
  LIMIT_ENFORCEMENTS,
  LOAD_BALANCING_STRATEGIES,
  type LimitEnforcement,
  type LoadBalancingStrategy,
  MODEL_ACCESS_MODES,
  type ModelAccessMode,
  QUOTA_TYPES,
  type QuotaType,
  TENANT_SLUG_PATTERN,
} from '../tenant.types';

/** Model ids, `provider/model` or patterns with `*`. */
const MODEL_REF = /^[^\s]{1,200}$/;
const MODEL_REF_MESSAGE = '$property must be a model id without spaces (max 200 characters)';
const USD = { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 4 };

export class ModelAccessDto {
  @ApiPropertyOptional({ enum: MODEL_ACCESS_MODES })
  @IsOptional()
  @IsIn(MODEL_ACCESS_MODES)
  mode?: ModelAccessMode;

  /** Model ids or `providerSlug/modelId`; `*` matches any characters. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(MODEL_REF, { each: true, message: MODEL_REF_MESSAGE })
  list?: string[];
}

export class ModelAliasDto {
  /** What clients send as `model`. */
  @Matches(/^[A-Za-z0-9][\w.:/-]{0,99}$/, { message: 'alias must be 1-100 letters, digits or . _ : / -' })
  alias!: string;

  /** A model id or `providerSlug/modelId` (or `auto`). */
  @Matches(MODEL_REF, { message: MODEL_REF_MESSAGE })
  model!: string;
}

export class RateLimitDto {
  /** 0 = unlimited. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  requestsPerMinute?: number;

  /** 0 = unlimited. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  tokensPerMinute?: number;
}

export class BudgetsDto {
  /** USD per UTC calendar day; 0 = unlimited. */
  @IsOptional()
  @IsNumber(USD)
  @Min(0)
  @Max(10_000_000)
  dailyUsd?: number;

  /** USD per ISO week (Monday 00:00 UTC); 0 = unlimited. */
  @IsOptional()
  @IsNumber(USD)
  @Min(0)
  @Max(10_000_000)
  weeklyUsd?: number;

  /** USD per calendar month (UTC); 0 = unlimited. */
  @IsOptional()
  @IsNumber(USD)
  @Min(0)
  @Max(100_000_000)
  monthlyUsd?: number;

  @ApiPropertyOptional({ enum: LIMIT_ENFORCEMENTS })
  @IsOptional()
  @IsIn(LIMIT_ENFORCEMENTS)
  enforcement?: LimitEnforcement;
}

export class QuotaDto {
  @ApiPropertyOptional({ enum: QUOTA_TYPES })
  @IsIn(QUOTA_TYPES)
  type!: QuotaType;

  @IsInt()
  @Min(1)
  @Max(1_000_000_000_000)
  limit!: number;

  @ApiPropertyOptional({ enum: LIMIT_ENFORCEMENTS })
  @IsIn(LIMIT_ENFORCEMENTS)
  enforcement!: LimitEnforcement;
}

export class BudgetGuardDto {
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  /** Percent of any budget at which the guard engages. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  thresholdPct?: number;

  @ApiPropertyOptional({ enum: COST_MODES })
  @IsOptional()
  @IsIn(COST_MODES)
  costMode?: CostMode;

  @ApiPropertyOptional({ enum: TIERS, isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(TIERS, { each: true })
  blockedTiers?: Tier[];
}

export class ClassifierEndpointDto {
  @Matches(MODEL_REF, { message: MODEL_REF_MESSAGE })
  model!: string;

  @IsOptional()
  @IsMongoId()
  providerId?: string;

  /** Known window of the classifier model; its prompt is cut to fit. */
  @IsOptional()
  @IsInt()
  @Min(512)
  @Max(100_000_000)
  contextWindow?: number;
}

/** Switches of the routing override stage; unset fields take the engine's defaults. */
export class RoutingOverridesDto {
  @IsOptional() @IsBoolean() vision?: boolean;
  @IsOptional() @IsBoolean() toolCalls?: boolean;
  @ApiPropertyOptional({ enum: TIERS })
  @IsOptional()
  @IsIn(TIERS)
  toolCallMinTier?: Tier;
  @IsOptional() @IsBoolean() lowConfidence?: boolean;
  @IsOptional() @IsNumber() @Min(0) @Max(1) lowConfidenceThreshold?: number;
  @ApiPropertyOptional({ enum: TIERS })
  @IsOptional()
  @IsIn(TIERS)
  lowConfidenceFloor?: Tier;
  @IsOptional() @IsBoolean() domainGate?: boolean;
  @ApiPropertyOptional({ enum: DOMAINS, isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(DOMAINS, { each: true })
  domainGateDomains?: Domain[];
  @ApiPropertyOptional({ enum: TIERS })
  @IsOptional()
  @IsIn(TIERS)
  domainGateMinTier?: Tier;
  @IsOptional() @IsBoolean() conversationTurns?: boolean;
  @IsOptional() @IsInt() @Min(1) @Max(1000) conversationTurnThreshold?: number;
  @IsOptional() @IsBoolean() frustration?: boolean;
  @IsOptional() @IsBoolean() outputLength?: boolean;
  @IsOptional() @IsBoolean() longContext?: boolean;
  @IsOptional() @IsBoolean() sessionFill?: boolean;
  @IsOptional() @IsNumber() @Min(0) @Max(1) sessionFillThreshold?: number;
}

export class TenantRoutingDto {
  /** Auto-routing of `auto` / `auto-prism`. */
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  /** When a request naming a concrete model is still routed. */
  @ApiPropertyOptional({ enum: STRICTNESS_MODES })
  @IsOptional()
  @IsIn(STRICTNESS_MODES)
  strictness?: Strictness;

  /** Put anywhere in the last user message to keep the requested model (default `--model-prism-accept-model`). */
  @IsOptional()
  @Matches(/^\S{3,100}$/, { message: 'optOutToken must be 3-100 characters without spaces' })
  optOutToken?: string;

  /** LLM classifier first, then its fallbacks, in order. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => ClassifierEndpointDto)
  classifierChain?: ClassifierEndpointDto[];

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @Matches(MODEL_REF, { message: MODEL_REF_MESSAGE })
  defaultModel?: string | null;

  /** Model savings are computed against. */
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @Matches(MODEL_REF, { message: MODEL_REF_MESSAGE })
  baselineModel?: string | null;

  /** Routing rule set; null = the global default. */
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsMongoId()
  ruleSetId?: string | null;

  /** Overrides the rule set's cost mode; null = use the rule set's. */
  @ApiPropertyOptional({ enum: COST_MODES, nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsIn(COST_MODES)
  costMode?: CostMode | null;

  @IsOptional()
  @ValidateNested()
  @Type(() => RoutingOverridesDto)
  overrides?: RoutingOverridesDto;
}

export class FallbackTargetDto {
  @IsMongoId()
  providerId!: string;

  /** Null = the same model id on that provider. */
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @Matches(MODEL_REF, { message: MODEL_REF_MESSAGE })
  model?: string | null;
}

export class FallbackChainDto {
  /** Model id pattern (`*` wildcards) this chain applies to; `*` = every model. */
  @Matches(MODEL_REF, { message: MODEL_REF_MESSAGE })
  modelPattern!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => FallbackTargetDto)
  targets!: FallbackTargetDto[];

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5)
  maxRetries?: number;
}

export class ProviderWeightDto {
  @IsMongoId()
  providerId!: string;

  @IsInt()
  @Min(0)
  @Max(1000)
  weight!: number;
}

export class LoadBalancingDto {
  @ApiPropertyOptional({ enum: LOAD_BALANCING_STRATEGIES })
  @IsOptional()
  @IsIn(LOAD_BALANCING_STRATEGIES)
  strategy?: LoadBalancingStrategy;

  /** For `weighted`; providers not listed get weight 1. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ProviderWeightDto)
  weights?: ProviderWeightDto[];
}

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreateTenantDto {
  /** URL segment (`/api/<slug>/v1`): lowercase letters, digits, dashes. Cannot be changed later. */
  @Transform(trim)
  @Matches(TENANT_SLUG_PATTERN, {
    message: 'slug must be 1-63 lowercase letters, digits or dashes, not starting or ending with a dash',
  })
  slug!: string;

  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @IsOptional()
  @IsBoolean()
  active?: boolean;

  /** Providers the tenant may use. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsMongoId({ each: true })
  providerIds?: string[];

  @IsOptional()
  @ValidateNested()
  @Type(() => ModelAccessDto)
  modelAccess?: ModelAccessDto;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ModelAliasDto)
  aliases?: ModelAliasDto[];

  @IsOptional()
  @ValidateNested()
  @Type(() => RateLimitDto)
  rateLimit?: RateLimitDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => BudgetsDto)
  budgets?: BudgetsDto;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(QUOTA_TYPES.length)
  @ValidateNested({ each: true })
  @Type(() => QuotaDto)
  quotas?: QuotaDto[];

  @IsOptional()
  @ValidateNested()
  @Type(() => BudgetGuardDto)
  budgetGuard?: BudgetGuardDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => TenantRoutingDto)
  routing?: TenantRoutingDto;

  /** Prepended as a system message when the request has none; null = none. */
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(20_000)
  defaultSystemPrompt?: string | null;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => FallbackChainDto)
  fallbackChains?: FallbackChainDto[];

  /** How to pick among the tenant's providers serving the same model. */
  @IsOptional()
  @ValidateNested()
  @Type(() => LoadBalancingDto)
  loadBalancing?: LoadBalancingDto;

  /** Store prompts and responses (encrypted, with retention) for this tenant. */
  @IsOptional()
  @IsBoolean()
  promptLogging?: boolean;

  /** Lifetime of new keys in days; 0 = no expiry (the global maximum still applies). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  keyLifetimeDays?: number;
}

/** Partial update: nested objects are merged field by field, lists are replaced. */
export class UpdateTenantDto extends PartialType(OmitType(CreateTenantDto, ['slug'] as const)) {}

export class ListTenantsQueryDto extends PageQueryDto {
  /** Substring of slug or name. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}

export class UpdateModelAccessDto {
  @ApiPropertyOptional({ enum: MODEL_ACCESS_MODES })
  @IsIn(MODEL_ACCESS_MODES)
  mode!: ModelAccessMode;

  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(MODEL_REF, { each: true, message: MODEL_REF_MESSAGE })
  list!: string[];
}
