import type { OpenAIEmbeddingRequest } from './openai.types';
import { UnsupportedParameterError, TranslationError } from './translation.errors';

/** OpenAI's `encoding_format: 'base64'`: the vector as little-endian float32 bytes, base64-encoded. */
export function floatsToBase64(vector: readonly number[]): string {
  const view = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return Buffer.from(view.buffer).toString('base64');
}

export function encodeEmbedding(
  vector: number[],
  format: OpenAIEmbeddingRequest['encoding_format'],
): number[] | string {
  return format === 'base64' ? floatsToBase64(vector) : vector;
}

/** The request's inputs as texts; token-id inputs have no equivalent on text-only embedding APIs. */
export function embeddingTexts(request: OpenAIEmbeddingRequest): string[] {
  const { input } = request;
  const texts = typeof input === 'string' ? [input] : input;
  if (!texts.every((item): item is string => typeof item === 'string')) {
    throw new UnsupportedParameterError(
      'input',
      'Token-id inputs are not supported for this model; send text',
    );
  }
  if (texts.length === 0) throw new TranslationError('invalid_input', 'input must not be empty', 'input');
  const blank = texts.findIndex((text) => text.trim() === '');
  if (blank >= 0) throw new TranslationError('invalid_input', `input[${blank}] must not be empty`, 'input');
  return texts;
}
