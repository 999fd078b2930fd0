import type { OpenAIResponseMessage, OpenAIToolCall } from './openai.types';

/**
 * The assistant message of a translated or rebuilt chat completion: `content` is null when the
 * answer is only tool calls (as OpenAI sends it); reasoning text goes to `reasoning_content`.
 * `hasText`: some text arrived, even if empty (a stream's content deltas).
 */
export function assistantMessage(
  text: string,
  toolCalls: OpenAIToolCall[],
  reasoning: string,
  hasText = text !== '',
): OpenAIResponseMessage {
  const message: OpenAIResponseMessage = {
    role: 'assistant',
    content: !hasText && toolCalls.length > 0 ? null : text,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning !== '') message.reasoning_content = reasoning;
  return message;
}
