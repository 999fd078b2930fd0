import type { AnthropicMessagesResponse, AnthropicResponseContentBlock } from '../../wire/anthropic.types';
import type { OpenAIChatCompletionResponse } from '../../wire/openai.types';
import { parseToolArguments } from '../../wire/tool-arguments';
import { anthropicUsageFromOpenAI, stopReasonFromOpenAI } from './anthropic-mappings';

export interface AnthropicResponseIdentity {
  /** Message id; defaults to `msg_` + the upstream id. */
  id?: string;
  /** Model name shown to the client; defaults to the upstream model. */
  model?: string;
}

/** `chatcmpl-abc` → `msg_abc`: Anthropic clients expect the `msg_` prefix. */
export function anthropicMessageId(openAIId: string): string {
  return openAIId.startsWith('msg_') ? openAIId : `msg_${openAIId.replace(/^chatcmpl-/, '')}`;
}

/** OpenAI chat completion (first choice) → Anthropic Messages response, for the `/v1/messages` ingress. */
export function openAIResponseToAnthropic(
  response: OpenAIChatCompletionResponse,
  identity: AnthropicResponseIdentity = {},
): AnthropicMessagesResponse {
  const choice = response.choices[0];
  const message = choice?.message;
  const content: AnthropicResponseContentBlock[] = [];
  if (message?.reasoning_content)
    content.push({ type: 'thinking', thinking: message.reasoning_content, signature: '' });
  const text = message?.content ?? message?.refusal ?? '';
  if (text !== '') content.push({ type: 'text', text });
  for (const call of message?.tool_calls ?? []) {
    content.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseToolArguments(call.function.arguments),
    });
  }
  return {
    id: identity.id ?? anthropicMessageId(response.id),
    type: 'message',
    role: 'assistant',
    model: identity.model ?? response.model,
    content,
    stop_reason: stopReasonFromOpenAI(choice?.finish_reason, (message?.tool_calls?.length ?? 0) > 0),
    stop_sequence: null,
    usage: anthropicUsageFromOpenAI(response.usage),
  };
}
