import type {
  ConverseContentBlock,
  ConverseDocumentBlock,
  ConverseImageBlock,
  ConverseImageFormat,
  ConverseMessage,
  ConverseRequest,
  ConverseSystemBlock,
  ConverseTool,
  ConverseToolConfig,
} from '../../wire/bedrock.types';
import {
  groupTurns,
  inlinePdf,
  rejectMultipleChoicesAndFunctions,
  stopSequences,
  toolResultsFirst,
} from '../../wire/chat-turns';
import { isDataUrl, isHttpUrl, parseDataUrl } from '../../wire/data-url';
import type { JsonObject } from '../../wire/json.types';
import type {
  OpenAIAssistantMessage,
  OpenAICacheControl,
  OpenAIChatCompletionRequest,
  OpenAITextContentPart,
  OpenAIToolMessage,
  OpenAIUserContentPart,
} from '../../wire/openai.types';
import { parseToolArguments } from '../../wire/tool-arguments';
import { UnsupportedContentError, UnsupportedParameterError } from '../../wire/translation.errors';

export interface ConverseRequestOptions {
  /** Bedrock model or inference-profile id; defaults to `request.model`. */
  modelId?: string;
}

const IMAGE_FORMATS: Record<string, ConverseImageFormat> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

const CACHE_POINT = { cachePoint: { type: 'default' } } as const;

/** Stands in for an empty tool result: Converse rejects blank text and empty content lists. */
export const EMPTY_TOOL_RESULT_TEXT = '(no output)';

/**
 * OpenAI chat request → Bedrock Converse / ConverseStream input. Throws {@link TranslationError}
 * (400) for what Converse cannot take, notably http(s) image URLs (Converse needs the bytes).
 */
export function openAIRequestToConverse(
  request: OpenAIChatCompletionRequest,
  options: ConverseRequestOptions = {},
): ConverseRequest {
  rejectMultipleChoicesAndFunctions(request, 'Bedrock models return a single choice: n must be 1');
  const modelId = options.modelId ?? request.model;
  const { system, messages } = convertMessages(request);
  const result: ConverseRequest = { modelId, messages };
  if (system.length > 0) result.system = system;
  const inferenceConfig = convertInference(request);
  if (Object.keys(inferenceConfig).length > 0) result.inferenceConfig = inferenceConfig;
  const toolConfig = convertTools(request, messages);
  if (toolConfig) result.toolConfig = toolConfig;
  const additional = additionalFields(request, modelId);
  if (additional) result.additionalModelRequestFields = additional;
  return result;
}

// ─── Messages ─────────────────────────────────────────────────────────────────────────────────

function convertMessages(request: OpenAIChatCompletionRequest): {
  system: ConverseSystemBlock[];
  messages: ConverseMessage[];
} {
  const { system, turns } = groupTurns<ConverseSystemBlock, ConverseContentBlock>(request, {
    system: textBlocks,
    user: userBlocks,
    assistant: assistantBlocks,
    toolResult: toolResultBlock,
  });
  const messages: ConverseMessage[] = turns.map(({ role, content }) => ({
    role,
    content: role === 'user' ? toolResultsFirst(content, (block) => 'toolResult' in block) : content,
  }));
  trimFinalAssistant(messages);
  return { system, messages };
}

function withCachePoint<T extends ConverseContentBlock | ConverseSystemBlock>(
  block: T,
  cacheControl: OpenAICacheControl | undefined,
): (T | typeof CACHE_POINT)[] {
  return cacheControl ? [block, CACHE_POINT] : [block];
}

/** Converse rejects blank text blocks, so they are left out. */
function textBlocks(content: string | OpenAITextContentPart[]): { text: string }[] {
  const parts = typeof content === 'string' ? [{ type: 'text' as const, text: content }] : content;
  return parts
    .filter((part) => part.text.trim() !== '')
    .flatMap((part) => withCachePoint({ text: part.text }, part.cache_control)) as { text: string }[];
}

function userBlocks(content: string | OpenAIUserContentPart[], param: string): ConverseContentBlock[] {
  if (typeof content === 'string') return textBlocks(content);
  return content.flatMap((part, j): ConverseContentBlock[] => {
    const partParam = `${param}.content[${j}]`;
    switch (part.type) {
      case 'text':
        return textBlocks([part]);
      case 'image_url':
        return withCachePoint(
          { image: imageBlock(part.image_url.url, `${partParam}.image_url.url`) },
          part.cache_control,
        );
      case 'file':
        return [
          { document: documentBlock(part.file.file_data, `${partParam}.file.file_data`, part.file.filename) },
        ];
      case 'input_audio':
        throw new UnsupportedContentError('Audio input is not supported by Bedrock Converse', partParam);
    }
  });
}

function imageBlock(url: string, param: string): ConverseImageBlock {
  if (isHttpUrl(url)) {
    throw new UnsupportedContentError(
      'Bedrock Converse does not fetch image URLs: send the image inline as a base64 data URL',
      param,
    );
  }
  if (!isDataUrl(url)) throw new UnsupportedContentError('Image URLs must be base64 data URLs', param);
  const { mediaType, data } = parseDataUrl(url, param);
  const format = IMAGE_FORMATS[mediaType];
  if (!format) {
    throw new UnsupportedContentError(
      `Image type ${mediaType} is not supported (use jpeg, png, gif or webp)`,
      param,
    );
  }
  return { format, source: { bytes: decodeBase64(data) } };
}

