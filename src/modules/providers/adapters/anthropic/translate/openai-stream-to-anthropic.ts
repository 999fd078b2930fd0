import { anthropicErrorBody } from '../../../../../core/http/error-shapes';
import type {
  AnthropicMessageDeltaUsage,
  AnthropicResponseContentBlock,
  AnthropicStreamEvent,
} from '../../wire/anthropic.types';
import type {
  OpenAIChatCompletionChunk,
  OpenAIFinishReason,
  OpenAIStreamItem,
  OpenAIToolCallDelta,
  OpenAIUsage,
} from '../../wire/openai.types';
import { isOpenAIErrorBody } from '../../wire/openai.types';
import { openAIErrorToAnthropic, statusForOpenAIErrorType } from './anthropic-errors';
import { anthropicUsageFromOpenAI, stopReasonFromOpenAI } from './anthropic-mappings';
import { anthropicMessageId } from './openai-response-to-anthropic';

export interface AnthropicStreamTranslationOptions {
  /** Message id; defaults to `msg_` + the first chunk's id. */
  id?: string;
  /** Model name shown to the client; defaults to the first chunk's model. */
  model?: string;
  /** Input-token estimate for `message_start` (the real count arrives at the end). */
  inputTokens?: number;
}

interface ToolBlock {
  key: number;
  id?: string;
  name?: string;
  /** Argument text received before the block could start (no name yet). */
  pending: string;
  args: string;
  index?: number;
  closed: boolean;
}

/**
 * Translates an OpenAI chat stream into Anthropic Messages events (the `/v1/messages` ingress).
 *
 * Text, reasoning and each tool call (keyed by its OpenAI `index`) become their own content block.
 * Tool calls may be interleaved across chunks, so a tool block is only stopped once its arguments
 * form complete JSON and another block starts, or at the end of the message; a late fragment is
 * always sent with its own block `index`. `message_delta` and `message_stop` wait for the usage
 * chunk that follows `finish_reason`, or for {@link end}.
 */
export class OpenAIToAnthropicStreamTranslator {
  private messageId = '';
  private nextIndex = 0;
  private current?: { kind: 'text' | 'thinking'; index: number };
  private readonly tools = new Map<number, ToolBlock>();
  private lastToolKey = 0;
  private finishReason?: OpenAIFinishReason;
  private usage?: OpenAIUsage;
  private state: 'new' | 'open' | 'finishing' | 'done' | 'failed' = 'new';

  constructor(private readonly options: AnthropicStreamTranslationOptions = {}) {}

  push(item: OpenAIStreamItem): AnthropicStreamEvent[] {
    if (this.state === 'done' || this.state === 'failed') return [];
    if (isOpenAIErrorBody(item)) return this.fail(item);
    const events = this.start(item);
    const choice = item.choices.find((c) => c.index === 0);
    if (choice && this.state === 'open') {
      const { delta } = choice;
      if (delta.reasoning_content) events.push(...this.appendText('thinking', delta.reasoning_content));
      const text = delta.content || delta.refusal;
      if (text) events.push(...this.appendText('text', text));
      for (const call of delta.tool_calls ?? []) events.push(...this.appendToolCall(call));
      if (choice.finish_reason) {
        this.finishReason = choice.finish_reason;
        this.state = 'finishing';
        events.push(...this.closeAll());
      }
    }
    if (item.usage) {
      this.usage = item.usage;
      if (this.state === 'finishing') events.push(...this.complete());
    }
    return events;
  }

  /** Call when the upstream body ends (`data: [DONE]` or EOF). */
  end(): AnthropicStreamEvent[] {
    if (this.state === 'finishing') return this.complete();
    if (this.state === 'done' || this.state === 'failed') return [];
    this.state = 'failed';
    return [anthropicErrorBody(500, 'The upstream stream ended before the response was complete')];
  }

