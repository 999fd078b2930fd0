import type { OpenAIChatCompletionRequest, OpenAIChatMessage } from './openai.types';

/**
 * Removes the gateway's extension fields (`cache_control`, `thinking`, `top_k`, assistant
 * `reasoning_content`, embeddings-only fields never apply here) from a chat request before it goes to
 * a strict OpenAI-compatible upstream that rejects unknown fields. Returns a new object.
 */
export function stripOpenAIExtensions(request: OpenAIChatCompletionRequest): OpenAIChatCompletionRequest {
  const { thinking: _thinking, top_k: _topK, ...rest } = request;
  const result: OpenAIChatCompletionRequest = { ...rest, messages: request.messages.map(stripMessage) };
  if (request.tools) {
    result.tools = request.tools.map(({ cache_control: _cache, ...tool }) => tool);
  }
  return result;
}

function stripMessage(message: OpenAIChatMessage): OpenAIChatMessage {
  switch (message.role) {
    case 'assistant': {
      const { reasoning_content: _reasoning, ...rest } = message;
      return Array.isArray(rest.content) ? { ...rest, content: rest.content.map(stripPart) } : rest;
    }
    case 'system':
    case 'developer':
    case 'tool':
      return Array.isArray(message.content)
        ? { ...message, content: message.content.map(stripPart) }
        : message;
    case 'user':
      return Array.isArray(message.content)
        ? { ...message, content: message.content.map(stripPart) }
        : message;
    case 'function':
      return message;
  }
}

function stripPart<T extends object>(part: T): T {
  if (!('cache_control' in part)) return part;
  const { cache_control: _cache, ...rest } = part;
  return rest as T;
}
