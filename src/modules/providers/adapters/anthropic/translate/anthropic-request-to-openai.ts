import type {
  AnthropicCustomTool,
  AnthropicImageBlock,
  AnthropicMessageParam,
  AnthropicMessagesRequest,
  AnthropicRequestContentBlock,
  AnthropicTextBlock,
  AnthropicTool,
  AnthropicToolChoice,
  AnthropicToolResultBlock,
} from '../../wire/anthropic.types';
import { toDataUrl } from '../../wire/data-url';
import type {
  OpenAIChatCompletionRequest,
  OpenAIChatMessage,
  OpenAIFunctionTool,
  OpenAIImageContentPart,
  OpenAITextContentPart,
  OpenAIToolCall,
  OpenAIToolChoice,
  OpenAIUserContentPart,
} from '../../wire/openai.types';
import { stringifyToolInput } from '../../wire/tool-arguments';

/**
 * Anthropic Messages request (the `/v1/messages` ingress) → OpenAI chat request for the pipeline.
 * Prompt-cache breakpoints, `top_k` and `thinking` ride along as OpenAI extensions; Anthropic
 * server tools (web search, code execution…) are dropped because no other upstream runs them.
 */
export function anthropicRequestToOpenAI(request: AnthropicMessagesRequest): OpenAIChatCompletionRequest {
  const messages: OpenAIChatMessage[] = [];
  const system = systemMessage(request.system);
  if (system) messages.push(system);
  for (const message of request.messages) messages.push(...convertMessage(message));

  const result: OpenAIChatCompletionRequest = {
    model: request.model,
    messages,
    max_tokens: request.max_tokens,
  };
  const tools = (request.tools ?? []).filter(isCustomTool).map(convertTool);
  if (tools.length > 0) {
    result.tools = tools;
    Object.assign(result, convertToolChoice(request.tool_choice));
  }
  if (request.stop_sequences && request.stop_sequences.length > 0) result.stop = request.stop_sequences;
  if (request.temperature !== undefined) result.temperature = request.temperature;
  if (request.top_p !== undefined) result.top_p = request.top_p;
  if (request.top_k !== undefined) result.top_k = request.top_k;
  if (request.thinking) result.thinking = request.thinking;
  if (request.metadata?.user_id) result.user = request.metadata.user_id;
  if (request.stream) {
    result.stream = true;
    result.stream_options = { include_usage: true };
  }
  return result;
}

export function isCustomTool(tool: AnthropicTool): tool is AnthropicCustomTool {
  return (tool.type === undefined || tool.type === 'custom') && 'input_schema' in tool;
}

function systemMessage(system: AnthropicMessagesRequest['system']): OpenAIChatMessage | undefined {
  if (system === undefined || system === '' || system.length === 0) return undefined;
  if (typeof system === 'string') return { role: 'system', content: system };
  const parts = system.map(textPart);
  return { role: 'system', content: parts.some((part) => part.cache_control) ? parts : joinText(parts) };
}

function convertMessage(message: AnthropicMessageParam): OpenAIChatMessage[] {
  if (typeof message.content === 'string') return [{ role: message.role, content: message.content }];
  return message.role === 'user'
    ? convertUserBlocks(message.content)
    : [convertAssistantBlocks(message.content)];
}

/**
 * Tool results become `tool` messages, placed first because OpenAI wants them right after the
 * assistant turn that made the calls; the rest of the turn follows as one user message. Images
 * inside tool results cannot live in a `tool` message, so they move into that user message.
 */
function convertUserBlocks(blocks: AnthropicRequestContentBlock[]): OpenAIChatMessage[] {
  const toolMessages: OpenAIChatMessage[] = [];
  const parts: OpenAIUserContentPart[] = [];
  const movedImages: OpenAIUserContentPart[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'tool_result': {
        const { message, images } = toolMessage(block);
        toolMessages.push(message);
        movedImages.push(...images);
        break;
      }
      case 'text':
        parts.push(textPart(block));
        break;
      case 'image':
        parts.push(imagePart(block));
        break;
      case 'document':
        if (block.source.type === 'base64') {
          const filename = block.title ?? 'document.pdf';
          parts.push({
            type: 'file',
            file: { file_data: toDataUrl(block.source.media_type, block.source.data), filename },
          });
        } else if (block.source.type === 'text') {
          parts.push({ type: 'text', text: block.source.data });
        } else {
          parts.push({ type: 'text', text: block.source.url });
        }
        break;
      case 'tool_use':
      case 'thinking':
      case 'redacted_thinking':
        break;
    }
  }
  const userParts = [...movedImages, ...parts];
  if (userParts.length === 0) return toolMessages;
  return [...toolMessages, { role: 'user', content: simplify(userParts) }];
}

