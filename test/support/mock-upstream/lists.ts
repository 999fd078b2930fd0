/** Bodies of the model/deployment list endpoints, computed once per mock instance. */
import { foundationModelsBody, inferenceProfilesBody } from './bedrock';
import type { AzureDeployment } from './types';

export const DEFAULT_MODELS = [
  'gpt-4o-mini',
  'gpt-4o',
  'gpt-4.1-mini',
  'o3-mini',
  'text-embedding-3-small',
  'claude-3-5-haiku-latest',
  'mock-ctx-small',
  'mock-fail-500',
  'mock-slow',
];

export const DEFAULT_DEPLOYMENTS: AzureDeployment[] = [
  { id: 'gpt-4o', model: 'gpt-4o' },
  { id: 'gpt-4o-mini', model: 'gpt-4o-mini' },
  { id: 'text-embedding-3-small', model: 'text-embedding-3-small' },
];

export const DEFAULT_BEDROCK_MODELS = [
  'anthropic.claude-3-haiku-20240307-v1:0',
  'anthropic.claude-3-5-sonnet-20240620-v1:0',
  'amazon.nova-micro-v1:0',
  'meta.llama3-8b-instruct-v1:0',
  'amazon.titan-embed-text-v2:0',
  'cohere.embed-english-v3',
];

export interface ListBodies {
  openaiModels: string;
  anthropicModels: string;
  ollamaTags: string;
  azureDeployments: string;
  foundationModels: string;
  inferenceProfiles: string;
}

const CREATED = 1_715_367_049;
const CREATED_ISO = new Date(CREATED * 1000).toISOString();

export function buildLists(
  models: string[],
  deployments: AzureDeployment[],
  bedrockModels: string[],
): ListBodies {
  return {
    openaiModels: JSON.stringify({
      object: 'list',
      data: models.map((id) => ({ id, object: 'model', created: CREATED, owned_by: 'mock-upstream' })),
    }),
    anthropicModels: JSON.stringify({
      data: models.map((id) => ({ type: 'model', id, display_name: id, created_at: CREATED_ISO })),
      has_more: false,
      first_id: models[0] ?? null,
      last_id: models[models.length - 1] ?? null,
    }),
    ollamaTags: JSON.stringify({
      models: models.map((name) => ({
        name,
        model: name,
        modified_at: CREATED_ISO,
        size: 4_661_224_676,
        digest: 'sha256:' + '0'.repeat(64),
        details: {
          parent_model: '',
          format: 'gguf',
          family: 'llama',
          families: ['llama'],
          parameter_size: '8.0B',
          quantization_level: 'Q4_0',
        },
      })),
    }),
    azureDeployments: JSON.stringify({
      object: 'list',
      data: deployments.map((d) => ({
        object: 'deployment',
        id: d.id,
        model: d.model,
        owner: 'organization-owner',
        status: 'succeeded',
        created_at: CREATED,
        updated_at: CREATED,
        scale_settings: { scale_type: 'standard' },
      })),
    }),
    foundationModels: foundationModelsBody(bedrockModels),
    inferenceProfiles: inferenceProfilesBody(bedrockModels),
  };
}

/** Ollama `POST /api/show`: the details discovery reads, with a context length. */
export function ollamaShow(model: string): Record<string, unknown> {
  return {
    modelfile: `FROM ${model}`,
    parameters: 'stop "<|eot_id|>"',
    template: '{{ .Prompt }}',
    details: {
      format: 'gguf',
      family: 'llama',
      families: ['llama'],
      parameter_size: '8.0B',
      quantization_level: 'Q4_0',
    },
    model_info: {
      'general.architecture': 'llama',
      'general.parameter_count': 8_030_261_248,
      'llama.context_length': 8192,
    },
    capabilities: ['completion', 'tools'],
  };
}
