/**
 * OpenAI wire format (Chat Completions, legacy Completions, Embeddings, Models, errors) as plain JSON.
 * This is the gateway's lingua franca: every adapter translates to and from these shapes.
 *
 * Fields marked "extension" are not in OpenAI's API; they are accepted by common OpenAI-compatible
 * servers (vLLM, LiteLLM, DeepSeek) and let the gateway carry information that would otherwise be lost.
 */
import type { JsonSchema } from './json.types';

// ─── Chat Completions: request ────────────────────────────────────────────────────────────────

/**
 * Extension: a prompt-cache breakpoint (Anthropic `cache_control`, Bedrock `cachePoint`) carried on a
 * content part or tool. Set by the `/v1/messages` ingress; strip it for strict OpenAI upstreams.
 */
export interface OpenAICacheControl {
  type: 'ephemeral';
  ttl?: '5m' | '1h';
}

export interface OpenAITextContentPart {
  type: 'text';
  text: string;
  /** Extension, see {@link OpenAICacheControl}. */
  cache_control?: OpenAICacheControl;
}

export interface OpenAIImageContentPart {
  type: 'image_url';
  image_url: {
    /** `https://…` or `data:image/png;base64,…`. */
    url: string;
    detail?: 'auto' | 'low' | 'high';
  };
  /** Extension, see {@link OpenAICacheControl}. */
  cache_control?: OpenAICacheControl;
}

export interface OpenAIInputAudioContentPart {
  type: 'input_audio';
  input_audio: { data: string; format: 'wav' | 'mp3' };
}

export interface OpenAIFileContentPart {
  type: 'file';
  file: {
    /** `data:application/pdf;base64,…`. */
    file_data?: string;
    file_id?: string;
    filename?: string;
  };
}

export interface OpenAIRefusalContentPart {
  type: 'refusal';
  refusal: string;
}

export type OpenAIUserContentPart =
  OpenAITextContentPart | OpenAIImageContentPart | OpenAIInputAudioContentPart | OpenAIFileContentPart;

export type OpenAIAssistantContentPart = OpenAITextContentPart | OpenAIRefusalContentPart;

export interface OpenAIFunctionCall {
  name: string;
  /** A JSON document serialised as a string (may be invalid JSON if the model produced it so). */
  arguments: string;
}

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: OpenAIFunctionCall;
}

export interface OpenAISystemMessage {
  role: 'system';
  content: string | OpenAITextContentPart[];
  name?: string;
}

/** `developer` replaces `system` for reasoning models; gateways treat both alike. */
export interface OpenAIDeveloperMessage {
  role: 'developer';
  content: string | OpenAITextContentPart[];
  name?: string;
}

export interface OpenAIUserMessage {
  role: 'user';
  content: string | OpenAIUserContentPart[];
  name?: string;
}

export interface OpenAIAssistantMessage {
  role: 'assistant';
  content?: string | OpenAIAssistantContentPart[] | null;
  name?: string;
  refusal?: string | null;
  tool_calls?: OpenAIToolCall[];
  /** @deprecated legacy function calling. */
  function_call?: OpenAIFunctionCall | null;
  /** Extension: reasoning text returned earlier by a reasoning model. */
  reasoning_content?: string | null;
}

export interface OpenAIToolMessage {
  role: 'tool';
  content: string | OpenAITextContentPart[];
  tool_call_id: string;
}

/** @deprecated legacy function calling result. */
export interface OpenAIFunctionMessage {
  role: 'function';
  content: string | null;
  name: string;
}

export type OpenAIChatMessage =
  | OpenAISystemMessage
  | OpenAIDeveloperMessage
  | OpenAIUserMessage
  | OpenAIAssistantMessage
  | OpenAIToolMessage
  | OpenAIFunctionMessage;

export type OpenAIChatRole = OpenAIChatMessage['role'];

