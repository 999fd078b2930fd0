import type { TitanEmbeddingRequest, TitanEmbeddingResponse } from '../../wire/bedrock.types';
import { embeddingTexts, encodeEmbedding } from '../../wire/embedding-encoding';
import type { OpenAIEmbeddingRequest, OpenAIEmbeddingResponse } from '../../wire/openai.types';
import { UnsupportedParameterError } from '../../wire/translation.errors';

const TITAN_V2_DIMENSIONS = [256, 512, 1024] as const;

/** Titan v1 (`amazon.titan-embed-text-v1`, `amazon.titan-embed-g1-text-02`) takes only `inputText`. */
function isTitanV1(modelId: string): boolean {
  return /titan-embed-(text-v1|g1)/.test(modelId);
}

/**
 * OpenAI embeddings request → one Titan InvokeModel body per input text (Titan embeds one text per
 * call). Titan v2 vectors are normalised, like OpenAI's.
 */
export function openAIEmbeddingsToTitan(
  request: OpenAIEmbeddingRequest,
  options: { modelId: string },
): TitanEmbeddingRequest[] {
  const texts = embeddingTexts(request);
  if (isTitanV1(options.modelId)) {
    if (request.dimensions !== undefined) {
      throw new UnsupportedParameterError(
        'dimensions',
        `${options.modelId} has a fixed size: omit dimensions`,
      );
    }
    return texts.map((inputText) => ({ inputText }));
  }
  const { dimensions } = request;
  if (dimensions !== undefined && !(TITAN_V2_DIMENSIONS as readonly number[]).includes(dimensions)) {
    throw new UnsupportedParameterError(
      'dimensions',
      'dimensions must be 256, 512 or 1024 for Titan embeddings',
    );
  }
  return texts.map((inputText) => ({
    inputText,
    ...(dimensions !== undefined ? { dimensions: dimensions as TitanEmbeddingRequest['dimensions'] } : {}),
    normalize: true,
  }));
}

/** The Titan responses, in input order → one OpenAI embeddings response. */
export function titanEmbeddingsToOpenAI(
  responses: TitanEmbeddingResponse[],
  options: { model: string; encodingFormat?: OpenAIEmbeddingRequest['encoding_format'] },
): OpenAIEmbeddingResponse {
  const tokens = responses.reduce((sum, response) => sum + response.inputTextTokenCount, 0);
  return {
    object: 'list',
    data: responses.map((response, index) => ({
      object: 'embedding',
      index,
      embedding: encodeEmbedding(response.embedding, options.encodingFormat),
    })),
    model: options.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