function convertAssistantBlocks(blocks: AnthropicRequestContentBlock[]): OpenAIChatMessage {
  const parts: OpenAITextContentPart[] = [];
  const toolCalls: OpenAIToolCall[] = [];
  for (const block of blocks) {
    if (block.type === 'text') parts.push(textPart(block));
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: stringifyToolInput(block.input) },
      });
    }
  }
  const text = joinText(parts);
  const content = parts.some((part) => part.cache_control)
    ? parts
    : text === '' && toolCalls.length > 0
      ? null
      : text;
  return toolCalls.length > 0
    ? { role: 'assistant', content, tool_calls: toolCalls }
    : { role: 'assistant', content };
}

function toolMessage(block: AnthropicToolResultBlock): {
  message: OpenAIChatMessage;
  images: OpenAIImageContentPart[];
} {
  const items =
    typeof block.content === 'string' ? [{ type: 'text' as const, text: block.content }] : block.content;
  const texts: OpenAITextContentPart[] = [];
  const images: OpenAIImageContentPart[] = [];
  for (const item of items ?? []) {
    if (item.type === 'text') texts.push(textPart(item));
    else if (item.type === 'image') images.push(imagePart(item));
    else if (item.source.type === 'text') texts.push({ type: 'text', text: item.source.data });
  }
  const last = texts.at(-1);
  if (block.cache_control && last) texts[texts.length - 1] = { ...last, cache_control: block.cache_control };
  const content = texts.some((part) => part.cache_control) ? texts : joinText(texts);
  return { message: { role: 'tool', tool_call_id: block.tool_use_id, content }, images };
}

function textPart(block: AnthropicTextBlock): OpenAITextContentPart {
  return block.cache_control
    ? { type: 'text', text: block.text, cache_control: block.cache_control }
    : { type: 'text', text: block.text };
}

function imagePart(block: AnthropicImageBlock): OpenAIImageContentPart {
  const url =
    block.source.type === 'base64' ? toDataUrl(block.source.media_type, block.source.data) : block.source.url;
  const part: OpenAIImageContentPart = { type: 'image_url', image_url: { url } };
  if (block.cache_control) part.cache_control = block.cache_control;
  return part;
}

function joinText(parts: OpenAITextContentPart[]): string {
  return parts.map((part) => part.text).join('\n\n');
}

/** Text-only user content without cache breakpoints becomes a plain string. */
function simplify(parts: OpenAIUserContentPart[]): string | OpenAIUserContentPart[] {
  const plain = parts.every((part) => part.type === 'text' && !part.cache_control);
  return plain ? joinText(parts as OpenAITextContentPart[]) : parts;
}

function convertTool(tool: AnthropicCustomTool): OpenAIFunctionTool {
  const result: OpenAIFunctionTool = {
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      parameters: tool.input_schema,
    },
  };
  if (tool.cache_control) result.cache_control = tool.cache_control;
  return result;
}

function convertToolChoice(
  choice: AnthropicToolChoice | undefined,
): Pick<OpenAIChatCompletionRequest, 'tool_choice' | 'parallel_tool_calls'> {
  if (!choice) return {};
  const parallel = 'disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use;
  const toolChoice: OpenAIToolChoice =
    choice.type === 'auto'
      ? 'auto'
      : choice.type === 'any'
        ? 'required'
        : choice.type === 'none'
          ? 'none'
          : { type: 'function', function: { name: choice.name } };
  return parallel ? { tool_choice: toolChoice, parallel_tool_calls: false } : { tool_choice: toolChoice };
}
