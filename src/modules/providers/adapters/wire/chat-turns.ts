import { type DataUrl, parseDataUrl } from './data-url';
import type {
  OpenAIAssistantMessage,
  OpenAIChatCompletionRequest,
  OpenAITextContentPart,
  OpenAIToolMessage,
  OpenAIUserContentPart,
} from './openai.types';
import { TranslationError, UnsupportedContentError, UnsupportedParameterError } from './translation.errors';

/**
 * The vendor-neutral part of translating an OpenAI chat request into a native one (Anthropic
 * Messages, Bedrock Converse, Azure Responses): what single-choice APIs refuse, and the grouping of
 * the message list into system blocks and alternating user/assistant turns. Each translator passes
 * the block builders of its own wire format.
 */

/** `n > 1` and legacy function calling have no equivalent; `singleChoice` is the 400 for `n`. */
export function rejectMultipleChoicesAndFunctions(
  request: OpenAIChatCompletionRequest,
  singleChoice: string,
): void {
  if (request.n != null && request.n > 1) throw new UnsupportedParameterError('n', singleChoice);
  if (request.functions || request.function_call) {
    throw new UnsupportedParameterError(
      request.functions ? 'functions' : 'function_call',
      'Legacy function calling is not supported for this model; use tools and tool_choice',
    );
  }
}

/** Builds a wire format's blocks from one OpenAI message (`param` locates it for 400s). */
export interface TurnBuilders<S, B> {
  system(content: string | OpenAITextContentPart[]): S[];
  user(content: string | OpenAIUserContentPart[], param: string): B[];
  assistant(message: OpenAIAssistantMessage, param: string): B[];
  toolResult(message: OpenAIToolMessage): B;
}

export interface ChatTurn<B> {
  role: 'user' | 'assistant';
  content: B[];
}

/**
 * System and developer messages → system blocks; the rest → turns, where consecutive messages of
 * one role merge (tool results count as user content) and empty messages disappear. A request
 * with no turn left is a 400.
 */
export function groupTurns<S, B>(
  request: OpenAIChatCompletionRequest,
  build: TurnBuilders<S, B>,
): { system: S[]; turns: ChatTurn<B>[] } {
  const system: S[] = [];
  const turns: ChatTurn<B>[] = [];
  const append = (role: 'user' | 'assistant', content: B[]): void => {
    if (content.length === 0) return;
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...content);
    else turns.push({ role, content });
  };

  request.messages.forEach((message, i) => {
    const param = `messages[${i}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...build.system(message.content));
        break;
      case 'user':
        append('user', build.user(message.content, param));
        break;
      case 'assistant':
        if (message.function_call) {
          throw new UnsupportedParameterError(
            `${param}.function_call`,
            'Legacy function calls are not supported; use tools',
          );
        }
        append('assistant', build.assistant(message, param));
        break;
      case 'tool':
        append('user', [build.toolResult(message)]);
        break;
      case 'function':
        throw new UnsupportedParameterError(
          `${param}.role`,
          'Legacy function messages are not supported; use tools',
        );
    }
  });

  if (turns.length === 0) {
    throw new TranslationError(
      'invalid_messages',
      'messages must contain at least one non-system message',
      'messages',
    );
  }
  return { system, turns };
}

/** Native APIs want a user turn's tool results before any other content. */
export function toolResultsFirst<B>(blocks: B[], isToolResult: (block: B) => boolean): B[] {
  const results = blocks.filter(isToolResult);
  return results.length === 0 ? blocks : [...results, ...blocks.filter((block) => !isToolResult(block))];
}

/** `stop` as a list without blank entries (native APIs reject whitespace-only stop sequences). */
export function stopSequences(request: OpenAIChatCompletionRequest): string[] {
  const stops = typeof request.stop === 'string' ? [request.stop] : (request.stop ?? []);
  return stops.filter((stop) => stop.trim() !== '');
}

/** An inline PDF (`file_data` data URL); other files and file ids are a 400. */
export function inlinePdf(
  fileData: string | undefined,
  param: string,
): DataUrl & { mediaType: 'application/pdf' } {
  if (!fileData) throw new UnsupportedContentError('Only inline files (file_data) are supported', param);
  const { mediaType, data } = parseDataUrl(fileData, param);
  if (mediaType !== 'application/pdf') {
    throw new UnsupportedContentError(
      `File type ${mediaType} is not supported (only application/pdf)`,
      param,
    );
  }
  return { mediaType, data };
}
