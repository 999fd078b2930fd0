/**
 * AWS Bedrock Runtime shapes as plain objects: Converse / ConverseStream and the InvokeModel bodies
 * of the Titan and Cohere embedding models.
 *
 * The Converse shapes are structurally assignable to `@aws-sdk/client-bedrock-runtime`'s
 * `ConverseCommandInput` (checked in bedrock.types.spec.ts), so an adapter can pass them straight to
 * the SDK. Binary fields (`bytes`) are `Uint8Array`, as the SDK expects; the REST JSON wire form of
 * the same field is a base64 string, which the SDK produces.
 */
import type { JsonObject, JsonSchema, JsonValue } from './json.types';

// ─── Converse: content ────────────────────────────────────────────────────────────────────────

export type ConverseRole = 'user' | 'assistant';

export type ConverseImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

export type ConverseDocumentFormat = 'pdf' | 'csv' | 'doc' | 'docx' | 'xls' | 'xlsx' | 'html' | 'txt' | 'md';

export interface ConverseImageBlock {
  format: ConverseImageFormat;
  source: { bytes: Uint8Array };
}

export interface ConverseDocumentBlock {
  format: ConverseDocumentFormat;
  /** Letters, digits, single spaces, hyphens, parentheses and square brackets only. */
  name: string;
  source: { bytes: Uint8Array };
}

export interface ConverseToolUseBlock {
  toolUseId: string;
  name: string;
  input: JsonValue;
}

export type ConverseToolResultContent =
  | { text: string }
  | { json: JsonValue }
  | { image: ConverseImageBlock }
  | { document: ConverseDocumentBlock };

export interface ConverseToolResultBlock {
  toolUseId: string;
  content: ConverseToolResultContent[];
  status?: 'success' | 'error';
}

export type ConverseReasoningBlock =
  { reasoningText: { text: string; signature?: string } } | { redactedContent: Uint8Array };

export type ConverseContentBlock =
  | { text: string }
  | { image: ConverseImageBlock }
  | { document: ConverseDocumentBlock }
  | { toolUse: ConverseToolUseBlock }
  | { toolResult: ConverseToolResultBlock }
  | { reasoningContent: ConverseReasoningBlock }
  | { cachePoint: { type: 'default' } };

export interface ConverseMessage {
  role: ConverseRole;
  content: ConverseContentBlock[];
}

export type ConverseSystemBlock = { text: string } | { cachePoint: { type: 'default' } };

// ─── Converse: request ────────────────────────────────────────────────────────────────────────

export interface ConverseToolSpec {
  name: string;
  description?: string;
  inputSchema: { json: JsonSchema };
}

export type ConverseTool = { toolSpec: ConverseToolSpec } | { cachePoint: { type: 'default' } };

export type ConverseToolChoice =
  { auto: Record<string, never> } | { any: Record<string, never> } | { tool: { name: string } };

export interface ConverseToolConfig {
  tools: ConverseTool[];
  toolChoice?: ConverseToolChoice;
}

export interface ConverseInferenceConfig {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: string[];
}

/** Body of `Converse` and `ConverseStream` (the model id goes in the URL / command input). */
export interface ConverseRequest {
  modelId: string;
  messages: ConverseMessage[];
  system?: ConverseSystemBlock[];
  inferenceConfig?: ConverseInferenceConfig;
  toolConfig?: ConverseToolConfig;
  /** Model-specific fields, e.g. `{ top_k: 40 }` or `{ thinking: {…} }` for Anthropic models. */
  additionalModelRequestFields?: JsonObject;
  additionalModelResponseFieldPaths?: string[];
  /** Key/value tags recorded in Bedrock's invocation logs. */
  requestMetadata?: Record<string, string>;
}

// ─── Converse: response ───────────────────────────────────────────────────────────────────────

export type ConverseStopReason =
  | 'end_turn'
  | 'tool_use'
  | 'max_tokens'
  | 'stop_sequence'
  | 'guardrail_intervened'
  | 'content_filtered'
  | 'malformed_model_output'
  | 'malformed_tool_use'
  | 'model_context_window_exceeded';

