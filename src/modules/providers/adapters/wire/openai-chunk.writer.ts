import type {
  OpenAIChatCompletionChunk,
  OpenAIChatCompletionDelta,
  OpenAIErrorBody,
  OpenAIFinishReason,
  OpenAIUsage,
} from './openai.types';
import { stringifyToolInput } from './tool-arguments';

/** What a stream translator emits when the upstream body ends before the message was complete. */
export function truncatedStreamError(): OpenAIErrorBody {
  return {
    error: {
      message: 'The upstream stream ended before the response was complete',
      type: 'upstream_error',
      code: 'stream_truncated',
    },
  };
}

interface ToolCallState {
  index: number;
  argumentsSent: boolean;
}

/**
 * Builds the OpenAI chunks of one streamed choice, whatever the upstream protocol.
 * It owns the invariants clients rely on:
 * - the first chunk, and only that one, carries `role: 'assistant'`;
 * - every tool call gets the next `index` (0, 1, 2…) in the order its block started, whatever text
 *   or reasoning blocks sit between them; its first chunk carries `id`, `type`, `function.name` and
 *   empty `arguments`, later chunks only `function.arguments` fragments;
 * - a tool call that received no argument fragment still gets its full arguments (at least `{}`),
 *   so concatenating the fragments always yields the same JSON as the non-stream response.
 */
export class OpenAIChunkWriter {
  id: string;
  model: string;
  readonly created: number;
  private roleSent = false;
  private readonly toolCalls = new Map<number, ToolCallState>();

  constructor(identity: { id: string; model: string; created: number }) {
    this.id = identity.id;
    this.model = identity.model;
    this.created = identity.created;
  }

  get toolCallCount(): number {
    return this.toolCalls.size;
  }

  /** The role chunk, if it has not been sent yet. */
  start(): OpenAIChatCompletionChunk[] {
    return this.roleSent ? [] : [this.chunk({})];
  }

  text(text: string): OpenAIChatCompletionChunk[] {
    return text === '' ? [] : [this.chunk({ content: text })];
  }

  reasoning(text: string): OpenAIChatCompletionChunk[] {
    return text === '' ? [] : [this.chunk({ reasoning_content: text })];
  }

  /** Opens a tool call for the upstream block `blockKey`. */
  toolStart(blockKey: number, id: string, name: string): OpenAIChatCompletionChunk[] {
    const index = this.toolCalls.size;
    this.toolCalls.set(blockKey, { index, argumentsSent: false });
    return [this.chunk({ tool_calls: [{ index, id, type: 'function', function: { name, arguments: '' } }] })];
  }

  isToolBlock(blockKey: number): boolean {
    return this.toolCalls.has(blockKey);
  }

  toolArguments(blockKey: number, fragment: string): OpenAIChatCompletionChunk[] {
    const state = this.toolCalls.get(blockKey);
    if (!state || fragment === '') return [];
    state.argumentsSent = true;
    return [this.chunk({ tool_calls: [{ index: state.index, function: { arguments: fragment } }] })];
  }

  /** Closes a tool block; sends `fallbackInput` (default `{}`) when no fragment was streamed. */
  toolStop(blockKey: number, fallbackInput?: unknown): OpenAIChatCompletionChunk[] {
    const state = this.toolCalls.get(blockKey);
    if (!state || state.argumentsSent) return [];
    return this.toolArguments(blockKey, stringifyToolInput(fallbackInput));
  }

  finish(reason: OpenAIFinishReason): OpenAIChatCompletionChunk[] {
    return [this.chunk({}, reason)];
  }

  /** The `choices: []` usage chunk of `stream_options.include_usage`. */
  usage(usage: OpenAIUsage): OpenAIChatCompletionChunk[] {
    return [{ ...this.envelope(), choices: [], usage }];
  }

  private chunk(delta: OpenAIChatCompletionDelta, finishReason: OpenAIFinishReason | null = null) {
    const withRole: OpenAIChatCompletionDelta = this.roleSent
      ? delta
      : { role: 'assistant', content: '', ...delta };
    this.roleSent = true;
    return {
      ...this.envelope(),
      choices: [{ index: 0, delta: withRole, finish_reason: finishReason, logprobs: null }],
    };
  }

  private envelope(): Omit<OpenAIChatCompletionChunk, 'choices'> {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model };
  }
}