function documentBlock(
  fileData: string | undefined,
  param: string,
  filename?: string,
): ConverseDocumentBlock {
  const { data } = inlinePdf(fileData, param);
  return { format: 'pdf', name: documentName(filename), source: { bytes: decodeBase64(data) } };
}

/** Converse document names allow letters, digits, single spaces, hyphens, parentheses and brackets. */
function documentName(filename: string | undefined): string {
  const base = (filename ?? '').replace(/\.[^.]*$/, '');
  const clean = base
    .replace(/[^A-Za-z0-9\s\-()[\]]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
  return clean === '' ? 'document' : clean;
}

function decodeBase64(data: string): Uint8Array {
  return new Uint8Array(Buffer.from(data, 'base64'));
}

function assistantBlocks(message: OpenAIAssistantMessage): ConverseContentBlock[] {
  const { content } = message;
  const blocks: ConverseContentBlock[] =
    typeof content === 'string'
      ? textBlocks(content)
      : (content ?? []).flatMap((part) =>
          textBlocks([part.type === 'text' ? part : { type: 'text', text: part.refusal }]),
        );
  for (const call of message.tool_calls ?? []) {
    blocks.push({
      toolUse: {
        toolUseId: call.id,
        name: call.function.name,
        input: parseToolArguments(call.function.arguments),
      },
    });
  }
  return blocks;
}

function toolResultBlock(message: OpenAIToolMessage): ConverseContentBlock {
  const text =
    typeof message.content === 'string' ? message.content : message.content.map((part) => part.text).join('');
  return {
    toolResult: {
      toolUseId: message.tool_call_id,
      content: [{ text: text.trim() === '' ? EMPTY_TOOL_RESULT_TEXT : text }],
    },
  };
}

function trimFinalAssistant(messages: ConverseMessage[]): void {
  const last = messages.at(-1);
  if (last?.role !== 'assistant') return;
  const lastBlock = last.content.at(-1);
  if (lastBlock && 'text' in lastBlock) lastBlock.text = lastBlock.text.trimEnd();
}

// ─── Tools, inference parameters, model-specific fields ───────────────────────────────────────

/**
 * Converse has no "none" tool choice: with `none` the tools are left out, unless the history holds
 * tool blocks (Converse then requires a toolConfig), in which case they are sent without a choice.
 * History tool blocks without any `tools` get minimal specs so the request stays valid.
 */
function convertTools(
  request: OpenAIChatCompletionRequest,
  messages: ConverseMessage[],
): ConverseToolConfig | undefined {
  const historyUsesTools = messages.some((m) => m.content.some((b) => 'toolUse' in b || 'toolResult' in b));
  const tools: ConverseTool[] = (request.tools ?? []).flatMap((tool, i) => {
    if (tool.type !== 'function') {
      throw new UnsupportedParameterError(`tools[${i}].type`, 'Only function tools are supported');
    }
    const { name, description, parameters } = tool.function;
    const spec: ConverseTool = {
      toolSpec: {
        name,
        ...(description ? { description } : {}),
        inputSchema: { json: parameters ?? { type: 'object', properties: {} } },
      },
    };
    return tool.cache_control ? [spec, CACHE_POINT] : [spec];
  });
  if (tools.length === 0) return historyUsesTools ? { tools: historyToolSpecs(messages) } : undefined;
  const choice = request.tool_choice;
  if (choice === 'none') return historyUsesTools ? { tools } : undefined;
  if (choice === 'required') return { tools, toolChoice: { any: {} } };
  if (typeof choice === 'object') return { tools, toolChoice: { tool: { name: choice.function.name } } };
  return { tools, toolChoice: { auto: {} } };
}

function historyToolSpecs(messages: ConverseMessage[]): ConverseTool[] {
  const names = new Set<string>();
  for (const message of messages) {
    for (const block of message.content) if ('toolUse' in block) names.add(block.toolUse.name);
  }
  if (names.size === 0) names.add('tool');
  return [...names].map((name) => ({ toolSpec: { name, inputSchema: { json: { type: 'object' } } } }));
}

/** Converse takes temperature 0–1; as for Anthropic, top_p is only sent without temperature. */
function convertInference(
  request: OpenAIChatCompletionRequest,
): NonNullable<ConverseRequest['inferenceConfig']> {
  const config: NonNullable<ConverseRequest['inferenceConfig']> = {};
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) config.maxTokens = maxTokens;
  if (request.temperature != null) config.temperature = Math.min(1, Math.max(0, request.temperature));
  else if (request.top_p != null) config.topP = request.top_p;
  const stops = stopSequences(request);
  if (stops.length > 0) config.stopSequences = stops;
  return config;
}

/** `top_k` and `thinking` only exist for Anthropic models on Bedrock (in their native field names). */
function additionalFields(request: OpenAIChatCompletionRequest, modelId: string): JsonObject | undefined {
  if (!/anthropic|claude/i.test(modelId)) return undefined;
  const fields: JsonObject = {};
  if (request.top_k != null) fields.top_k = request.top_k;
  if (request.thinking) fields.thinking = { ...request.thinking };
  return Object.keys(fields).length > 0 ? fields : undefined;
}
