import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import {
  AZURE_API_TYPES,
  type AzureApiType,
  PROVIDER_AUTH_TYPES,
  PROVIDER_TYPES,
  type ProviderAuthType,
  type ProviderType,
} from '../provider.types';
import { IsHeaderRecord } from './string-record.validator';

export const PROVIDER_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;
const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

export class ProviderAuthDto {
  @ApiProperty({ enum: PROVIDER_AUTH_TYPES })
  @IsIn(PROVIDER_AUTH_TYPES)
  type!: ProviderAuthType;

  /** API key or bearer token. Send `********` (the mask) to keep the stored one, `""` to remove it. */
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  apiKey?: string;

  /** AWS access key id (auth type `aws_credentials`). */
  @IsOptional()
  @IsString()
  @MaxLength(256)
  accessKeyId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1024)
  secretAccessKey?: string;

  @IsOptional()
  @IsString()
  @MaxLength(4096)
  sessionToken?: string;
}

export class ProviderOptionsDto {
  /** Azure `api-version` (default 2024-10-21) or Anthropic `anthropic-version`. */
  @IsOptional()
  @IsString()
  @Length(1, 50)
  apiVersion?: string;

  /** Path before `/models`, `/chat/completions`; set by the connection check (`/v1` by default). */
  @IsOptional()
  @IsString()
  @Matches(/^(\/[A-Za-z0-9._~-]+)*$/, { message: 'apiPath must look like /v1 or /api/v1 (or be empty)' })
  @MaxLength(100)
  apiPath?: string;

  /** Azure deployment names. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { each: true, message: 'each deployment must be a deployment name' })
  deployments?: string[];

  /** Azure only: the API new deployments are called through (Chat Completions or Responses); default chat. */
  @ApiPropertyOptional({ enum: AZURE_API_TYPES })
  @IsOptional()
  @IsIn(AZURE_API_TYPES)
  apiType?: AzureApiType;

  /** AWS region for Bedrock (default us-east-1). */
  @IsOptional()
  @Matches(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'region must be an AWS region such as eu-central-1' })
  region?: string;

  /** Outbound proxy for this provider only, e.g. http://proxy.corp:3128. */
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  httpProxy?: string;

  /** Accept self-signed or otherwise untrusted TLS certificates (in-house endpoints only). */
  @IsOptional()
  @IsBoolean()
  skipTlsVerify?: boolean;

  /** Per-request timeout in ms (default 120000). */
  @IsOptional()
  @IsInt()
  @Min(1000)
  @Max(600_000)
  timeoutMs?: number;

  /** Sent with every request; values of credential-like headers are encrypted and masked. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  @IsHeaderRecord()
  extraHeaders?: Record<string, string>;
}

export class CreateProviderDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  /** URL-safe and unique; generated from the name when left out. Cannot be changed later. */
  @IsOptional()
  @Matches(PROVIDER_SLUG_PATTERN, {
    message: 'slug must be 1-48 lowercase letters, digits or dashes, not starting or ending with a dash',
  })
  slug?: string;

  @ApiProperty({ enum: PROVIDER_TYPES })
  @IsIn(PROVIDER_TYPES)
  type!: ProviderType;

  /** Server root without `/v1` (default per type: api.openai.com, api.anthropic.com, localhost:11434, ...). */
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(500)
  baseUrl?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => ProviderAuthDto)
  auth?: ProviderAuthDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => ProviderOptionsDto)
  options?: ProviderOptionsDto;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

/** Partial update; `options` replaces the stored options except masked secrets. */
export class UpdateProviderDto extends PartialType(OmitType(CreateProviderDto, ['slug'] as const)) {}

export class TryProviderMessageDto {
  @IsIn(['system', 'user', 'assistant'])
  role!: 'system' | 'user' | 'assistant';

  @IsString()
  @MaxLength(20_000)
  content!: string;
}

export class TryProviderDto {
  /** Upstream model id (Azure: deployment name). */
  @IsString()
  @Length(1, 200)
  model!: string;

  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => TryProviderMessageDto)
  messages!: TryProviderMessageDto[];

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(4096)
  maxTokens?: number;
}
