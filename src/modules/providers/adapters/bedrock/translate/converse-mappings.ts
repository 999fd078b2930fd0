import type { ConverseTokenUsage } from '../../wire/bedrock.types';
import { openAIUsageFromNative } from '../../wire/native-to-openai';
import type { OpenAIUsage } from '../../wire/openai.types';

/** Converse's `inputTokens` excludes cache reads/writes; OpenAI's `prompt_tokens` includes them. */
export function openAIUsageFromConverse(usage: ConverseTokenUsage | undefined): OpenAIUsage {
  return openAIUsageFromNative({
    input: usage?.inputTokens ?? 0,
    output: usage?.outputTokens ?? 0,
    cacheRead: usage?.cacheReadInputTokens ?? 0,
    cacheWrite: usage?.cacheWriteInputTokens ?? 0,
  });
}
