import type {
  AnthropicErrorObject,
  AnthropicMessagesResponse,
  AnthropicResponseContentBlock,
  AnthropicStreamEvent,
} from '../../wire/anthropic.types';
import type { JsonObject } from '../../wire/json.types';
import { parseToolArguments } from '../../wire/tool-arguments';

/**
 * Rebuilds the Messages response from an Anthropic event stream, the way Anthropic's SDK does, and
 * records protocol violations (a delta before its block started, a block started twice, …).
 */
export class AnthropicStreamAccumulator {
  readonly violations: string[] = [];
  readonly errors: AnthropicErrorObject[] = [];
  private message?: AnthropicMessagesResponse;
  private readonly blocks = new Map<number, AnthropicResponseContentBlock>();
  private readonly json = new Map<number, string>();
  private readonly stopped = new Set<number>();
  private sawStop = false;

  push(event: AnthropicStreamEvent): void {
    if (event.type !== 'message_start' && event.type !== 'error' && event.type !== 'ping' && !this.message) {
      this.violations.push(`${event.type} before message_start`);
    }
    switch (event.type) {
      case 'message_start':
        if (this.message) this.violations.push('second message_start');
        this.message = { ...event.message, content: [], usage: { ...event.message.usage } };
        break;
      case 'content_block_start':
        if (this.blocks.has(event.index)) this.violations.push(`block ${event.index} started twice`);
        this.blocks.set(event.index, structuredClone(event.content_block));
        break;
      case 'content_block_delta':
        this.applyDelta(event.index, event.delta);
        break;
      case 'content_block_stop':
        if (!this.blocks.has(event.index)) this.violations.push(`stop of unknown block ${event.index}`);
        if (this.stopped.has(event.index)) this.violations.push(`block ${event.index} stopped twice`);
        this.stopped.add(event.index);
        this.finishToolInput(event.index);
        break;
      case 'message_delta':
        if (this.message) {
          this.message.stop_reason = event.delta.stop_reason;
          this.message.stop_sequence = event.delta.stop_sequence;
          const { usage } = this.message;
          usage.output_tokens = event.usage.output_tokens;
          if (event.usage.input_tokens != null) usage.input_tokens = event.usage.input_tokens;
          if (event.usage.cache_read_input_tokens != null) {
            usage.cache_read_input_tokens = event.usage.cache_read_input_tokens;
          }
          if (event.usage.cache_creation_input_tokens != null) {
            usage.cache_creation_input_tokens = event.usage.cache_creation_input_tokens;
          }
        }
        break;
      case 'message_stop':
        this.sawStop = true;
        for (const index of this.blocks.keys()) {
          if (!this.stopped.has(index)) this.violations.push(`block ${index} never stopped`);
        }
        break;
      case 'ping':
        break;
      case 'error':
        this.errors.push(event.error);
        break;
    }
  }

  get complete(): boolean {
    return this.sawStop;
  }

  response(): AnthropicMessagesResponse | undefined {
    if (!this.message) return undefined;
    const indexes = [...this.blocks.keys()].sort((a, b) => a - b);
    indexes.forEach((index, position) => {
      if (index !== position) this.violations.push(`block indexes not contiguous at ${index}`);
    });
    return { ...this.message, content: indexes.map((index) => this.blocks.get(index)!) };
  }

  private applyDelta(
    index: number,
    delta: Extract<AnthropicStreamEvent, { type: 'content_block_delta' }>['delta'],
  ) {
    const block = this.blocks.get(index);
    if (!block) {
      this.violations.push(`delta for unknown block ${index}`);
      return;
    }
    if (this.stopped.has(index)) this.violations.push(`delta after stop of block ${index}`);
    if (delta.type === 'text_delta' && block.type === 'text') block.text += delta.text;
    else if (delta.type === 'thinking_delta' && block.type === 'thinking') block.thinking += delta.thinking;
    else if (delta.type === 'signature_delta' && block.type === 'thinking')
      block.signature += delta.signature;
    else if (delta.type === 'input_json_delta' && block.type === 'tool_use') {
      this.json.set(index, (this.json.get(index) ?? '') + delta.partial_json);
    } else if (delta.type !== 'citations_delta') {
      this.violations.push(`${delta.type} on a ${block.type} block`);
    }
  }

  private finishToolInput(index: number): void {
    const block = this.blocks.get(index);
    const json = this.json.get(index);
    if (block?.type !== 'tool_use' || json === undefined) return;
    try {
      block.input = JSON.parse(json) as JsonObject;
    } catch {
      this.violations.push(`invalid tool input JSON in block ${index}`);
      block.input = parseToolArguments(json);
    }
  }
}
