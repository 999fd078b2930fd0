import { type CreateProviderDto } from '../../api/models/create-provider-dto';
import { type ProviderAuthDto } from '../../api/models/provider-auth-dto';
import { type ProviderOptionsDto } from '../../api/models/provider-options-dto';

export type ProviderType = CreateProviderDto['type'];
export type AuthType = ProviderAuthDto['type'];
/** Azure deployments are called through Chat Completions or the Responses API. */
export type AzureApiType = NonNullable<ProviderOptionsDto['apiType']>;

export const AZURE_API_TYPE_LABELS: Readonly<Record<AzureApiType, string>> = {
  chat: 'Chat Completions',
  responses: 'Responses',
};

export interface ProviderTypeInfo {
  label: string;
  /** Shown as the placeholder; the server uses it when the base URL is left empty. */
  defaultBaseUrl?: string;
  /** Types without a sensible default need the URL. */
  baseUrlRequired: boolean;
  baseUrlHint: string;
  authTypes: readonly AuthType[];
  defaultAuth: AuthType;
  /** Azure deployments, Anthropic/Azure API version, Bedrock region. */
  fields: readonly ('deployments' | 'apiType' | 'apiVersion' | 'region')[];
}

/** What the provider form asks for, per type (the server applies the same defaults). */
export const PROVIDER_TYPES: Readonly<Record<ProviderType, ProviderTypeInfo>> = {
  openai: {
    label: 'OpenAI',
    defaultBaseUrl: 'https://api.openai.com',
    baseUrlRequired: false,
    baseUrlHint: 'Server root without /v1.',
    authTypes: ['api_key', 'bearer'],
    defaultAuth: 'api_key',
    fields: [],
  },
  azure: {
    label: 'Azure OpenAI',
    baseUrlRequired: true,
    baseUrlHint: 'https://<resource>.openai.azure.com',
    authTypes: ['api_key'],
    defaultAuth: 'api_key',
    fields: ['deployments', 'apiType', 'apiVersion'],
  },
  anthropic: {
    label: 'Anthropic',
    defaultBaseUrl: 'https://api.anthropic.com',
    baseUrlRequired: false,
    baseUrlHint: 'Server root without /v1.',
    authTypes: ['api_key'],
    defaultAuth: 'api_key',
    fields: ['apiVersion'],
  },
  bedrock: {
    label: 'AWS Bedrock',
    baseUrlRequired: false,
    baseUrlHint: 'Leave empty for the regional AWS endpoint, or a VPC endpoint URL.',
    authTypes: ['aws_credentials', 'none'],
    defaultAuth: 'aws_credentials',
    fields: ['region'],
  },
  ollama: {
    label: 'Ollama',
    defaultBaseUrl: 'http://localhost:11434',
    baseUrlRequired: false,
    baseUrlHint: 'Server root without /v1.',
    authTypes: ['none', 'bearer'],
    defaultAuth: 'none',
    fields: [],
  },
  vllm: {
    label: 'vLLM',
    baseUrlRequired: true,
    baseUrlHint: 'Server root without /v1, e.g. http://vllm.internal:8000',
    authTypes: ['none', 'api_key', 'bearer'],
    defaultAuth: 'none',
    fields: [],
  },
  openrouter: {
    label: 'OpenRouter',
    defaultBaseUrl: 'https://openrouter.ai/api',
    baseUrlRequired: false,
    baseUrlHint: 'Server root without /v1.',
    authTypes: ['api_key'],
    defaultAuth: 'api_key',
    fields: [],
  },
  custom: {
    label: 'Other OpenAI-compatible',
    baseUrlRequired: true,
    baseUrlHint: 'Server root without /v1, e.g. https://llm.internal',
    authTypes: ['api_key', 'bearer', 'none'],
    defaultAuth: 'api_key',
    fields: [],
  },
};

export const PROVIDER_TYPE_CHOICES = Object.entries(PROVIDER_TYPES) as [ProviderType, ProviderTypeInfo][];

export const AUTH_LABELS: Readonly<Record<AuthType, string>> = {
  api_key: 'API key',
  bearer: 'Bearer token',
  aws_credentials: 'AWS access keys',
  none: 'None',
};

/** What the server sends instead of a stored secret; sending it back keeps the secret. */
export const SECRET_MASK = '********';

/** The common mistake of pasting `…/v1`: the gateway adds the API path itself. */
export function baseUrlWarning(url: string): string | null {
  return /\/v1\/?$/.test(url.trim())
    ? 'Leave out the trailing /v1; the connection check finds the API path.'
    : null;
}
