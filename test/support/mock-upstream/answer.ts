import { estimateTokens } from './text';
import type { AnswerReply, FinishReason, StreamBehaviour } from './types';

export interface ToolDecl {
  name: string;
  /** JSON schema of the arguments. */
  parameters?: unknown;
}

/** A prompt-cache breakpoint: tokens before it and a key for "seen this prefix before". */
export interface CachePrefix {
  key: string;
  tokens: number;
}

/** What a generation route extracted from its request body, dialect-independent. */
export interface RequestInfo {
  model: string | undefined;
  stream: boolean;
  includeUsage: boolean;
  promptTokens: number;
  maxTokens: number | undefined;
  /** The unscripted reply text (derived from the last user message). */
  defaultText: string;
  tools: ToolDecl[];
  cachePrefix?: CachePrefix;
}

export interface AnswerToolCall {
  id: string | undefined;
  name: string;
  arguments: string;
}

/** A model answer before it is rendered in a dialect. */
export interface Answer {
  model: string;
  text: string;
  toolCalls: AnswerToolCall[];
  finishReason: FinishReason;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  stream: StreamBehaviour;
}

const NO_STREAM_BEHAVIOUR: StreamBehaviour = {};

export interface AnswerInputs {
  info: RequestInfo;
  reply: AnswerReply | undefined;
  /** Magic-model tool calls, used when the script did not say. */
  magicToolCalls?: AnswerToolCall[];
  magicStream?: StreamBehaviour;
  cache?: { creation: number; read: number };
}

export function buildAnswer({ info, reply, magicToolCalls, magicStream, cache }: AnswerInputs): Answer {
  const toolCalls = reply?.toolCalls?.map(toAnswerToolCall) ?? magicToolCalls ?? [];
  let body = reply?.text ?? (toolCalls.length > 0 ? '' : info.defaultText);
  let finishReason: FinishReason = toolCalls.length > 0 ? 'tool_calls' : 'stop';
  const max = info.maxTokens;
  if (reply?.text === undefined && toolCalls.length === 0 && max !== undefined && max > 0) {
    if (estimateTokens(body.length) > max) {
      body = body.slice(0, max * 4);
      finishReason = 'length';
    }
  }
  const argsChars = toolCalls.reduce((n, c) => n + c.name.length + c.arguments.length, 0);
  const usage = reply?.usage;
  return {
    model: reply?.model ?? info.model ?? 'mock-model',
    text: body,
    toolCalls,
    finishReason: reply?.finishReason ?? finishReason,
    promptTokens: usage?.promptTokens ?? info.promptTokens,
    completionTokens: usage?.completionTokens ?? Math.max(1, estimateTokens(body.length + argsChars)),
    cachedTokens: usage?.cachedTokens ?? cache?.read ?? 0,
    cacheCreationTokens: usage?.cacheCreationTokens ?? cache?.creation ?? 0,
    cacheReadTokens: usage?.cacheReadTokens ?? cache?.read ?? 0,
    stream: reply?.stream ?? magicStream ?? NO_STREAM_BEHAVIOUR,
  };
}

function toAnswerToolCall(spec: NonNullable<AnswerReply['toolCalls']>[number]): AnswerToolCall {
  const args = spec.arguments ?? {};
  return { id: spec.id, name: spec.name, arguments: typeof args === 'string' ? args : JSON.stringify(args) };
}

/** Tool calls a "tool-call" magic model makes: plausible arguments from each declared schema. */
export function toolCallsFromDeclared(tools: ToolDecl[], parallel: boolean): AnswerToolCall[] {
  const chosen = parallel ? tools.slice(0, 3) : tools.slice(0, 1);
  return chosen.map((tool) => ({
    id: undefined,
    name: tool.name,
    arguments: JSON.stringify(argumentsFromSchema(tool.parameters)),
  }));
}

function argumentsFromSchema(schema: unknown): Record<string, unknown> {
  if (!schema || typeof schema !== 'object') return {};
  const { properties, required } = schema as { properties?: Record<string, unknown>; required?: unknown };
  if (!properties || typeof properties !== 'object') return {};
  const names =
    Array.isArray(required) && required.length > 0 ? (required as string[]) : Object.keys(properties);
  const out: Record<string, unknown> = {};
  for (const name of names) out[name] = sampleValue(properties[name]);
  return out;
}

function sampleValue(schema: unknown): unknown {
  const s = (schema ?? {}) as { type?: unknown; enum?: unknown[] };
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  switch (s.type) {
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return argumentsFromSchema(schema);
    default:
      return 'mock';
  }
}

/** Id for the i-th tool call of a request, with the dialect's prefix. */
export function toolCallId(call: AnswerToolCall, prefix: string, seq: number, index: number): string {
  return call.id ?? `${prefix}${seq.toString(36)}x${index}`;
}
