import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { AZURE_API_TYPES, PROVIDER_AUTH_TYPES, PROVIDER_STATUSES, PROVIDER_TYPES } from '../provider.types';

export class ProviderAuthResponseDto {
  @ApiProperty({ enum: PROVIDER_AUTH_TYPES })
  type!: string;
  /** `********` when set; the secret itself is never returned. */
  apiKey?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
}

export class ProviderOptionsResponseDto {
  apiVersion?: string;
  apiPath?: string;
  deployments?: string[];
  @ApiPropertyOptional({ enum: AZURE_API_TYPES })
  apiType?: string;
  region?: string;
  httpProxy?: string;
  skipTlsVerify?: boolean;
  timeoutMs?: number;
  /** Credential-like header values are shown as `********`. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  extraHeaders?: Record<string, string>;
}

export class ProviderResponseDto {
  id!: string;
  name!: string;
  slug!: string;
  @ApiProperty({ enum: PROVIDER_TYPES })
  type!: string;
  baseUrl!: string;
  auth!: ProviderAuthResponseDto;
  /** True when any credential is stored. */
  hasCredentials!: boolean;
  options!: ProviderOptionsResponseDto;
  enabled!: boolean;
  @ApiProperty({ enum: PROVIDER_STATUSES })
  status!: string;
  @ApiProperty({ type: String, nullable: true })
  statusMessage!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastCheckedAt!: Date | null;
  /** Models of this provider in the registry. */
  modelCount!: number;
  createdAt!: Date;
  updatedAt!: Date;
}

export class ProbeStepDto {
  action!: string;
  method?: string;
  url?: string;
  ok!: boolean;
  status?: number;
  latencyMs?: number;
  /** dns, refused, timeout, tls, reset, proxy, network, auth, not_found, http, bad_response, config */
  cause?: string;
  message!: string;
}

export class ProviderCheckResponseDto {
  ok!: boolean;
  message!: string;
  apiPath?: string;
  modelCount?: number;
  /** What to change, e.g. "drop the trailing /v1". */
  suggestion?: string;
  suggestedBaseUrl?: string;
  latencyMs!: number;
  @ApiProperty({ type: [ProbeStepDto] })
  steps!: ProbeStepDto[];
}

export class ProviderDiscoverResponseDto {
  ok!: boolean;
  message!: string;
  /** Models new to the registry. */
  added!: string[];
  /** Known models whose metadata was refreshed (admin-edited fields kept). */
  updated!: string[];
  /** Models in the registry the provider no longer lists (kept; hide or delete them). */
  missing!: string[];
  @ApiProperty({ type: [ProbeStepDto] })
  steps!: ProbeStepDto[];
}

export class ProviderTryResponseDto {
  ok!: boolean;
  model!: string;
  @ApiProperty({ type: String, nullable: true })
  content!: string | null;
  @ApiProperty({ type: Number, nullable: true })
  inputTokens!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  outputTokens!: number | null;
  latencyMs!: number;
  @ApiProperty({ type: Number, nullable: true })
  status!: number | null;
  @ApiProperty({ type: String, nullable: true })
  error!: string | null;
}
