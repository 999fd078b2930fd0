import { assistantMessage } from '../wire/assistant-message';
import { rejectMultipleChoicesAndFunctions } from '../wire/chat-turns';
import type { JsonObject } from '../wire/json.types';
import { OpenAIChunkWriter, truncatedStreamError } from '../wire/openai-chunk.writer';
import type {
  OpenAIChatCompletionRequest,
  OpenAIChatCompletionResponse,
  OpenAIChatMessage,
  OpenAIFinishReason,
  OpenAIStreamItem,
  OpenAIToolCall,
  OpenAIUsage,
  OpenAIUserContentPart,
} from '../wire/openai.types';
import { UnsupportedContentError, UnsupportedParameterError } from '../wire/translation.errors';
import { isReasoningModel } from './azure-parameters';

/**
 * OpenAI Chat Completions ⇄ OpenAI Responses API, for Azure deployments configured for the
 * Responses API (`apiType: responses`). Pure functions, no I/O.
 */

type ResponsesInputItem = Record<string, unknown>;

/** Chat request → Responses request (`input` items, `instructions`-free: system turns stay items). */
export function chatToResponsesRequest(
  request: OpenAIChatCompletionRequest,
  options: { model: string; stream: boolean },
): Record<string, unknown> {
  rejectMultipleChoicesAndFunctions(request, 'The Responses API returns a single choice: n must be 1');
  const result: Record<string, unknown> = {
    model: options.model,
    input: request.messages.flatMap(inputItems),
    store: false,
  };
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) result.max_output_tokens = maxTokens;
  if (!isReasoningModel(options.model)) {
    if (request.temperature != null) result.temperature = request.temperature;
    if (request.top_p != null) result.top_p = request.top_p;
  }
  if (request.reasoning_effort) result.reasoning = { effort: request.reasoning_effort };
  if (request.tools && request.tools.length > 0) {
    result.tools = request.tools.map((tool) => ({
      type: 'function',
      name: tool.function.name,
      ...(tool.function.description ? { description: tool.function.description } : {}),
      parameters: tool.function.parameters ?? { type: 'object', properties: {} },
      ...(tool.function.strict != null ? { strict: tool.function.strict } : {}),
    }));
  }
  if (request.tool_choice) {
    result.tool_choice =
      typeof request.tool_choice === 'string'
        ? request.tool_choice
        : { type: 'function', name: request.tool_choice.function.name };
  }
  if (request.parallel_tool_calls != null) result.parallel_tool_calls = request.parallel_tool_calls;
  if (request.user) result.user = request.user;
  if (request.metadata) result.metadata = request.metadata;
  const format = request.response_format;
  if (format && format.type === 'json_schema') {
    const schema = format.json_schema;
    result.text = {
      format: {
        type: 'json_schema',
        name: schema.name,
        schema: schema.schema ?? {},
        ...(schema.strict != null ? { strict: schema.strict } : {}),
      },
    };
  } else if (format && format.type === 'json_object') {
    result.text = { format: { type: 'json_object' } };
  }
  if (options.stream) result.stream = true;
  return result;
}

function inputItems(message: OpenAIChatMessage): ResponsesInputItem[] {
  switch (message.role) {
    case 'system':
    case 'developer':
      return [{ role: message.role, content: textOf(message.content) }];
    case 'user':
      return [
        {
          role: 'user',
          content: typeof message.content === 'string' ? message.content : message.content.map(userPart),
        },
      ];
    case 'assistant': {
      const items: ResponsesInputItem[] = [];
      const text = message.content == null ? '' : textOf(message.content);
      if (text !== '') items.push({ role: 'assistant', content: text });
      for (const call of message.tool_calls ?? []) {
        items.push({
          type: 'function_call',
          call_id: call.id,
          name: call.function.name,
          arguments: call.function.arguments || '{}',
        });
      }
      return items;
    }
    case 'tool':
      return [
        { type: 'function_call_output', call_id: message.tool_call_id, output: textOf(message.content) },
      ];
    case 'function':
      throw new UnsupportedParameterError('messages', 'Legacy function messages are not supported');
  }
}

