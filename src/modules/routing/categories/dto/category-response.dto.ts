import { ApiProperty } from '@nestjs/swagger';

import { type Tier, TIERS } from '../../../../common/tiers';
import { SCORING_PROFILES, type ScoringProfile } from '../../engine/routing.types';

export class CategoryResponseDto {
  key!: string;
  name!: string;
  description!: string;
  @ApiProperty({ enum: TIERS })
  tier!: Tier;
  examples!: string[];
  /** Added by admins; kept by "restore built-ins". */
  addedExamples!: string[];
  @ApiProperty({ type: String, nullable: true })
  defaultModel!: string | null;
  @ApiProperty({ type: String, nullable: true })
  fallbackModel!: string | null;
  requiresVision!: boolean;
  @ApiProperty({ type: String, nullable: true })
  systemPrompt!: string | null;
  @ApiProperty({ enum: SCORING_PROFILES, nullable: true })
  scoringProfile!: ScoringProfile | null;
  /** Shipped with Model Prism: can be disabled and restored, not deleted. */
  builtIn!: boolean;
  enabled!: boolean;
  order!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  updatedAt!: string | null;
}

export class CategoryTierGroupDto {
  @ApiProperty({ enum: TIERS })
  tier!: Tier;
  /** Keys of the listed categories in this tier, in display order. */
  keys!: string[];
}

export class CategoryListResponseDto {
  /** Sorted by tier (cheapest first), then display order and key. */
  @ApiProperty({ type: [CategoryResponseDto] })
  items!: CategoryResponseDto[];
  total!: number;
  /** The listed categories grouped by tier (only tiers that have any). */
  @ApiProperty({ type: [CategoryTierGroupDto] })
  tiers!: CategoryTierGroupDto[];
}

export class PresetResponseDto {
  key!: string;
  name!: string;
  description!: string;
  /** Category keys the preset fills; empty = every category. */
  categories!: string[];
}

export class PresetAssignmentDto {
  category!: string;
  @ApiProperty({ type: String, nullable: true })
  defaultModel!: string | null;
  @ApiProperty({ type: String, nullable: true })
  fallbackModel!: string | null;
  /** False when the provider has no fitting model or `keepExisting` left the category alone. */
  applied!: boolean;
}

export class PresetApplyResponseDto {
  preset!: string;
  providerId!: string;
  /** Number of categories whose models changed. */
  updated!: number;
  @ApiProperty({ type: [PresetAssignmentDto] })
  assignments!: PresetAssignmentDto[];
}
