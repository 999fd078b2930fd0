import { ApiProperty } from '@nestjs/swagger';

import { TIERS } from '../../../common/tiers';
import { MANUAL_MODEL_FIELDS } from '../provider.types';

export class ModelPricingResponseDto {
  inputPer1M!: number;
  outputPer1M!: number;
  @ApiProperty({ type: Number, nullable: true })
  cachedInputPer1M!: number | null;
}

export class ModelCapabilitiesResponseDto {
  vision!: boolean;
  tools!: boolean;
  fim!: boolean;
  embeddings!: boolean;
  reasoning!: boolean;
}

export class ModelBenchmarksResponseDto {
  @ApiProperty({ type: Number, nullable: true })
  intelligence!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  coding!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  math!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  speed!: number | null;
}

export class ModelResponseDto {
  id!: string;
  providerId!: string;
  providerSlug!: string;
  providerName!: string;
  modelId!: string;
  /** `providerSlug/modelId`. */
  prefixedId!: string;
  name!: string;
  @ApiProperty({ enum: TIERS, nullable: true })
  tier!: string | null;
  categories!: string[];
  @ApiProperty({ type: Number, nullable: true })
  contextWindow!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  maxOutputTokens!: number | null;
  pricing!: ModelPricingResponseDto;
  capabilities!: ModelCapabilitiesResponseDto;
  benchmarks!: ModelBenchmarksResponseDto;
  visible!: boolean;
  priority!: number;
  notes!: string;
  @ApiProperty({ enum: ['chat', 'responses', 'embeddings'] })
  apiType!: string;
  /** Fields an admin edited; discovery never overwrites them. */
  @ApiProperty({ enum: MANUAL_MODEL_FIELDS, isArray: true })
  manualFields!: string[];
  @ApiProperty({ enum: ['discovered', 'manual'] })
  source!: string;
  @ApiProperty({ type: String, nullable: true })
  registryId!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastSeenAt!: Date | null;
  updatedAt!: Date;
}

export class ModelListResponseDto {
  @ApiProperty({ type: [ModelResponseDto] })
  items!: ModelResponseDto[];
  total!: number;
  page!: number;
  pageSize!: number;
}

export class ModelVisibilityResponseDto {
  /** Models found and updated. */
  updated!: number;
}