function textOf(content: string | readonly { type: string; text?: string }[]): string {
  if (typeof content === 'string') return content;
  return content
    .map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .join('');
}

function userPart(part: OpenAIUserContentPart): Record<string, unknown> {
  switch (part.type) {
    case 'text':
      return { type: 'input_text', text: part.text };
    case 'image_url':
      return {
        type: 'input_image',
        image_url: part.image_url.url,
        ...(part.image_url.detail ? { detail: part.image_url.detail } : {}),
      };
    case 'file':
      return {
        type: 'input_file',
        ...(part.file.file_data ? { file_data: part.file.file_data } : {}),
        ...(part.file.file_id ? { file_id: part.file.file_id } : {}),
        ...(part.file.filename ? { filename: part.file.filename } : {}),
      };
    case 'input_audio':
      throw new UnsupportedContentError('Audio input is not supported by the Responses API', 'messages');
  }
}

// ─── Responses → chat completion ──────────────────────────────────────────────────────────────

interface ResponsesOutputItem {
  type?: string;
  role?: string;
  content?: { type?: string; text?: string; refusal?: string }[];
  call_id?: string;
  name?: string;
  arguments?: string;
  summary?: { type?: string; text?: string }[];
}

interface ResponsesUsage {
  input_tokens?: number;
  output_tokens?: number;
  total_tokens?: number;
  input_tokens_details?: { cached_tokens?: number };
  output_tokens_details?: { reasoning_tokens?: number };
}

export interface ResponsesObject {
  id?: string;
  created_at?: number;
  model?: string;
  status?: string;
  incomplete_details?: { reason?: string } | null;
  output?: ResponsesOutputItem[];
  usage?: ResponsesUsage | null;
  error?: { code?: string; message?: string } | null;
}

/** Responses object → chat completion (one choice). */
export function responsesToChatCompletion(
  response: ResponsesObject,
  identity: { model: string },
): OpenAIChatCompletionResponse {
  let text = '';
  let reasoning = '';
  const toolCalls: OpenAIToolCall[] = [];
  let refused = false;
  for (const item of response.output ?? []) {
    if (item.type === 'message') {
      for (const part of item.content ?? []) {
        if (part.type === 'output_text' && part.text) text += part.text;
        else if (part.type === 'refusal') {
          refused = true;
          text += part.refusal ?? '';
        }
      }
    } else if (item.type === 'function_call') {
      toolCalls.push({
        id: item.call_id ?? '',
        type: 'function',
        function: { name: item.name ?? '', arguments: item.arguments || '{}' },
      });
    } else if (item.type === 'reasoning') {
      for (const part of item.summary ?? []) reasoning += part.text ?? '';
    }
  }
  const message = assistantMessage(text, toolCalls, reasoning);
  return {
    id: response.id ?? '',
    object: 'chat.completion',
    created: response.created_at ?? Math.floor(Date.now() / 1000),
    model: response.model ?? identity.model,
    choices: [
      {
        index: 0,
        message,
        finish_reason: refused ? 'content_filter' : finishReasonOf(response, toolCalls.length > 0),
        logprobs: null,
      },
    ],
    usage: usageOf(response.usage),
  };
}

function finishReasonOf(response: ResponsesObject, hasToolCalls: boolean): OpenAIFinishReason {
  if (response.status === 'incomplete') {
    return response.incomplete_details?.reason === 'content_filter' ? 'content_filter' : 'length';
  }
  return hasToolCalls ? 'tool_calls' : 'stop';
}

export function usageOf(usage: ResponsesUsage | null | undefined): OpenAIUsage {
  const prompt = usage?.input_tokens ?? 0;
  const completion = usage?.output_tokens ?? 0;
  const result: OpenAIUsage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: usage?.total_tokens ?? prompt + completion,
  };
  const cached = usage?.input_tokens_details?.cached_tokens;
  if (cached) result.prompt_tokens_details = { cached_tokens: cached };
  const reasoning = usage?.output_tokens_details?.reasoning_tokens;
  if (reasoning) result.completion_tokens_details = { reasoning_tokens: reasoning };
  return result;
}

