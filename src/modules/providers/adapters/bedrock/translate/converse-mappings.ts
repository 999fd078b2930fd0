import type { ConverseStopReason, ConverseTokenUsage } from '../../wire/bedrock.types';
import type { OpenAIFinishReason, OpenAIUsage } from '../../wire/openai.types';

export function finishReasonFromConverse(stopReason: ConverseStopReason | undefined): OpenAIFinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content_filter';
    case 'end_turn':
    case 'stop_sequence':
    case 'malformed_model_output':
    case 'malformed_tool_use':
    case undefined:
      return 'stop';
  }
}

/** Converse's `inputTokens` excludes cache reads/writes; OpenAI's `prompt_tokens` includes them. */
export function openAIUsageFromConverse(usage: ConverseTokenUsage | undefined): OpenAIUsage {
  const cacheRead = usage?.cacheReadInputTokens ?? 0;
  const cacheWrite = usage?.cacheWriteInputTokens ?? 0;
  const prompt = (usage?.inputTokens ?? 0) + cacheRead + cacheWrite;
  const completion = usage?.outputTokens ?? 0;
  const result: OpenAIUsage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
  if (cacheRead > 0 || cacheWrite > 0) {
    result.prompt_tokens_details = { cached_tokens: cacheRead };
    if (cacheWrite > 0) result.prompt_tokens_details.cache_write_tokens = cacheWrite;
  }
  return result;
}
