import type {
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicImageMediaType,
  AnthropicMessageParam,
  AnthropicMessagesRequest,
  AnthropicRequestContentBlock,
  AnthropicTextBlock,
  AnthropicTool,
  AnthropicToolChoice,
  AnthropicToolResultBlock,
  AnthropicToolUseBlock,
} from '../../wire/anthropic.types';
import {
  groupTurns,
  inlinePdf,
  rejectMultipleChoicesAndFunctions,
  stopSequences,
  toolResultsFirst,
} from '../../wire/chat-turns';
import { isDataUrl, isHttpUrl, parseDataUrl } from '../../wire/data-url';
import type {
  OpenAIAssistantMessage,
  OpenAIChatCompletionRequest,
  OpenAITextContentPart,
  OpenAIToolMessage,
  OpenAIUserContentPart,
} from '../../wire/openai.types';
import { parseToolArguments } from '../../wire/tool-arguments';
import { UnsupportedContentError, UnsupportedParameterError } from '../../wire/translation.errors';

export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

export interface AnthropicRequestOptions {
  /** Upstream model id; defaults to `request.model`. */
  model?: string;
  /** `max_tokens` when the client sent none (Anthropic requires it). */
  defaultMaxTokens?: number;
}

const IMAGE_MEDIA_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

/** OpenAI chat request → Anthropic Messages request. Throws {@link TranslationError} (400) on input it cannot express. */
export function openAIRequestToAnthropic(
  request: OpenAIChatCompletionRequest,
  options: AnthropicRequestOptions = {},
): AnthropicMessagesRequest {
  rejectMultipleChoicesAndFunctions(request, 'Anthropic models return a single choice: n must be 1');
  const { system, messages } = convertMessages(request);
  const result: AnthropicMessagesRequest = {
    model: options.model ?? request.model,
    max_tokens:
      request.max_completion_tokens ??
      request.max_tokens ??
      options.defaultMaxTokens ??
      DEFAULT_ANTHROPIC_MAX_TOKENS,
    messages,
  };
  if (system.length > 0) result.system = system;
  Object.assign(result, convertTools(request), convertSampling(request));
  if (request.user) result.metadata = { user_id: request.user };
  if (request.thinking) result.thinking = request.thinking;
  if (request.stream) result.stream = true;
  return result;
}

// ─── Messages ─────────────────────────────────────────────────────────────────────────────────

function convertMessages(request: OpenAIChatCompletionRequest): {
  system: string | AnthropicTextBlock[];
  messages: AnthropicMessageParam[];
} {
  const { system, turns } = groupTurns<AnthropicTextBlock, AnthropicRequestContentBlock>(request, {
    system: textBlocks,
    user: userBlocks,
    assistant: assistantBlocks,
    toolResult: toolResultBlock,
  });
  const messages = turns.map(({ role, content }) => ({
    role,
    content: collapse(role === 'user' ? toolResultsFirst(content, isToolResult) : content),
  }));
  trimFinalAssistant(messages);
  return { system: collapseSystem(system), messages };
}

function textBlocks(content: string | OpenAITextContentPart[]): AnthropicTextBlock[] {
  const parts = typeof content === 'string' ? [{ type: 'text' as const, text: content }] : content;
  return parts.filter((part) => part.text !== '').map(textBlock);
}

function textBlock(part: OpenAITextContentPart): AnthropicTextBlock {
  return part.cache_control
    ? { type: 'text', text: part.text, cache_control: part.cache_control }
    : { type: 'text', text: part.text };
}

function userBlocks(
  content: string | OpenAIUserContentPart[],
  param: string,
): AnthropicRequestContentBlock[] {
  if (typeof content === 'string') return textBlocks(content);
  return content.flatMap((part, j): AnthropicRequestContentBlock[] => {
    const partParam = `${param}.content[${j}]`;
    switch (part.type) {
      case 'text':
        return part.text === '' ? [] : [textBlock(part)];
      case 'image_url': {
        const block = imageBlock(part.image_url.url, `${partParam}.image_url.url`);
        return [part.cache_control ? { ...block, cache_control: part.cache_control } : block];
      }
      case 'file':
        return [documentBlock(part.file.file_data, `${partParam}.file.file_data`, part.file.filename)];
      case 'input_audio':
        throw new UnsupportedContentError('Audio input is not supported by Anthropic models', partParam);
    }
  });
}

function imageBlock(url: string, param: string): AnthropicImageBlock {
  if (isHttpUrl(url)) return { type: 'image', source: { type: 'url', url } };
  if (!isDataUrl(url))
    throw new UnsupportedContentError('Image URLs must be http(s) or base64 data URLs', param);
  const { mediaType, data } = parseDataUrl(url, param);
  if (!IMAGE_MEDIA_TYPES.includes(mediaType)) {
    throw new UnsupportedContentError(
      `Image type ${mediaType} is not supported (use jpeg, png, gif or webp)`,
      param,
    );
  }
  return {
    type: 'image',
    source: { type: 'base64', media_type: mediaType as AnthropicImageMediaType, data },
  };
}

