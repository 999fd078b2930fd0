import type { AnthropicStopReason } from './anthropic.types';
import type { ConverseStopReason } from './bedrock.types';
import type { OpenAIFinishReason, OpenAIUsage } from './openai.types';

/**
 * Stop reasons of the Anthropic Messages API and of Bedrock Converse (which carries Anthropic's
 * own and adds its guardrail and malformed-output ones) as OpenAI finish reasons.
 */
const FINISH_REASONS: Record<AnthropicStopReason | ConverseStopReason, OpenAIFinishReason> = {
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
  guardrail_intervened: 'content_filter',
  content_filtered: 'content_filter',
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  malformed_model_output: 'stop',
  malformed_tool_use: 'stop',
};

/** The OpenAI finish reason of an Anthropic or Converse stop reason (none: `stop`). */
export function finishReasonFromNative(
  stopReason: AnthropicStopReason | ConverseStopReason | null | undefined,
): OpenAIFinishReason {
  return stopReason == null ? 'stop' : FINISH_REASONS[stopReason];
}

/** Token counts as Anthropic and Converse report them: `input` excludes cache reads and writes. */
export interface NativeTokenCounts {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** OpenAI's `prompt_tokens` includes the cached tokens, so the prompt is the sum of the three. */
export function openAIUsageFromNative({
  input,
  output,
  cacheRead,
  cacheWrite,
}: NativeTokenCounts): OpenAIUsage {
  const prompt = input + cacheRead + cacheWrite;
  const result: OpenAIUsage = {
    prompt_tokens: prompt,
    completion_tokens: output,
    total_tokens: prompt + output,
  };
  if (cacheRead > 0 || cacheWrite > 0) {
    result.prompt_tokens_details = { cached_tokens: cacheRead };
    if (cacheWrite > 0) result.prompt_tokens_details.cache_write_tokens = cacheWrite;
  }
  return result;
}
