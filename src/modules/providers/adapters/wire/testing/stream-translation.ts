import { OpenAIStreamAccumulator } from '../openai-stream.accumulator';
import { type OpenAIChatCompletionChunk, type OpenAIStreamItem, isOpenAIErrorBody } from '../openai.types';

/**
 * Spec helpers shared by the stream translators towards OpenAI (Anthropic, Bedrock Converse): run
 * a translator over a list of upstream events, assemble its output, check the role chunk.
 */

export interface EventTranslator<E> {
  push(event: E): OpenAIStreamItem[];
  end(): OpenAIStreamItem[];
}

/** Every item the translator emits for the events, `end()` included. */
export function runTranslator<E>(translator: EventTranslator<E>, events: readonly E[]): OpenAIStreamItem[] {
  return [...events.flatMap((event) => translator.push(event)), ...translator.end()];
}

export function accumulate(items: readonly OpenAIStreamItem[]): OpenAIStreamAccumulator {
  const accumulator = new OpenAIStreamAccumulator();
  items.forEach((item) => accumulator.push(item));
  return accumulator;
}

/** Per chunk (errors left out): does it carry `delta.role`? A well-formed stream: the first only. */
export function roleFlags(items: readonly OpenAIStreamItem[]): boolean[] {
  return items
    .filter((item): item is OpenAIChatCompletionChunk => !isOpenAIErrorBody(item))
    .map((chunk) => chunk.choices[0]?.delta.role !== undefined);
}
