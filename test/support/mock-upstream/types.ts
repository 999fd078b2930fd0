import type { IncomingHttpHeaders } from 'node:http';

/** The API family a route speaks; decides the shape of answers and errors. */
export type Dialect = 'openai' | 'azure' | 'anthropic' | 'bedrock' | 'ollama';

/** One request the mock received, in arrival order. */
export interface RecordedRequest {
  readonly seq: number;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  // any: recorded bodies are arbitrary JSON that tests inspect freely (body.messages[0].content…).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
  /** The bytes received (undefined without a body): what the gateway really sent. */
  readonly rawBody?: Buffer;
  readonly timestamp: number;
  dialect: Dialect | undefined;
  /** Model id from the body, the Azure deployment or the Bedrock path. */
  model: string | undefined;
  stream: boolean;
  /** HTTP status sent; undefined while nothing was sent (or the connection was reset). */
  status: number | undefined;
  /** The client (the gateway) closed the connection before the response was complete. */
  aborted: boolean;
  /** The response is over: fully sent, failed on purpose, or aborted. */
  done: boolean;
}

export interface ToolCallSpec {
  name: string;
  /** JSON text or an object (serialised); defaults to `{}`. */
  arguments?: string | Record<string, unknown>;
  id?: string;
}

export interface UsageSpec {
  promptTokens?: number;
  completionTokens?: number;
  /** OpenAI `prompt_tokens_details.cached_tokens`. */
  cachedTokens?: number;
  /** Anthropic `cache_creation_input_tokens` / Bedrock `cacheWriteInputTokens`. */
  cacheCreationTokens?: number;
  /** Anthropic `cache_read_input_tokens` / Bedrock `cacheReadInputTokens`. */
  cacheReadTokens?: number;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/** How a streamed answer is delivered (ignored for non-stream requests). */
export interface StreamBehaviour {
  /** Delay before the first chunk (headers are flushed first). */
  firstChunkDelayMs?: number;
  /** Delay between chunks: a slow stream. */
  chunkDelayMs?: number;
  /** Characters of text (or tool arguments) per delta chunk; default 10. */
  chunkChars?: number;
  /** Stop after this many frames (SSE events / event-stream messages) were written. */
  failAfterChunks?: number;
  /** What happens at `failAfterChunks`: destroy the socket (default), send an error event, or stall. */
  failWith?: 'reset' | 'error' | 'hang';
}

interface ReplyBase {
  /** Latency before the answer starts (the status line is not sent before it ends). */
  delayMs?: number;
}

/** Literal HTTP answer: JSON (or text) body as given. */
export interface RawReply extends ReplyBase {
  kind?: 'raw';
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A model answer rendered in the dialect of the route (chat, completions, messages, converse…). */
export interface AnswerReply extends ReplyBase {
  kind: 'answer';
  text?: string;
  toolCalls?: ToolCallSpec[];
  finishReason?: FinishReason;
  usage?: UsageSpec;
  /** Model id echoed in the answer (default: the requested one). */
  model?: string;
  stream?: StreamBehaviour;
}

/** An error in the dialect of the route (OpenAI `{error:{…}}`, Anthropic `{type:'error'…}`, AWS exception). */
export interface ErrorReply extends ReplyBase {
  kind: 'error';
  status: number;
  message?: string;
  /** OpenAI `error.type`, Anthropic `error.type`, Bedrock exception name. */
  type?: string;
  code?: string | null;
  /** Seconds; sets `Retry-After`. */
  retryAfter?: number;
  headers?: Record<string, string>;
}

export interface RateLimitReply extends ReplyBase {
  kind: 'rateLimit';
  /** Seconds for `Retry-After` (default 1). */
  retryAfter?: number;
  /** Also send `retry-after-ms` (honoured by the OpenAI SDK). */
  retryAfterMs?: number;
  message?: string;
}

/** The provider's "prompt too long" error (OpenAI `context_length_exceeded`, Anthropic, Bedrock). */
export interface ContextOverflowReply extends ReplyBase {
  kind: 'contextOverflow';
  /** The model's window named in the message (default 8192). */
  contextWindow?: number;
  /** Tokens the request "resulted in" (default: the estimate, at least window + 808). */
  promptTokens?: number;
}

/** Destroy the connection without answering (ECONNRESET on the client). */
export interface ResetReply extends ReplyBase {
  kind: 'reset';
}

/** Never answer; the request stays open until the client gives up. */
export interface HangReply extends ReplyBase {
  kind: 'hang';
}

export type MockReply =
  RawReply | AnswerReply | ErrorReply | RateLimitReply | ContextOverflowReply | ResetReply | HangReply;

export interface MockRule {
  method?: string;
  /** Exact path (without query) or a regex tested against it. */
  path?: string | RegExp;
  /** Exact model id or a regex; the model comes from the body, the Azure deployment or the Bedrock path. */
  model?: string | RegExp;
  match?: (req: RecordedRequest) => boolean;
  /** Use this rule this many times, then ignore it (default: forever). */
  times?: number;
  reply: MockReply;
}

/** A scripted rule as stored: `hits` counts the requests it answered. */
export interface ScriptedRule {
  readonly rule: MockRule;
  readonly hits: number;
  /** Uses left, or undefined when unlimited. */
  readonly remaining: number | undefined;
}

export interface AzureDeployment {
  id: string;
  model: string;
}

export interface MockUpstreamOptions {
  port?: number;
  host?: string;
  /** When set, requests must carry this key (Bearer / api-key / x-api-key); Bedrock needs a SigV4 header. */
  requireKey?: string;
  /** Model ids for `/v1/models` (OpenAI and Anthropic shapes) and Ollama `/api/tags`. */
  models?: string[];
  /** Azure deployments for `GET /openai/deployments`. */
  deployments?: AzureDeployment[];
  /** Bedrock model ids for `GET /foundation-models`. */
  bedrockModels?: string[];
  /** Default embedding size when the request has no `dimensions` (default 64). */
  embeddingDimensions?: number;
  /** Keep at least the last N requests (default 10 000; 0 = record nothing). */
  recordLimit?: number;
}

export interface MockUpstream {
  readonly url: string;
  readonly port: number;
  /** Recorded requests, oldest first. */
  readonly requests: readonly RecordedRequest[];
  script(rule: MockRule): ScriptedRule;
  /** Forget scripted rules, recorded requests and prompt-cache state. */
  reset(): void;
  /** Resolves with the requests once at least `n` arrived (rejects after `timeoutMs`). */
  waitForRequests(n: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Resolves once `predicate` holds (checked on every request, completion and abort). */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}
