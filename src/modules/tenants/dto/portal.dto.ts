import { ApiProperty } from '@nestjs/swagger';

import { ApiKeyResponseDto } from './api-key.dto';
import { ModelAccessDto } from './tenant.dto';

export class PortalUsageDto {
  activeKeys!: number;
  totalKeys!: number;
  /** Most recent use of any key of the tenant. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUsedAt!: Date | null;
}

export class PortalTenantResponseDto {
  id!: string;
  slug!: string;
  name!: string;
  active!: boolean;
  isDefault!: boolean;
  /** OpenAI-compatible base URL for clients. */
  endpoint!: string;
  /** ANTHROPIC_BASE_URL for Anthropic clients such as Claude Code. */
  anthropicBaseUrl!: string;
  modelAccess!: ModelAccessDto;
  /** Key prefixes and state; full keys are never shown. */
  @ApiProperty({ type: [ApiKeyResponseDto] })
  keys!: ApiKeyResponseDto[];
  usage!: PortalUsageDto;
}

export class PortalModelResponseDto {
  modelId!: string;
  prefixedId!: string;
  name!: string;
  providerSlug!: string;
  @ApiProperty({ type: String, nullable: true })
  tier!: string | null;
  @ApiProperty({ type: Number, nullable: true })
  contextWindow!: number | null;
  inputPer1M!: number;
  outputPer1M!: number;
  /** Whether the tenant's model access currently allows it. */
  allowed!: boolean;
}
