import { assistantMessage } from './assistant-message';
import type {
  OpenAIChatCompletionResponse,
  OpenAIErrorBody,
  OpenAIFinishReason,
  OpenAIStreamItem,
  OpenAIToolCall,
  OpenAIUsage,
} from './openai.types';
import { isOpenAIErrorBody } from './openai.types';

/**
 * Rebuilds the non-stream response from an OpenAI chat stream (first choice): for request logs,
 * analytics, and to prove that a translated stream says the same as the translated body.
 */
export class OpenAIStreamAccumulator {
  id = '';
  model = '';
  created = 0;
  /** Chunks that carried `delta.role` (a well-formed stream has exactly one, the first). */
  roleChunks = 0;
  /** Tool-call indexes in order of first appearance (well-formed: 0, 1, 2…). */
  readonly toolIndexOrder: number[] = [];
  readonly errors: OpenAIErrorBody[] = [];
  private content = '';
  private sawContent = false;
  private reasoning = '';
  private readonly toolCalls = new Map<number, OpenAIToolCall>();
  private finishReason: OpenAIFinishReason | null = null;
  private usage?: OpenAIUsage;

  push(item: OpenAIStreamItem): void {
    if (isOpenAIErrorBody(item)) {
      this.errors.push(item);
      return;
    }
    this.id ||= item.id;
    this.model ||= item.model;
    this.created ||= item.created;
    if (item.usage) this.usage = item.usage;
    const choice = item.choices.find((c) => c.index === 0);
    if (!choice) return;
    const { delta } = choice;
    if (delta.role) this.roleChunks++;
    if (typeof delta.content === 'string') {
      this.content += delta.content;
      this.sawContent ||= delta.content !== '';
    }
    if (delta.reasoning_content) this.reasoning += delta.reasoning_content;
    for (const call of delta.tool_calls ?? []) {
      let existing = this.toolCalls.get(call.index);
      if (!existing) {
        existing = { id: call.id ?? '', type: 'function', function: { name: '', arguments: '' } };
        this.toolCalls.set(call.index, existing);
        this.toolIndexOrder.push(call.index);
      }
      if (call.id && !existing.id) existing.id = call.id;
      if (call.function?.name) existing.function.name ||= call.function.name;
      existing.function.arguments += call.function?.arguments ?? '';
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
  }

  /** Tool calls ordered by index. */
  get toolCallList(): OpenAIToolCall[] {
    return [...this.toolCalls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
  }

  response(): OpenAIChatCompletionResponse {
    const toolCalls = this.toolCallList;
    const message = assistantMessage(this.content, toolCalls, this.reasoning, this.sawContent);
    const response: OpenAIChatCompletionResponse = {
      id: this.id,
      object: 'chat.completion',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, message, finish_reason: this.finishReason, logprobs: null }],
    };
    if (this.usage) response.usage = this.usage;
    return response;
  }
}
