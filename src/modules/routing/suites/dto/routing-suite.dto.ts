import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { TIERS } from '../../../../common/tiers';

export const SUITE_MAX_CASES = 500;
export const GENERATE_MAX_CASES = 50;

export class RoutingTestCaseDto {
  @IsString()
  @Length(1, 20_000)
  prompt!: string;

  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  systemPrompt?: string;

  /** Category key the case should get. */
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9_]{1,64}$/)
  expectedCategory?: string;

  @ApiPropertyOptional({ enum: TIERS })
  @IsOptional()
  @IsIn(TIERS)
  expectedTierMin?: string;

  @ApiPropertyOptional({ enum: TIERS })
  @IsOptional()
  @IsIn(TIERS)
  expectedTierMax?: string;
}

export class CreateRoutingSuiteDto {
  @IsString()
  @Length(1, 100)
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  /** Tenant id or slug used by runs unless a run names one. */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  tenant?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(SUITE_MAX_CASES)
  @ValidateNested({ each: true })
  @Type(() => RoutingTestCaseDto)
  cases?: RoutingTestCaseDto[];
}

/** Partial update; `cases` replaces the whole list. */
export class UpdateRoutingSuiteDto extends PartialType(CreateRoutingSuiteDto) {}

export class GenerateRoutingCasesDto {
  /** Provider id or slug whose model writes the cases. */
  @IsString()
  @Length(1, 100)
  provider!: string;

  @IsString()
  @Length(1, 200)
  model!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(GENERATE_MAX_CASES)
  count?: number;

  /** Limit generation to these categories (keys). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(60)
  @IsString({ each: true })
  @Matches(/^[a-z0-9_]{1,64}$/, { each: true })
  categories?: string[];

  /** Extra guidance for the generator (domain, language, difficulty). */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  instructions?: string;
}

export class RunRoutingSuiteDto {
  /** Tenant id or slug; default: the suite's tenant. */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  tenant?: string;

  /** Ask the tenant's LLM classifier for low-confidence cases (costs calls). Default false. */
  @IsOptional()
  @IsBoolean()
  useLlmClassifier?: boolean;
}

export class EvaluateRoutingRunDto {
  @IsString()
  @Length(1, 100)
  provider!: string;

  @IsString()
  @Length(1, 200)
  model!: string;
}

export class RoutingTestCaseResponseDto {
  prompt!: string;
  systemPrompt?: string;
  expectedCategory?: string;
  @ApiPropertyOptional({ enum: TIERS })
  expectedTierMin?: string;
  @ApiPropertyOptional({ enum: TIERS })
  expectedTierMax?: string;
}

export class RoutingSuiteResponseDto {
  id!: string;
  name!: string;
  description!: string;
  @ApiProperty({ type: String, nullable: true })
  tenantId!: string | null;
  cases!: RoutingTestCaseResponseDto[];
  createdAt!: string;
  updatedAt!: string;
}

export class RoutingGenerateResponseDto {
  /** Cases added to the suite. */
  added!: number;
  /** Entries of the model's answer that were not usable cases. */
  rejected!: number;
  suite!: RoutingSuiteResponseDto;
}

export class RoutingCaseResultDto {
  index!: number;
  prompt!: string;
  expectedCategory?: string;
  @ApiPropertyOptional({ enum: TIERS })
  expectedTierMin?: string;
  @ApiPropertyOptional({ enum: TIERS })
  expectedTierMax?: string;
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
  @ApiProperty({ type: Boolean, nullable: true })
  categoryMatch!: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true })
  tierMatch!: boolean | null;
  underRouted!: boolean;
  routingMs!: number;
}

export class RoutingTierCountDto {
  @ApiProperty({ enum: TIERS })
  tier!: string;
  count!: number;
}

export class RoutingRunSummaryDto {
  total!: number;
  categoryChecked!: number;
  categoryMatches!: number;
  @ApiProperty({ type: Number, nullable: true })
  categoryAccuracy!: number | null;
  tierChecked!: number;
  tierMatches!: number;
  @ApiProperty({ type: Number, nullable: true })
  tierAccuracy!: number | null;
  underRouted!: number;
  @ApiProperty({ type: Number, nullable: true })
  accuracy!: number | null;
  tierDistribution!: RoutingTierCountDto[];
  avgRoutingMs!: number;
}

export class RoutingRunEvaluationDto {
  provider!: string;
  model!: string;
  /** 0–100. */
  score!: number;
  summary!: string;
  qualitySuggestions!: string[];
  costSuggestions!: string[];
  evaluatedAt!: string;
}

export class RoutingRunResponseDto {
  id!: string;
  suiteId!: string;
  tenantId!: string;
  createdAt!: string;
  llmClassifier!: boolean;
  summary!: RoutingRunSummaryDto;
  /** Absent in run lists. */
  results?: RoutingCaseResultDto[];
  @ApiProperty({ type: RoutingRunEvaluationDto, nullable: true })
  evaluation!: RoutingRunEvaluationDto | null;
}