export interface OpenAIFunctionDefinition {
  name: string;
  description?: string;
  parameters?: JsonSchema;
  strict?: boolean | null;
}

export interface OpenAIFunctionTool {
  type: 'function';
  function: OpenAIFunctionDefinition;
  /** Extension, see {@link OpenAICacheControl}. */
  cache_control?: OpenAICacheControl;
}

export type OpenAITool = OpenAIFunctionTool;

export interface OpenAINamedToolChoice {
  type: 'function';
  function: { name: string };
}

export type OpenAIToolChoice = 'none' | 'auto' | 'required' | OpenAINamedToolChoice;

export type OpenAIResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      json_schema: { name: string; description?: string; schema?: JsonSchema; strict?: boolean | null };
    };

export interface OpenAIStreamOptions {
  include_usage?: boolean;
}

export type OpenAIReasoningEffort = 'minimal' | 'low' | 'medium' | 'high';

export interface OpenAIChatCompletionRequest {
  model: string;
  messages: OpenAIChatMessage[];
  tools?: OpenAITool[];
  tool_choice?: OpenAIToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: OpenAIResponseFormat;
  stream?: boolean | null;
  stream_options?: OpenAIStreamOptions | null;
  /** @deprecated by OpenAI in favour of `max_completion_tokens`, still what most servers accept. */
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  stop?: string | string[] | null;
  temperature?: number | null;
  top_p?: number | null;
  n?: number | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  logit_bias?: Record<string, number> | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  seed?: number | null;
  user?: string;
  reasoning_effort?: OpenAIReasoningEffort | null;
  metadata?: Record<string, string> | null;
  store?: boolean | null;
  service_tier?: string | null;
  /** @deprecated legacy function calling. */
  functions?: OpenAIFunctionDefinition[];
  /** @deprecated legacy function calling. */
  function_call?: 'none' | 'auto' | { name: string };
  /** Extension (vLLM, Anthropic, Bedrock): sample from the k most likely tokens. */
  top_k?: number | null;
  /**
   * Extension: Anthropic extended-thinking config carried through the OpenAI-shaped pipeline
   * (set by the `/v1/messages` ingress; honoured by the Anthropic adapter, ignored elsewhere).
   */
  thinking?: { type: 'enabled'; budget_tokens: number } | { type: 'disabled' } | null;
}

// ─── Chat Completions: response ───────────────────────────────────────────────────────────────

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export interface OpenAIPromptTokensDetails {
  /** Prompt tokens read from the provider's prompt cache (included in `prompt_tokens`). */
  cached_tokens?: number;
  /** Extension: prompt tokens written to the provider's prompt cache (included in `prompt_tokens`). */
  cache_write_tokens?: number;
  audio_tokens?: number;
}

export interface OpenAICompletionTokensDetails {
  reasoning_tokens?: number;
  audio_tokens?: number;
  accepted_prediction_tokens?: number;
  rejected_prediction_tokens?: number;
}

export interface OpenAIUsage {
  /** All input tokens, cached ones included. */
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: OpenAIPromptTokensDetails;
  completion_tokens_details?: OpenAICompletionTokensDetails;
}

export interface OpenAIResponseMessage {
  role: 'assistant';
  content: string | null;
  refusal?: string | null;
  tool_calls?: OpenAIToolCall[];
  /** Extension: reasoning / thinking text (DeepSeek and vLLM name). */
  reasoning_content?: string;
}

export interface OpenAIChatCompletionChoice {
  index: number;
  message: OpenAIResponseMessage;
  finish_reason: OpenAIFinishReason | null;
  logprobs: unknown;
}

export interface OpenAIChatCompletionResponse {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: OpenAIChatCompletionChoice[];
  usage?: OpenAIUsage;
  system_fingerprint?: string | null;
  service_tier?: string | null;
}

// ─── Chat Completions: stream chunks ──────────────────────────────────────────────────────────

