import type { AnthropicStopReason, AnthropicUsage } from '../../wire/anthropic.types';
import { openAIUsageFromNative } from '../../wire/native-to-openai';
import type { OpenAIFinishReason, OpenAIUsage } from '../../wire/openai.types';

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
  return openAIUsageFromNative({
    input: usage.input_tokens,
    output: usage.output_tokens,
    cacheRead: usage.cache_read_input_tokens ?? 0,
    cacheWrite: usage.cache_creation_input_tokens ?? 0,
  });
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
