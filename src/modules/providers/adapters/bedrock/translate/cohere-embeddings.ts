import { GatewayHttpError } from '../../../../../core/http/gateway-http.error';
import type { CohereEmbeddingRequest, CohereEmbeddingResponse } from '../../wire/bedrock.types';
import { embeddingTexts, encodeEmbedding } from '../../wire/embedding-encoding';
import type { OpenAIEmbeddingRequest, OpenAIEmbeddingResponse } from '../../wire/openai.types';
import { UnsupportedParameterError } from '../../wire/translation.errors';

/** Cohere on Bedrock embeds at most 96 texts per call. */
export const COHERE_MAX_TEXTS_PER_CALL = 96;

const EMBED_V4_DIMENSIONS = [256, 512, 1024, 1536];

/**
 * OpenAI embeddings request → Cohere InvokeModel bodies (batches of 96 texts). `input_type` (an
 * extension field) defaults to `search_document`; `dimensions` maps to Embed v4's `output_dimension`.
 */
export function openAIEmbeddingsToCohere(
  request: OpenAIEmbeddingRequest,
  options: { modelId: string },
): CohereEmbeddingRequest[] {
  const texts = embeddingTexts(request);
  const { dimensions } = request;
  const isV4 = /embed-v4/.test(options.modelId);
  if (dimensions !== undefined && !isV4) {
    throw new UnsupportedParameterError('dimensions', `${options.modelId} has a fixed size: omit dimensions`);
  }
  if (dimensions !== undefined && !EMBED_V4_DIMENSIONS.includes(dimensions)) {
    throw new UnsupportedParameterError(
      'dimensions',
      'dimensions must be 256, 512, 1024 or 1536 for Cohere Embed v4',
    );
  }
  const bodies: CohereEmbeddingRequest[] = [];
  for (let start = 0; start < texts.length; start += COHERE_MAX_TEXTS_PER_CALL) {
    bodies.push({
      texts: texts.slice(start, start + COHERE_MAX_TEXTS_PER_CALL),
      input_type: request.input_type ?? 'search_document',
      embedding_types: ['float'],
      ...(dimensions !== undefined ? { output_dimension: dimensions } : {}),
    });
  }
  return bodies;
}

/**
 * The Cohere responses, in batch order → one OpenAI embeddings response. Cohere bodies carry no token
 * counts: pass the sum of Bedrock's `X-Amzn-Bedrock-Input-Token-Count` headers as `inputTokens`.
 */
export function cohereEmbeddingsToOpenAI(
  responses: CohereEmbeddingResponse[],
  options: {
    model: string;
    encodingFormat?: OpenAIEmbeddingRequest['encoding_format'];
    inputTokens?: number;
  },
): OpenAIEmbeddingResponse {
  const vectors = responses.flatMap((response) => {
    const embeddings = Array.isArray(response.embeddings) ? response.embeddings : response.embeddings.float;
    if (!embeddings) {
      throw new GatewayHttpError(
        502,
        'upstream_error',
        'invalid_upstream_response',
        'Cohere returned no float embeddings',
      );
    }
    return embeddings;
  });
  const tokens = options.inputTokens ?? 0;
  return {
    object: 'list',
    data: vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: encodeEmbedding(vector, options.encodingFormat),
    })),
    model: options.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
