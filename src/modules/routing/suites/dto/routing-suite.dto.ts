import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
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

/** The provider model that does a helper job (writes cases, evaluates a run). */
class RoutingHelperModelDto {
  /** Provider id or slug. */
  @IsString()
  @Length(1, 100)
  provider!: string;

  @IsString()
  @Length(1, 200)
  model!: string;
}

export class GenerateRoutingCasesDto extends RoutingHelperModelDto {
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

export class EvaluateRoutingRunDto extends RoutingHelperModelDto {}
