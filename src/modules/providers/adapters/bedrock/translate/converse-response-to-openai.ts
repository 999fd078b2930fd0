import { randomUUID } from 'node:crypto';

import { assistantMessage } from '../../wire/assistant-message';
import type { ConverseResponse } from '../../wire/bedrock.types';
import { finishReasonFromNative } from '../../wire/native-to-openai';
import type { OpenAIChatCompletionResponse, OpenAIToolCall } from '../../wire/openai.types';
import { stringifyToolInput } from '../../wire/tool-arguments';
import { openAIUsageFromConverse } from './converse-mappings';

/** Converse responses carry neither an id nor the model name, so the caller provides them. */
export interface ConverseResponseIdentity {
  /** Model name shown to the client. */
  model: string;
  /** Defaults to a fresh `chatcmpl-<uuid>`. */
  id?: string;
  /** Unix seconds; defaults to now. */
  created?: number;
}

export function newCompletionId(): string {
  return `chatcmpl-${randomUUID().replace(/-/g, '')}`;
}

/** Bedrock Converse response → OpenAI chat completion. */
export function converseResponseToOpenAI(
  response: ConverseResponse,
  identity: ConverseResponseIdentity,
): OpenAIChatCompletionResponse {
  let text = '';
  let reasoning = '';
  const toolCalls: OpenAIToolCall[] = [];
  for (const block of response.output.message?.content ?? []) {
    if ('text' in block) text += block.text;
    else if ('toolUse' in block) {
      const { toolUseId, name, input } = block.toolUse;
      toolCalls.push({
        id: toolUseId,
        type: 'function',
        function: { name, arguments: stringifyToolInput(input) },
      });
    } else if ('reasoningContent' in block) {
      if ('reasoningText' in block.reasoningContent) reasoning += block.reasoningContent.reasoningText.text;
    }
  }
  const message = assistantMessage(text, toolCalls, reasoning);
  return {
    id: identity.id ?? newCompletionId(),
    object: 'chat.completion',
    created: identity.created ?? Math.floor(Date.now() / 1000),
    model: identity.model,
    choices: [
      { index: 0, message, finish_reason: finishReasonFromNative(response.stopReason), logprobs: null },
    ],
    usage: openAIUsageFromConverse(response.usage),
  };
}
