/** OpenAI embeddings (also under Azure deployments): deterministic unit vectors per input text. */
import type { RequestInfo } from './answer';
import { type MockContext, sendJson } from './context';
import { type HttpAnswer, validationError } from './errors';
import { embeddingBase64, embeddingFor, estimateTokens } from './text';
import type { Dialect } from './types';

/** The inputs as texts (token-id arrays become their JSON text, which is deterministic too). */
function inputTexts(input: unknown): string[] | undefined {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((x) => typeof x === 'number')) return [JSON.stringify(input)];
  return (input as unknown[]).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
}

export function inspectEmbeddings(
  ctx: MockContext,
  dialect: Dialect,
  deployment?: string,
): RequestInfo | HttpAnswer {
  const model: unknown = deployment ?? ctx.body.model;
  if (typeof model !== 'string' || !model)
    return validationError(dialect, 'you must provide a model parameter', 'model');
  const texts = inputTexts(ctx.body.input);
  if (!texts) return validationError(dialect, "Missing required parameter: 'input'.", 'input');
  const chars = texts.reduce((n, t) => n + t.length, 0);
  return {
    model,
    stream: false,
    includeUsage: false,
    promptTokens: Math.max(texts.length, estimateTokens(chars)),
    maxTokens: undefined,
    defaultText: '',
    tools: [],
  };
}

export function respondEmbeddings(ctx: MockContext, info: RequestInfo): void {
  const texts = inputTexts(ctx.body.input) ?? [];
  const requested: unknown = ctx.body.dimensions;
  const dims =
    typeof requested === 'number' && requested > 0 ? requested : ctx.state.options.embeddingDimensions;
  const base64 = ctx.body.encoding_format === 'base64';
  sendJson(ctx, 200, {
    object: 'list',
    data: texts.map((text, index) => {
      const vector = embeddingFor(text, dims);
      return { object: 'embedding', index, embedding: base64 ? embeddingBase64(vector) : vector };
    }),
    model: info.model,
    usage: { prompt_tokens: info.promptTokens, total_tokens: info.promptTokens },
  });
}
