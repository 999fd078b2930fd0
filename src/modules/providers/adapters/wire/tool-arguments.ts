import type { JsonObject, JsonValue } from './json.types';

/**
 * OpenAI carries tool arguments as a JSON string; Anthropic and Bedrock want an object. A model can
 * produce invalid or truncated JSON (e.g. cut by max_tokens) that the client then sends back in the
 * history: rather than failing every later turn of the conversation, such arguments become `{}`.
 */
export function parseToolArguments(args: string | undefined | null): JsonObject {
  if (!args || args.trim() === '') return {};
  try {
    const value = JSON.parse(args) as JsonValue;
    return isJsonObject(value) ? value : {};
  } catch {
    return {};
  }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The argument string for a tool input (always an object for OpenAI clients). */
export function stringifyToolInput(input: unknown): string {
  return JSON.stringify(input ?? {});
}
