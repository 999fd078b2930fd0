import type {
  AnthropicMessageDeltaUsage,
  AnthropicStopReason,
  AnthropicStreamEvent,
  AnthropicUsage,
} from '../../wire/anthropic.types';
import type { JsonObject } from '../../wire/json.types';
import { finishReasonFromNative } from '../../wire/native-to-openai';
import { OpenAIChunkWriter, truncatedStreamError } from '../../wire/openai-chunk.writer';
import type { OpenAIFinishReason, OpenAIStreamItem, OpenAIUsage } from '../../wire/openai.types';
import { anthropicErrorToOpenAI } from './anthropic-errors';
import { openAIUsageFromAnthropic } from './anthropic-mappings';

export interface OpenAIStreamTranslationOptions {
  /** Chunk id; defaults to the upstream message id. */
  id?: string;
  /** Unix seconds; defaults to now. */
  created?: number;
  /** Model name shown to the client; defaults to the upstream model. */
  model?: string;
  /** Emit the final `choices: []` usage chunk (`stream_options.include_usage`). */
  includeUsage?: boolean;
}

/**
 * Translates one Anthropic Messages event stream into OpenAI chat chunks. Feed every parsed SSE
 * `data` object to {@link push} in order, then call {@link end} when the upstream body ends; write
 * each returned item as a `data:` line. An error item (see `isOpenAIErrorBody`) ends the stream.
 */
export class AnthropicToOpenAIStreamTranslator {
  private readonly writer: OpenAIChunkWriter;
  private readonly toolInputs = new Map<number, JsonObject>();
  private usageSoFar: AnthropicUsage = { input_tokens: 0, output_tokens: 0 };
  private stopReason: AnthropicStopReason | null | undefined;
  private state: 'open' | 'done' | 'failed' = 'open';

  constructor(private readonly options: OpenAIStreamTranslationOptions = {}) {
    this.writer = new OpenAIChunkWriter({
      id: options.id ?? '',
      model: options.model ?? '',
      created: options.created ?? Math.floor(Date.now() / 1000),
    });
  }

  /** Usage so far (complete once the stream is done), whether or not a usage chunk is emitted. */
  get usage(): OpenAIUsage {
    return openAIUsageFromAnthropic(this.usageSoFar);
  }

  get finishReason(): OpenAIFinishReason | undefined {
    return this.stopReason === undefined ? undefined : finishReasonFromNative(this.stopReason);
  }

  push(event: AnthropicStreamEvent): OpenAIStreamItem[] {
    if (this.state !== 'open') return [];
    switch (event.type) {
      case 'message_start':
        this.writer.id = this.options.id ?? event.message.id;
        this.writer.model = this.options.model ?? event.message.model;
        this.usageSoFar = { ...event.message.usage };
        return this.writer.start();
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'text') return this.writer.text(block.text);
        if (block.type === 'thinking') return this.writer.reasoning(block.thinking);
        if (block.type !== 'tool_use') return [];
        this.toolInputs.set(event.index, block.input);
        return [...this.writer.start(), ...this.writer.toolStart(event.index, block.id, block.name)];
      }
      case 'content_block_delta': {
        const { delta } = event;
        if (delta.type === 'text_delta') return this.writer.text(delta.text);
        if (delta.type === 'input_json_delta')
          return this.writer.toolArguments(event.index, delta.partial_json);
        if (delta.type === 'thinking_delta') return this.writer.reasoning(delta.thinking);
        return [];
      }
      case 'content_block_stop':
        return this.writer.toolStop(event.index, this.toolInputs.get(event.index));
      case 'message_delta':
        this.mergeUsage(event.usage);
        this.stopReason = event.delta.stop_reason;
        return [];
      case 'message_stop':
        return this.complete();
      case 'ping':
        return [];
      case 'error':
        this.state = 'failed';
        return [anthropicErrorToOpenAI(undefined, event).body];
    }
  }

  /** Call when the upstream body ends; flags a stream that stopped before `message_stop`. */
  end(): OpenAIStreamItem[] {
    if (this.state !== 'open') return [];
    if (this.stopReason !== undefined) return this.complete();
    this.state = 'failed';
    return [truncatedStreamError()];
  }

  private complete(): OpenAIStreamItem[] {
    this.state = 'done';
    const items: OpenAIStreamItem[] = this.writer.finish(finishReasonFromNative(this.stopReason));
    if (this.options.includeUsage) items.push(...this.writer.usage(this.usage));
    return items;
  }

  /** `message_delta` usage is cumulative; input counts appear there only in newer API versions. */
  private mergeUsage(delta: AnthropicMessageDeltaUsage): void {
    const usage = this.usageSoFar;
    usage.output_tokens = delta.output_tokens;
    if (delta.input_tokens != null) usage.input_tokens = delta.input_tokens;
    if (delta.cache_creation_input_tokens != null) {
      usage.cache_creation_input_tokens = delta.cache_creation_input_tokens;
    }
    if (delta.cache_read_input_tokens != null) usage.cache_read_input_tokens = delta.cache_read_input_tokens;
  }
}