// ─── Responses event stream → chat chunks ─────────────────────────────────────────────────────

interface ResponsesStreamEvent {
  type: string;
  response?: ResponsesObject;
  output_index?: number;
  item?: ResponsesOutputItem;
  delta?: string;
  code?: string;
  message?: string;
}

/**
 * Responses API stream events → OpenAI chat chunks, with the same guarantees as the other stream
 * translators (role on the first chunk only, tool calls indexed 0, 1, 2… in the order they start,
 * finish chunk once, then the usage chunk when requested).
 */
export class ResponsesToChatStreamTranslator {
  private readonly writer: OpenAIChunkWriter;
  private readonly toolArgs = new Map<number, boolean>();
  private state: 'open' | 'done' | 'failed' = 'open';
  private finalUsage: OpenAIUsage | undefined;

  constructor(private readonly options: { model: string; includeUsage?: boolean }) {
    this.writer = new OpenAIChunkWriter({
      id: '',
      model: options.model,
      created: Math.floor(Date.now() / 1000),
    });
  }

  get usage(): OpenAIUsage | undefined {
    return this.finalUsage;
  }

  push(event: ResponsesStreamEvent): OpenAIStreamItem[] {
    if (this.state !== 'open') return [];
    switch (event.type) {
      case 'response.created':
        this.writer.id = event.response?.id ?? this.writer.id;
        if (event.response?.model) this.writer.model = event.response.model;
        return this.writer.start();
      case 'response.output_item.added':
        if (event.item?.type !== 'function_call' || event.output_index === undefined) return [];
        this.toolArgs.set(event.output_index, false);
        return [
          ...this.writer.start(),
          ...this.writer.toolStart(event.output_index, event.item.call_id ?? '', event.item.name ?? ''),
        ];
      case 'response.function_call_arguments.delta':
        if (event.output_index === undefined || !event.delta) return [];
        return this.writer.toolArguments(event.output_index, event.delta);
      case 'response.output_item.done':
        if (event.item?.type !== 'function_call' || event.output_index === undefined) return [];
        return this.writer.toolStop(event.output_index, parseArguments(event.item.arguments));
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        return this.writer.text(event.delta ?? '');
      case 'response.reasoning_summary_text.delta':
        return this.writer.reasoning(event.delta ?? '');
      case 'response.completed':
      case 'response.incomplete': {
        this.state = 'done';
        const response = event.response ?? {};
        this.finalUsage = usageOf(response.usage);
        const hasTools = this.writer.toolCallCount > 0;
        const items: OpenAIStreamItem[] = [
          ...this.writer.start(),
          ...this.writer.finish(finishReasonOf(response, hasTools)),
        ];
        if (this.options.includeUsage) items.push(...this.writer.usage(this.finalUsage));
        return items;
      }
      case 'response.failed': {
        this.state = 'failed';
        const error = event.response?.error;
        return [errorItem(error?.code, error?.message ?? 'The response failed')];
      }
      case 'error':
        this.state = 'failed';
        return [errorItem(event.code, event.message ?? 'Upstream stream error')];
      default:
        return [];
    }
  }

  end(): OpenAIStreamItem[] {
    if (this.state !== 'open') return [];
    this.state = 'failed';
    return [truncatedStreamError()];
  }
}

function parseArguments(args: string | undefined): JsonObject {
  if (!args) return {};
  try {
    const parsed: unknown = JSON.parse(args);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as JsonObject) : {};
  } catch {
    return {};
  }
}

function errorItem(code: string | undefined, message: string): OpenAIStreamItem {
  const overflow = code === 'context_length_exceeded';
  const rateLimited = code === 'rate_limit_exceeded';
  return {
    error: {
      message,
      type: overflow ? 'invalid_request_error' : rateLimited ? 'rate_limit_error' : 'server_error',
      code: code ?? 'upstream_error',
    },
  };
}