  private start(chunk: OpenAIChatCompletionChunk): AnthropicStreamEvent[] {
    if (this.state !== 'new') return [];
    this.state = 'open';
    this.messageId = this.options.id ?? anthropicMessageId(chunk.id);
    return [
      {
        type: 'message_start',
        message: {
          id: this.messageId,
          type: 'message',
          role: 'assistant',
          model: this.options.model ?? chunk.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: this.options.inputTokens ?? 0, output_tokens: 0 },
        },
      },
    ];
  }

  private appendText(kind: 'text' | 'thinking', text: string): AnthropicStreamEvent[] {
    const events: AnthropicStreamEvent[] = [];
    if (this.current?.kind !== kind) {
      events.push(...this.closeForNewBlock());
      const index = this.nextIndex++;
      this.current = { kind, index };
      const block: AnthropicResponseContentBlock =
        kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' };
      events.push({ type: 'content_block_start', index, content_block: block });
    }
    const { index } = this.current;
    events.push({
      type: 'content_block_delta',
      index,
      delta: kind === 'text' ? { type: 'text_delta', text } : { type: 'thinking_delta', thinking: text },
    });
    return events;
  }

  private appendToolCall(call: OpenAIToolCallDelta): AnthropicStreamEvent[] {
    const tool = this.toolFor(call);
    if (call.id) tool.id ??= call.id;
    if (call.function?.name) tool.name ??= call.function.name;
    const fragment = call.function?.arguments ?? '';
    tool.args += fragment;
    if (tool.index === undefined) {
      tool.pending += fragment;
      return tool.name ? this.startTool(tool) : [];
    }
    return fragment === '' ? [] : [jsonDelta(tool.index, fragment)];
  }

  /** Some servers omit `index` on tool-call deltas: fall back to the call id, then the last call. */
  private toolFor(call: OpenAIToolCallDelta): ToolBlock {
    let key = (call as { index?: number }).index;
    if (key === undefined) {
      const byId = call.id ? [...this.tools.values()].find((tool) => tool.id === call.id) : undefined;
      key = byId?.key ?? (call.id ? this.tools.size : this.lastToolKey);
    }
    this.lastToolKey = key;
    let tool = this.tools.get(key);
    if (!tool) {
      tool = { key, pending: '', args: '', closed: false };
      this.tools.set(key, tool);
    }
    return tool;
  }

  private startTool(tool: ToolBlock): AnthropicStreamEvent[] {
    const events = this.closeForNewBlock();
    const index = this.nextIndex++;
    tool.index = index;
    events.push({
      type: 'content_block_start',
      index,
      content_block: {
        type: 'tool_use',
        id: tool.id ?? `toolu_${this.messageId.replace(/^msg_/, '')}_${tool.key}`,
        name: tool.name ?? 'unknown_tool',
        input: {},
      },
    });
    if (tool.pending !== '') events.push(jsonDelta(index, tool.pending));
    tool.pending = '';
    return events;
  }

  /** Before a new block: stop the text/thinking block and every tool block whose JSON is complete. */
  private closeForNewBlock(): AnthropicStreamEvent[] {
    const events: AnthropicStreamEvent[] = [];
    if (this.current) {
      events.push({ type: 'content_block_stop', index: this.current.index });
      this.current = undefined;
    }
    for (const tool of this.tools.values()) {
      if (tool.index !== undefined && !tool.closed && isCompleteJson(tool.args)) {
        tool.closed = true;
        events.push({ type: 'content_block_stop', index: tool.index });
      }
    }
    return events;
  }

  private closeAll(): AnthropicStreamEvent[] {
    const events: AnthropicStreamEvent[] = [];
    for (const tool of this.tools.values())
      if (tool.index === undefined) events.push(...this.startTool(tool));
    if (this.current) events.push({ type: 'content_block_stop', index: this.current.index });
    this.current = undefined;
    const open = [...this.tools.values()].filter((tool) => tool.index !== undefined && !tool.closed);
    for (const tool of open.sort((a, b) => (a.index ?? 0) - (b.index ?? 0))) {
      tool.closed = true;
      events.push({ type: 'content_block_stop', index: tool.index ?? 0 });
    }
    return events;
  }

  private complete(): AnthropicStreamEvent[] {
    this.state = 'done';
    const usage = anthropicUsageFromOpenAI(this.usage);
    const deltaUsage: AnthropicMessageDeltaUsage = {
      output_tokens: usage.output_tokens,
      input_tokens: this.usage ? usage.input_tokens : (this.options.inputTokens ?? 0),
    };
    if (usage.cache_read_input_tokens !== undefined) {
      deltaUsage.cache_creation_input_tokens = usage.cache_creation_input_tokens;
      deltaUsage.cache_read_input_tokens = usage.cache_read_input_tokens;
    }
    return [
      {
        type: 'message_delta',
        delta: {
          stop_reason: stopReasonFromOpenAI(this.finishReason, this.tools.size > 0),
          stop_sequence: null,
        },
        usage: deltaUsage,
      },
      { type: 'message_stop' },
    ];
  }

  /** Open blocks are deliberately not stopped: a client could otherwise run a half-streamed tool call. */
  private fail(item: { error: { type: string; message: string } }): AnthropicStreamEvent[] {
    this.state = 'failed';
    const { body } = openAIErrorToAnthropic(statusForOpenAIErrorType(item.error.type), item);
    return [{ type: 'error', error: body.error }];
  }
}

function jsonDelta(index: number, partialJson: string): AnthropicStreamEvent {
  return {
    type: 'content_block_delta',
    index,
    delta: { type: 'input_json_delta', partial_json: partialJson },
  };
}

function isCompleteJson(text: string): boolean {
  if (text.trim() === '') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
