import type {
  ConverseStopReason,
  ConverseStreamEvent,
  ConverseStreamExceptionName,
  ConverseStreamExceptionPayload,
  ConverseTokenUsage,
} from '../../wire/bedrock.types';
import { finishReasonFromNative } from '../../wire/native-to-openai';
import { OpenAIChunkWriter, truncatedStreamError } from '../../wire/openai-chunk.writer';
import type { OpenAIFinishReason, OpenAIStreamItem, OpenAIUsage } from '../../wire/openai.types';
import { converseStreamExceptionToOpenAI } from './bedrock-errors';
import { openAIUsageFromConverse } from './converse-mappings';
import { type ConverseResponseIdentity, newCompletionId } from './converse-response-to-openai';

export interface ConverseStreamTranslationOptions extends ConverseResponseIdentity {
  /** Emit the final `choices: []` usage chunk (`stream_options.include_usage`). */
  includeUsage?: boolean;
}

const EXCEPTIONS: readonly ConverseStreamExceptionName[] = [
  'internalServerException',
  'modelStreamErrorException',
  'validationException',
  'throttlingException',
  'serviceUnavailableException',
];

/**
 * Translates ConverseStream events into OpenAI chat chunks. Feed every event of the SDK's
 * `response.stream` to {@link push}, then call {@link end}. The finish chunk is sent on
 * `messageStop`; the usage chunk on the `metadata` event that follows it.
 */
export class ConverseToOpenAIStreamTranslator {
  private readonly writer: OpenAIChunkWriter;
  private stopReason?: ConverseStopReason;
  private tokenUsage?: ConverseTokenUsage;
  private state: 'open' | 'stopped' | 'done' | 'failed' = 'open';

  constructor(private readonly options: ConverseStreamTranslationOptions) {
    this.writer = new OpenAIChunkWriter({
      id: options.id ?? newCompletionId(),
      model: options.model,
      created: options.created ?? Math.floor(Date.now() / 1000),
    });
  }

  get usage(): OpenAIUsage {
    return openAIUsageFromConverse(this.tokenUsage);
  }

  get finishReason(): OpenAIFinishReason | undefined {
    return this.stopReason === undefined ? undefined : finishReasonFromNative(this.stopReason);
  }

  push(event: ConverseStreamEvent): OpenAIStreamItem[] {
    if (this.state === 'done' || this.state === 'failed') return [];
    const exception = EXCEPTIONS.find((name) => name in event);
    if (exception) {
      this.state = 'failed';
      const payload = (event as Record<string, ConverseStreamExceptionPayload>)[exception] ?? {};
      return [converseStreamExceptionToOpenAI(exception, payload).body];
    }
    if ('metadata' in event) {
      this.tokenUsage = event.metadata.usage;
      if (this.state !== 'stopped') return [];
      this.state = 'done';
      return this.options.includeUsage ? this.writer.usage(this.usage) : [];
    }
    if (this.state !== 'open') return [];
    if ('messageStart' in event) return this.writer.start();
    if ('contentBlockStart' in event) {
      const { contentBlockIndex, start } = event.contentBlockStart;
      if (!start.toolUse) return [];
      return [
        ...this.writer.start(),
        ...this.writer.toolStart(contentBlockIndex, start.toolUse.toolUseId, start.toolUse.name),
      ];
    }
    if ('contentBlockDelta' in event) {
      const { contentBlockIndex, delta } = event.contentBlockDelta;
      if (delta.text !== undefined) return this.writer.text(delta.text);
      if (delta.toolUse) return this.writer.toolArguments(contentBlockIndex, delta.toolUse.input);
      if (delta.reasoningContent?.text !== undefined)
        return this.writer.reasoning(delta.reasoningContent.text);
      return [];
    }
    if ('contentBlockStop' in event) return this.writer.toolStop(event.contentBlockStop.contentBlockIndex);
    if ('messageStop' in event) {
      this.stopReason = event.messageStop.stopReason;
      this.state = 'stopped';
      return this.writer.finish(finishReasonFromNative(this.stopReason));
    }
    return [];
  }

  /** Call when the event stream ends; flags a stream that stopped before `messageStop`. */
  end(): OpenAIStreamItem[] {
    if (this.state === 'stopped') {
      this.state = 'done';
      return this.options.includeUsage && this.tokenUsage ? this.writer.usage(this.usage) : [];
    }
    if (this.state !== 'open') return [];
    this.state = 'failed';
    return [truncatedStreamError()];
  }
}