/** One tool-call fragment; `index` identifies the call across chunks, `id`/`name` come once. */
export interface OpenAIToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface OpenAIChatCompletionDelta {
  role?: 'assistant';
  content?: string | null;
  refusal?: string | null;
  tool_calls?: OpenAIToolCallDelta[];
  /** Extension: reasoning / thinking text fragment. */
  reasoning_content?: string;
}

export interface OpenAIChatCompletionChunkChoice {
  index: number;
  delta: OpenAIChatCompletionDelta;
  finish_reason: OpenAIFinishReason | null;
  logprobs?: unknown;
}

/**
 * One `data:` line of a chat stream. With `stream_options.include_usage` the last chunk has
 * `choices: []` and `usage` set.
 */
export interface OpenAIChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: OpenAIChatCompletionChunkChoice[];
  usage?: OpenAIUsage | null;
  system_fingerprint?: string | null;
  service_tier?: string | null;
}

// ─── Legacy Completions (incl. fill-in-the-middle) ────────────────────────────────────────────

export interface OpenAICompletionRequest {
  model: string;
  prompt: string | string[] | number[] | number[][];
  /** Fill-in-the-middle: text that comes after the completion. */
  suffix?: string | null;
  max_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  n?: number | null;
  stream?: boolean | null;
  stream_options?: OpenAIStreamOptions | null;
  stop?: string | string[] | null;
  echo?: boolean | null;
  best_of?: number | null;
  logprobs?: number | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  logit_bias?: Record<string, number> | null;
  seed?: number | null;
  user?: string;
}

export interface OpenAICompletionChoice {
  index: number;
  text: string;
  finish_reason: 'stop' | 'length' | 'content_filter' | null;
  logprobs: unknown;
}

/** Both the non-stream body and each stream chunk (`object` is `text_completion` in both). */
export interface OpenAICompletionResponse {
  id: string;
  object: 'text_completion';
  created: number;
  model: string;
  choices: OpenAICompletionChoice[];
  usage?: OpenAIUsage | null;
  system_fingerprint?: string | null;
}

// ─── Embeddings ───────────────────────────────────────────────────────────────────────────────

export type OpenAIEmbeddingInput = string | string[] | number[] | number[][];

export interface OpenAIEmbeddingRequest {
  model: string;
  input: OpenAIEmbeddingInput;
  encoding_format?: 'float' | 'base64';
  dimensions?: number;
  user?: string;
  /**
   * Extension (Cohere): what the vectors are for. Defaults to `search_document` for Cohere models.
   */
  input_type?: 'search_document' | 'search_query' | 'classification' | 'clustering';
}

export interface OpenAIEmbedding {
  object: 'embedding';
  index: number;
  /** Float vector, or little-endian float32 bytes in base64 when `encoding_format` is `base64`. */
  embedding: number[] | string;
}

export interface OpenAIEmbeddingResponse {
  object: 'list';
  data: OpenAIEmbedding[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

// ─── Models ───────────────────────────────────────────────────────────────────────────────────

export interface OpenAIModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

export interface OpenAIModelList {
  object: 'list';
  data: OpenAIModel[];
}

// ─── Errors ───────────────────────────────────────────────────────────────────────────────────

export interface OpenAIErrorObject {
  message: string;
  type: string;
  code: string | null;
  param?: string | null;
}

/** The body of every gateway error response, and of a mid-stream `data:` error line. */
export interface OpenAIErrorBody {
  error: OpenAIErrorObject;
}

/** A translated error together with the HTTP status it should be answered with. */
export interface OpenAIHttpError {
  status: number;
  body: OpenAIErrorBody;
}

/** What an upstream→OpenAI stream translator emits: a chunk, or an error to write as a `data:` line. */
export type OpenAIStreamItem = OpenAIChatCompletionChunk | OpenAIErrorBody;

export function isOpenAIErrorBody(item: unknown): item is OpenAIErrorBody {
  return typeof item === 'object' && item !== null && 'error' in item && !('choices' in item);
}
