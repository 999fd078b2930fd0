import type { OpenAIRequestBody } from '../provider-adapter';

/** o1, o3, o4-mini, gpt-5… (also inside deployment names such as `prod-o3-mini` or `gpt-5-chat`). */
const REASONING_MODEL = /(?:^|[^a-z0-9])(?:o1|o3|o4)(?:[^a-z0-9]|$)|(?:^|[^a-z0-9])gpt-?5(?!\S*-chat)/i;

/** Sampling and log-prob parameters reasoning models reject. */
const UNSUPPORTED_BY_REASONING = [
  'temperature',
  'top_p',
  'presence_penalty',
  'frequency_penalty',
  'logprobs',
  'top_logprobs',
  'logit_bias',
] as const;

/** True for OpenAI reasoning models, judged by the deployment name or its base model. */
export function isReasoningModel(...names: (string | undefined)[]): boolean {
  return names.some((name) => name !== undefined && REASONING_MODEL.test(name));
}

/**
 * Shapes a chat request for a reasoning deployment: drops the parameters those models reject
 * (`temperature`, `top_p`, penalties, log-probs) and renames `max_tokens` to
 * `max_completion_tokens`. Other requests are returned unchanged.
 */
export function filterReasoningParameters(body: OpenAIRequestBody, reasoning: boolean): OpenAIRequestBody {
  if (!reasoning) return body;
  const result: OpenAIRequestBody = { ...body };
  for (const name of UNSUPPORTED_BY_REASONING) delete result[name];
  if (result.max_tokens != null) {
    result.max_completion_tokens ??= result.max_tokens;
    delete result.max_tokens;
  }
  return result;
}
