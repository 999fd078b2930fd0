import { ApiProperty } from '@nestjs/swagger';

import {
  BudgetGuardDto,
  BudgetsDto,
  FallbackChainDto,
  LoadBalancingDto,
  ModelAccessDto,
  ModelAliasDto,
  QuotaDto,
  RateLimitDto,
  TenantRoutingDto,
} from './tenant.dto';

export class TenantResponseDto {
  id!: string;
  slug!: string;
  name!: string;
  active!: boolean;
  /** The tenant behind `/api/v1` and `/v1`; cannot be deleted. */
  isDefault!: boolean;
  /** Gateway base URL path for OpenAI clients (`/api/<slug>/v1`, `/api/v1` for the default tenant). */
  endpointPath!: string;
  providerIds!: string[];
  modelAccess!: ModelAccessDto;
  @ApiProperty({ type: [ModelAliasDto] })
  aliases!: ModelAliasDto[];
  rateLimit!: RateLimitDto;
  budgets!: BudgetsDto;
  @ApiProperty({ type: [QuotaDto] })
  quotas!: QuotaDto[];
  budgetGuard!: BudgetGuardDto;
  routing!: TenantRoutingDto;
  @ApiProperty({ type: String, nullable: true })
  defaultSystemPrompt!: string | null;
  @ApiProperty({ type: [FallbackChainDto] })
  fallbackChains!: FallbackChainDto[];
  loadBalancing!: LoadBalancingDto;
  promptLogging!: boolean;
  keyLifetimeDays!: number;
  /** Keys of this tenant (enabled ones). */
  activeKeyCount!: number;
  createdAt!: Date;
  updatedAt!: Date;
}

export class TenantListResponseDto {
  @ApiProperty({ type: [TenantResponseDto] })
  items!: TenantResponseDto[];
  total!: number;
  page!: number;
  pageSize!: number;
}
