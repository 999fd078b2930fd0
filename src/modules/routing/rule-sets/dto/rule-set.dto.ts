import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { type Tier, TIERS } from '../../../../common/tiers';
import {
  CLASSIFIER_STRATEGIES,
  type ClassifierStrategy,
  COST_MODES,
  type CostMode,
  DOMAINS,
  type Domain,
  KEYWORD_SEARCH_SCOPES,
  type KeywordSearchScope,
} from '../../engine/routing.types';
import { RULE_SET_LIMITS } from '../../engine/rule-set.validation';

/*
 * Shape checks only: ranges, regex safety, tier order and category keys are checked by the engine's
 * validateRuleSet, whose field errors become the 400 details.
 */

const TOKENS = { min: 0, max: RULE_SET_LIMITS.maxTokenThreshold };
const NUMBER = { allowNaN: false, allowInfinity: false };

/** Minimum request size (estimated tokens) for each tier; ascending. */
export class TokenThresholdsDto {
  @IsInt() @Min(TOKENS.min) @Max(TOKENS.max) minimal!: number;
  @IsInt() @Min(TOKENS.min) @Max(TOKENS.max) low!: number;
  @IsInt() @Min(TOKENS.min) @Max(TOKENS.max) medium!: number;
  @IsInt() @Min(TOKENS.min) @Max(TOKENS.max) advanced!: number;
  @IsInt() @Min(TOKENS.min) @Max(TOKENS.max) high!: number;
}

/** What a keyword or role rule decides when it matches (each field optional). */
export class RuleOutcomeDto {
  @IsOptional()
  @IsString()
  @MaxLength(64)
  category?: string;

  @ApiPropertyOptional({ enum: TIERS })
  @IsOptional()
  @IsIn(TIERS)
  tierMin?: Tier;

  @ApiPropertyOptional({ enum: TIERS })
  @IsOptional()
  @IsIn(TIERS)
  tierMax?: Tier;

  @ApiPropertyOptional({ enum: DOMAINS })
  @IsOptional()
  @IsIn(DOMAINS)
  domain?: Domain;

  /** 0..1; defaults to `weights.contentKeywords` (keyword rules) or `weights.systemPromptRole` (role rules). */
  @IsOptional()
  @IsNumber(NUMBER)
  @Min(0)
  @Max(1)
  confidence?: number;
}

export class KeywordRuleDto extends RuleOutcomeDto {
  @IsString()
  @MaxLength(RULE_SET_LIMITS.nameLength)
  name!: string;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  /** Phrases matched on word boundaries (`foo*` = prefix), or regex sources when `regex` is set. */
  @IsArray()
  @ArrayMaxSize(RULE_SET_LIMITS.keywordsPerRule)
  @IsString({ each: true })
  @MaxLength(RULE_SET_LIMITS.keywordRegexLength, { each: true })
  keywords!: string[];

  @IsOptional()
  @IsBoolean()
  regex?: boolean;

  @ApiProperty({ enum: ['any', 'all'] })
  @IsIn(['any', 'all'])
  match!: 'any' | 'all';

  /** For `any`: distinct keywords that must hit. */
  @IsInt()
  @Min(1)
  @Max(RULE_SET_LIMITS.keywordsPerRule)
  minMatches!: number;

  @ApiProperty({ enum: KEYWORD_SEARCH_SCOPES })
  @IsIn(KEYWORD_SEARCH_SCOPES)
  searchIn!: KeywordSearchScope;
}

export class RoleRuleDto extends RuleOutcomeDto {
  @IsString()
  @MaxLength(RULE_SET_LIMITS.nameLength)
  name!: string;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  /** Case-insensitive regex tested against the start of the system prompt. */
  @IsString()
  @MaxLength(RULE_SET_LIMITS.rolePatternLength)
  pattern!: string;
}

/** Each 0..1. */
export class SignalWeightsDto {
  @IsNumber(NUMBER) @Min(0) @Max(1) tokenCount!: number;
  @IsNumber(NUMBER) @Min(0) @Max(1) systemPromptRole!: number;
  @IsNumber(NUMBER) @Min(0) @Max(1) contentKeywords!: number;
  @IsNumber(NUMBER) @Min(0) @Max(1) codeLanguage!: number;
  @IsNumber(NUMBER) @Min(0) @Max(1) conversationTurns!: number;
}

export class ClassifierSettingsDto {
  /** Below this combined confidence the LLM classifier is asked (when the tenant has one). */
  @IsNumber(NUMBER)
  @Min(0)
  @Max(1)
  confidenceThreshold!: number;

  @ApiProperty({ enum: CLASSIFIER_STRATEGIES })
  @IsIn(CLASSIFIER_STRATEGIES)
  strategy!: ClassifierStrategy;

  @IsInt()
  @Min(RULE_SET_LIMITS.minContextLimitTokens)
  @Max(RULE_SET_LIMITS.maxContextLimitTokens)
  contextLimitTokens!: number;
}

/** A complete rule set (PUT replaces it as a whole). */
export class RuleSetDto {
  @IsString()
  @MaxLength(RULE_SET_LIMITS.nameLength)
  name!: string;

  @ValidateNested()
  @Type(() => TokenThresholdsDto)
  tokenThresholds!: TokenThresholdsDto;

  @ApiProperty({ type: [KeywordRuleDto] })
  @IsArray()
  @ArrayMaxSize(RULE_SET_LIMITS.keywordRules)
  @ValidateNested({ each: true })
  @Type(() => KeywordRuleDto)
  keywordRules!: KeywordRuleDto[];

  @ApiProperty({ type: [RoleRuleDto] })
  @IsArray()
  @ArrayMaxSize(RULE_SET_LIMITS.roleRules)
  @ValidateNested({ each: true })
  @Type(() => RoleRuleDto)
  systemPromptRoles!: RoleRuleDto[];

  @ValidateNested()
  @Type(() => SignalWeightsDto)
  weights!: SignalWeightsDto;

  @ValidateNested()
  @Type(() => ClassifierSettingsDto)
  classifier!: ClassifierSettingsDto;

  @ApiProperty({ enum: COST_MODES })
  @IsIn(COST_MODES)
  costMode!: CostMode;

  /** −2..+2 tiers applied after the cost mode. */
  // Explicit: the Swagger plugin drops a property whose @Min argument is a unary expression.
  @ApiProperty({
    type: 'integer',
    minimum: -RULE_SET_LIMITS.maxTierBoost,
    maximum: RULE_SET_LIMITS.maxTierBoost,
  })
  @IsInt()
  @Min(-RULE_SET_LIMITS.maxTierBoost)
  @Max(RULE_SET_LIMITS.maxTierBoost)
  tierBoost!: number;
}
