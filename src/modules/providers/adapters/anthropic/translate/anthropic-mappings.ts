import type { AnthropicStopReason, AnthropicUsage } from '../../wire/anthropic.types';
import type { OpenAIFinishReason, OpenAIUsage } from '../../wire/openai.types';

export function finishReasonFromAnthropic(
  stopReason: AnthropicStopReason | null | undefined,
): OpenAIFinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
    case null:
    case undefined:
      return 'stop';
  }
}

/**
 * OpenAI does not say whether a stop sequence matched, so `stop` becomes `end_turn`. Some
 * OpenAI-compatible servers answer `stop` even when the turn ends with tool calls; Anthropic clients
 * only run tools on `tool_use`, so tool calls win unless the output was cut (`length`).
 */
export function stopReasonFromOpenAI(
  finishReason: OpenAIFinishReason | null | undefined,
  hasToolCalls = false,
): AnthropicStopReason {
  if (hasToolCalls && finishReason !== 'length') return 'tool_use';
  switch (finishReason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    case 'stop':
    case null:
    case undefined:
      return 'end_turn';
  }
}

/** Anthropic's `input_tokens` excludes cached tokens; OpenAI's `prompt_tokens` includes them. */
export function openAIUsageFromAnthropic(usage: AnthropicUsage): OpenAIUsage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const prompt = usage.input_tokens + cacheRead + cacheWrite;
  const result: OpenAIUsage = {
    prompt_tokens: prompt,
    completion_tokens: usage.output_tokens,
    total_tokens: prompt + usage.output_tokens,
  };
  if (cacheRead > 0 || cacheWrite > 0) {
    result.prompt_tokens_details = { cached_tokens: cacheRead };
    if (cacheWrite > 0) result.prompt_tokens_details.cache_write_tokens = cacheWrite;
  }
  return result;
}

export function anthropicUsageFromOpenAI(usage: OpenAIUsage | null | undefined): AnthropicUsage {
  if (!usage) return { input_tokens: 0, output_tokens: 0 };
  const cacheRead = usage.prompt_tokens_details?.cached_tokens ?? 0;
  const cacheWrite = usage.prompt_tokens_details?.cache_write_tokens ?? 0;
  const result: AnthropicUsage = {
    input_tokens: Math.max(0, usage.prompt_tokens - cacheRead - cacheWrite),
    output_tokens: usage.completion_tokens,
  };
  if (cacheRead > 0 || cacheWrite > 0) {
    result.cache_creation_input_tokens = cacheWrite;
    result.cache_read_input_tokens = cacheRead;
  }
  return result;
}
