import { OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

import { type Tier, TIERS } from '../../../../common/tiers';
import { SCORING_PROFILES, type ScoringProfile } from '../../engine/routing.types';

/** Lower-case letters, digits and underscores, starting with a letter. */
export const CATEGORY_KEY_PATTERN = /^[a-z][a-z0-9_]{1,63}$/;
const CATEGORY_KEY_MESSAGE =
  '$property must be 2-64 lower-case letters, digits or underscores, starting with a letter';
/** Model ids or `providerSlug/modelId`. */
const MODEL_REF = /^[^\s]{1,200}$/;
const MODEL_REF_MESSAGE = '$property must be a model id without spaces (max 200 characters)';

export const CATEGORY_LIMITS = {
  name: 100,
  description: 1000,
  examples: 100,
  exampleLength: 2000,
  addedExamples: 500,
  systemPrompt: 8000,
} as const;

const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class CreateCategoryDto {
  /** Stable identifier used in routing decisions and rules (cannot change later). */
  @Matches(CATEGORY_KEY_PATTERN, { message: CATEGORY_KEY_MESSAGE })
  key!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(CATEGORY_LIMITS.name)
  name!: string;

  /** What belongs in this category; also shown to the LLM classifier. */
  @IsOptional()
  @IsString()
  @MaxLength(CATEGORY_LIMITS.description)
  description?: string;

  @IsIn(TIERS)
  tier!: Tier;

  /** Example prompts (English and German welcome); they train the local classifier. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CATEGORY_LIMITS.examples)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(CATEGORY_LIMITS.exampleLength, { each: true })
  examples?: string[];

  /** Used first when usable (`modelId` or `providerSlug/modelId`); null = benchmark selection. */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(MODEL_REF, { message: MODEL_REF_MESSAGE })
  defaultModel?: string | null;

  /** Tried when the default model is missing, hidden or too small. */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(MODEL_REF, { message: MODEL_REF_MESSAGE })
  fallbackModel?: string | null;

  @IsOptional()
  @IsBoolean()
  requiresVision?: boolean;

  /** Injected into requests routed to this category (never for autocomplete). */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(CATEGORY_LIMITS.systemPrompt)
  systemPrompt?: string | null;

  /** Benchmark weighting for selection; derived from the key when absent. */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsIn(SCORING_PROFILES)
  scoringProfile?: ScoringProfile | null;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  /** Display order within its tier (lower first). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  order?: number;
}

export class UpdateCategoryDto extends PartialType(OmitType(CreateCategoryDto, ['key'] as const)) {
  /** Replaces the admin-added examples (use `POST :key/examples` to append). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CATEGORY_LIMITS.addedExamples)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(CATEGORY_LIMITS.exampleLength, { each: true })
  addedExamples?: string[];
}

export class AddExamplesDto {
  /** Appended to the category's admin-added examples (duplicates are ignored). */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(CATEGORY_LIMITS.exampleLength, { each: true })
  examples!: string[];
}

export class ListCategoriesQueryDto {
  @IsOptional()
  @IsIn(TIERS)
  tier?: Tier;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  builtIn?: boolean;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  enabled?: boolean;

  /** Case-insensitive match on key, name or description. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;
}

export class ApplyPresetDto {
  /** Provider id or slug whose visible models fill the categories. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  providerId!: string;

  /** Keep default models that are already set (default false: overwrite them). */
  @IsOptional()
  @IsBoolean()
  keepExisting?: boolean;
}
