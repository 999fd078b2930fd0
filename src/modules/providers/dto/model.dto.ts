import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsMongoId,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { PageQueryDto } from '../../../common/dto/page-query.dto';
import { type Tier, TIERS } from '../../../common/tiers';
import {
  AZURE_API_TYPES,
  type AzureApiType,
  MANUAL_MODEL_FIELDS,
  type ManualModelField,
} from '../provider.types';

const CATEGORY_KEY = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class ModelPricingDto {
  /** USD per 1M input tokens. */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(10_000)
  inputPer1M!: number;

  /** USD per 1M output tokens. */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(10_000)
  outputPer1M!: number;

  /** USD per 1M cached input tokens; null = same as input. */
  @ApiPropertyOptional({ type: Number, nullable: true })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(10_000)
  cachedInputPer1M?: number | null;
}

export class ModelCapabilitiesDto {
  @IsOptional() @IsBoolean() vision?: boolean;
  @IsOptional() @IsBoolean() tools?: boolean;
  /** Fill-in-the-middle (autocomplete). */
  @IsOptional() @IsBoolean() fim?: boolean;
  @IsOptional() @IsBoolean() embeddings?: boolean;
  @IsOptional() @IsBoolean() reasoning?: boolean;
}

export class ModelBenchmarksDto {
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 100 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(100)
  intelligence?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 100 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(100)
  coding?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 100 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(100)
  math?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 100 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(100)
  speed?: number | null;
}

/** Editable fields; every field sent is pinned (marked manual) so discovery keeps it. */
export class UpdateModelDto {
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: TIERS, nullable: true })
  @IsOptional()
  @IsIn([...TIERS, null])
  tier?: Tier | null;

  /** Routing category keys this model is meant for. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(CATEGORY_KEY, { each: true, message: 'each category must be a category key' })
  categories?: string[];

  @ApiPropertyOptional({ type: Number, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  contextWindow?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  maxOutputTokens?: number | null;

  @IsOptional()
  @ValidateNested()
  @Type(() => ModelPricingDto)
  pricing?: ModelPricingDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => ModelCapabilitiesDto)
  capabilities?: ModelCapabilitiesDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => ModelBenchmarksDto)
  benchmarks?: ModelBenchmarksDto;

  /** Hidden models are never chosen by routing or listed to clients. */
  @IsOptional()
  @IsBoolean()
  visible?: boolean;

  /** Azure deployments only: called through Chat Completions or the Responses API. */
  @ApiPropertyOptional({ enum: AZURE_API_TYPES })
  @IsOptional()
  @IsIn(AZURE_API_TYPES)
  apiType?: AzureApiType;

  /** 1-100, higher first among equals. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  priority?: number;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class CreateModelDto extends UpdateModelDto {
  @IsMongoId()
  providerId!: string;

  /** Upstream model id (Azure: deployment name). */
  @IsString()
  @Length(1, 200)
  @Matches(/^[^\s]+$/, { message: 'modelId must not contain whitespace' })
  modelId!: string;
}

export const MODEL_SORTS = [
  'priority',
  'modelId',
  'inputPrice',
  'outputPrice',
  'contextWindow',
  'tier',
] as const;
const CAPABILITY_KEYS = ['vision', 'tools', 'fim', 'embeddings', 'reasoning'] as const;

export class ListModelsQueryDto extends PageQueryDto {
  /** Provider id or slug. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  provider?: string;

  /** Case-insensitive substring of the model id or name. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;

  @ApiPropertyOptional({ enum: TIERS })
  @IsOptional()
  @IsIn(TIERS)
  tier?: Tier;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  visible?: boolean;

  @IsOptional()
  @Matches(CATEGORY_KEY)
  category?: string;

  @ApiPropertyOptional({ enum: CAPABILITY_KEYS })
  @IsOptional()
  @IsIn(CAPABILITY_KEYS)
  capability?: (typeof CAPABILITY_KEYS)[number];

  @ApiPropertyOptional({ enum: MODEL_SORTS, default: 'priority' })
  @IsOptional()
  @IsIn(MODEL_SORTS)
  sort?: (typeof MODEL_SORTS)[number];
}

export class SetModelVisibilityDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsMongoId({ each: true })
  ids!: string[];

  @IsBoolean()
  visible!: boolean;
}

export class ResetModelFieldsDto {
  /** Fields to un-pin so the next discovery refreshes them; empty = all. */
  @ApiProperty({ enum: MANUAL_MODEL_FIELDS, isArray: true })
  @IsArray()
  @ArrayMaxSize(MANUAL_MODEL_FIELDS.length)
  @IsIn(MANUAL_MODEL_FIELDS, { each: true })
  fields!: ManualModelField[];
}