/** `inputTokens` excludes the cache tokens; `totalTokens` includes them. */
export interface ConverseTokenUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

export interface ConverseResponse {
  output: { message?: ConverseMessage };
  stopReason: ConverseStopReason;
  usage: ConverseTokenUsage;
  metrics?: { latencyMs: number };
  additionalModelResponseFields?: JsonValue;
}

// ─── ConverseStream events (each event is an object with exactly one key) ─────────────────────

export interface ConverseMessageStartEvent {
  messageStart: { role: ConverseRole };
}

export interface ConverseContentBlockStartEvent {
  contentBlockStart: {
    contentBlockIndex: number;
    start: { toolUse?: { toolUseId: string; name: string } };
  };
}

export interface ConverseContentBlockDelta {
  text?: string;
  /** A fragment of the tool input JSON document. */
  toolUse?: { input: string };
  reasoningContent?: { text?: string; signature?: string; redactedContent?: Uint8Array };
}

export interface ConverseContentBlockDeltaEvent {
  contentBlockDelta: { contentBlockIndex: number; delta: ConverseContentBlockDelta };
}

export interface ConverseContentBlockStopEvent {
  contentBlockStop: { contentBlockIndex: number };
}

export interface ConverseMessageStopEvent {
  messageStop: { stopReason: ConverseStopReason; additionalModelResponseFields?: JsonValue };
}

export interface ConverseMetadataEvent {
  metadata: { usage: ConverseTokenUsage; metrics?: { latencyMs: number } };
}

export interface ConverseStreamExceptionPayload {
  message?: string;
  /** Only on `modelStreamErrorException`. */
  originalStatusCode?: number;
  originalMessage?: string;
}

export type ConverseStreamExceptionName =
  | 'internalServerException'
  | 'modelStreamErrorException'
  | 'validationException'
  | 'throttlingException'
  | 'serviceUnavailableException';

export type ConverseStreamExceptionEvent = {
  [K in ConverseStreamExceptionName]: { [P in K]: ConverseStreamExceptionPayload };
}[ConverseStreamExceptionName];

export type ConverseStreamEvent =
  | ConverseMessageStartEvent
  | ConverseContentBlockStartEvent
  | ConverseContentBlockDeltaEvent
  | ConverseContentBlockStopEvent
  | ConverseMessageStopEvent
  | ConverseMetadataEvent
  | ConverseStreamExceptionEvent;

/** An error thrown by the Bedrock SDK (`name` is the exception class, e.g. `ThrottlingException`). */
export interface BedrockServiceError {
  name: string;
  message: string;
  /** `$metadata.httpStatusCode` of the SDK exception, when known. */
  status?: number;
}

// ─── Embeddings (InvokeModel bodies) ──────────────────────────────────────────────────────────

/** `amazon.titan-embed-text-v2:0` (v1 accepts only `inputText`). One text per call. */
export interface TitanEmbeddingRequest {
  inputText: string;
  dimensions?: 256 | 512 | 1024;
  normalize?: boolean;
}

export interface TitanEmbeddingResponse {
  embedding: number[];
  inputTextTokenCount: number;
}

export type CohereEmbeddingInputType = 'search_document' | 'search_query' | 'classification' | 'clustering';

/** `cohere.embed-english-v3`, `cohere.embed-multilingual-v3`, `cohere.embed-v4:0`. Up to 96 texts. */
export interface CohereEmbeddingRequest {
  texts: string[];
  input_type: CohereEmbeddingInputType;
  truncate?: 'NONE' | 'START' | 'END';
  embedding_types?: ('float' | 'int8' | 'uint8' | 'binary' | 'ubinary')[];
  /** Embed v4 only: 256, 512, 1024 or 1536. */
  output_dimension?: number;
}

export interface CohereEmbeddingResponse {
  id: string;
  response_type?: 'embeddings_floats' | 'embeddings_by_type';
  /** A plain float matrix, or by type when `embedding_types` was sent. */
  embeddings: number[][] | { float?: number[][] };
  texts?: string[];
}