function documentBlock(
  fileData: string | undefined,
  param: string,
  filename?: string,
): AnthropicDocumentBlock {
  const { mediaType, data } = inlinePdf(fileData, param);
  const block: AnthropicDocumentBlock = {
    type: 'document',
    source: { type: 'base64', media_type: mediaType, data },
  };
  if (filename) block.title = filename;
  return block;
}

function assistantBlocks(message: OpenAIAssistantMessage): AnthropicRequestContentBlock[] {
  const blocks: AnthropicRequestContentBlock[] = [];
  const { content } = message;
  if (typeof content === 'string') blocks.push(...textBlocks(content));
  else if (content) {
    for (const part of content) {
      const text = part.type === 'text' ? part.text : part.refusal;
      if (text !== '') blocks.push(part.type === 'text' ? textBlock(part) : { type: 'text', text });
    }
  }
  for (const call of message.tool_calls ?? []) {
    const block: AnthropicToolUseBlock = {
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseToolArguments(call.function.arguments),
    };
    blocks.push(block);
  }
  return blocks;
}

function toolResultBlock(message: OpenAIToolMessage): AnthropicToolResultBlock {
  const block: AnthropicToolResultBlock = { type: 'tool_result', tool_use_id: message.tool_call_id };
  const { content } = message;
  if (typeof content === 'string') {
    if (content !== '') block.content = content;
  } else if (content.some((part) => part.cache_control)) {
    block.content = textBlocks(content);
  } else {
    const text = content.map((part) => part.text).join('');
    if (text !== '') block.content = text;
  }
  return block;
}

function isToolResult(block: AnthropicRequestContentBlock): boolean {
  return block.type === 'tool_result';
}

/** A turn made of one plain text block becomes a string, as clients usually write it. */
function collapse(blocks: AnthropicRequestContentBlock[]): string | AnthropicRequestContentBlock[] {
  const [first] = blocks;
  return blocks.length === 1 && first?.type === 'text' && !first.cache_control ? first.text : blocks;
}

function collapseSystem(blocks: AnthropicTextBlock[]): string | AnthropicTextBlock[] {
  if (blocks.some((block) => block.cache_control)) return blocks;
  return blocks.map((block) => block.text).join('\n\n');
}

/** Anthropic rejects a final assistant (prefill) turn that ends with whitespace. */
function trimFinalAssistant(messages: AnthropicMessageParam[]): void {
  const last = messages.at(-1);
  if (last?.role !== 'assistant') return;
  if (typeof last.content === 'string') {
    last.content = last.content.trimEnd();
    if (last.content === '') messages.pop();
    return;
  }
  const lastBlock = last.content.at(-1);
  if (lastBlock?.type === 'text') lastBlock.text = lastBlock.text.trimEnd();
}

// ─── Tools and sampling ───────────────────────────────────────────────────────────────────────

function convertTools(
  request: OpenAIChatCompletionRequest,
): Pick<AnthropicMessagesRequest, 'tools' | 'tool_choice'> {
  if (!request.tools || request.tools.length === 0) return {};
  const tools = request.tools.map((tool, i): AnthropicTool => {
    if (tool.type !== 'function') {
      throw new UnsupportedParameterError(`tools[${i}].type`, 'Only function tools are supported');
    }
    const { name, description, parameters } = tool.function;
    return {
      name,
      ...(description ? { description } : {}),
      input_schema: parameters ?? { type: 'object', properties: {} },
      ...(tool.cache_control ? { cache_control: tool.cache_control } : {}),
    };
  });
  const toolChoice = convertToolChoice(request);
  return toolChoice ? { tools, tool_choice: toolChoice } : { tools };
}

function convertToolChoice(request: OpenAIChatCompletionRequest): AnthropicToolChoice | undefined {
  const choice = request.tool_choice;
  const parallel = request.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined)
    return request.parallel_tool_calls === false ? { type: 'auto', ...parallel } : undefined;
  if (choice === 'none') return { type: 'none' };
  if (choice === 'auto') return { type: 'auto', ...parallel };
  if (choice === 'required') return { type: 'any', ...parallel };
  return { type: 'tool', name: choice.function.name, ...parallel };
}

/**
 * Anthropic accepts temperature 0–1 (OpenAI 0–2, so it is clamped), and recent Claude models reject
 * temperature and top_p together, so top_p is only sent when temperature is not.
 */
function convertSampling(
  request: OpenAIChatCompletionRequest,
): Pick<AnthropicMessagesRequest, 'temperature' | 'top_p' | 'top_k' | 'stop_sequences'> {
  const result: Pick<AnthropicMessagesRequest, 'temperature' | 'top_p' | 'top_k' | 'stop_sequences'> = {};
  if (request.temperature != null) result.temperature = Math.min(1, Math.max(0, request.temperature));
  else if (request.top_p != null) result.top_p = request.top_p;
  if (request.top_k != null) result.top_k = request.top_k;
  const stops = stopSequences(request);
  if (stops.length > 0) result.stop_sequences = stops;
  return result;
}
