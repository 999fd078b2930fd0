import type { OpenAIChatCompletionRequest, OpenAIChatMessage } from './openai.types';

/**
 * Removes the gateway's extension fields (`cache_control`, `thinking`, `top_k`, assistant
 * `reasoning_content`, embeddings-only fields never apply here) from a chat request before it goes to
 * a strict OpenAI-compatible upstream that rejects unknown fields. Returns the same request when it
 * carries none (so its original bytes can be forwarded), else a new object; the input is not mutated.
 */
export function stripOpenAIExtensions(request: OpenAIChatCompletionRequest): OpenAIChatCompletionRequest {
  const messages = sameOrMapped(request.messages, stripMessage);
  const tools = request.tools ? sameOrMapped(request.tools, stripPart) : undefined;
  if (
    messages === request.messages &&
    tools === request.tools &&
    !('thinking' in request) &&
    !('top_k' in request)
  )
    return request;
  const { thinking: _thinking, top_k: _topK, ...rest } = request;
  const result: OpenAIChatCompletionRequest = { ...rest, messages };
  if (tools) result.tools = tools;
  return result;
}

/** `list` itself when `map` returns every item unchanged, else the mapped copy. */
function sameOrMapped<T>(list: T[], map: (item: T) => T): T[] {
  let copy: T[] | undefined;
  list.forEach((item, i) => {
    const mapped = map(item);
    if (mapped !== item) (copy ??= list.slice())[i] = mapped;
  });
  return copy ?? list;
}

function stripMessage(message: OpenAIChatMessage): OpenAIChatMessage {
  switch (message.role) {
    case 'assistant': {
      const content = Array.isArray(message.content)
        ? sameOrMapped(message.content, stripPart)
        : message.content;
      if (!('reasoning_content' in message) && content === message.content) return message;
      const { reasoning_content: _reasoning, ...rest } = message;
      return { ...rest, content };
    }
    case 'system':
    case 'developer':
    case 'tool':
    case 'user': {
      if (!Array.isArray(message.content)) return message;
      const content = sameOrMapped(message.content as object[], stripPart);
      return content === message.content ? message : ({ ...message, content } as OpenAIChatMessage);
    }
    case 'function':
      return message;
  }
}

function stripPart<T extends object>(part: T): T {
  if (!('cache_control' in part)) return part;
  const { cache_control: _cache, ...rest } = part;
  return rest as T;
}
