import type { AnthropicMessagesResponse } from '../../wire/anthropic.types';
import { assistantMessage } from '../../wire/assistant-message';
import { finishReasonFromNative } from '../../wire/native-to-openai';
import type { OpenAIChatCompletionResponse, OpenAIToolCall } from '../../wire/openai.types';
import { stringifyToolInput } from '../../wire/tool-arguments';
import { openAIUsageFromAnthropic } from './anthropic-mappings';

export interface OpenAIResponseIdentity {
  /** Response id; defaults to the upstream message id. */
  id?: string;
  /** Unix seconds; defaults to now. */
  created?: number;
  /** Model name shown to the client; defaults to the upstream model. */
  model?: string;
}

/** Anthropic Messages response → OpenAI chat completion (one choice). */
export function anthropicResponseToOpenAI(
  response: AnthropicMessagesResponse,
  identity: OpenAIResponseIdentity = {},
): OpenAIChatCompletionResponse {
  let text = '';
  let reasoning = '';
  const toolCalls: OpenAIToolCall[] = [];
  for (const block of response.content) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'thinking') reasoning += block.thinking;
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: stringifyToolInput(block.input) },
      });
    }
  }
  const message = assistantMessage(text, toolCalls, reasoning);
  return {
    id: identity.id ?? response.id,
    object: 'chat.completion',
    created: identity.created ?? Math.floor(Date.now() / 1000),
    model: identity.model ?? response.model,
    choices: [
      { index: 0, message, finish_reason: finishReasonFromNative(response.stop_reason), logprobs: null },
    ],
    usage: openAIUsageFromAnthropic(response.usage),
  };
}
