import type { RawJsonDialect } from '../../../common/json/raw-json-body';
import type { GatewayHttpError } from '../../../core/http/gateway-http.error';
import type { UpstreamUsage } from '../../providers/adapters/provider-adapter';
import type { GatewayContext } from '../pipeline/gateway-context';
import type { SseProcessor } from '../streaming/sse-processor';

/** What the service reads from a stream processor; {@link SseProcessor} is the OpenAI one. */
export interface IngressStreamProcessor {
  /** Client bytes for this upstream chunk (possibly empty). */
  push(chunk: Uint8Array): string;
  /** The rest after the upstream ended normally. */
  finish(estimate: () => UpstreamUsage): string;
  readonly usage: UpstreamUsage | undefined;
  readonly upstreamError: string | undefined;
  estimatedCompletionTokens(): number;
}

/**
 * A client protocol other than OpenAI's in front of the same pipeline (e.g. Anthropic Messages on
 * `/v1/messages`). The pipeline always works on an OpenAI chat body; the ingress translates the
 * request in, and the answers, streams and errors out. Requests without an ingress (the OpenAI
 * routes) never touch any of this.
 */
export interface GatewayIngress {
  /** The `endpoint` recorded in analytics and metrics (e.g. `messages`). */
  readonly endpoint: string;
  /** The client's wire format, when an adapter can forward the client's bytes (issue 18). */
  readonly rawDialect?: RawJsonDialect;
  /**
   * Validates the client's body and translates it to an OpenAI chat body. On invalid input, `error`
   * is set and `body` holds what could be read (`model`, `stream`) so the refusal is still recorded.
   */
  prepare(raw: unknown): { body: Record<string, unknown>; error?: GatewayHttpError };
  /** The (enriched) OpenAI chat completion in the client's format. */
  renderJson(body: Record<string, unknown>, usage: { input: number; output: number }): unknown;
  /** Wraps the OpenAI SSE processor so the client gets its own event stream. */
  wrapStream(processor: SseProcessor, ctx: GatewayContext): IngressStreamProcessor;
  /** The last event of a stream that broke after the first byte. */
  streamError(message: string): string;
  /** Status and body of an error answer in the client's format. */
  errorResponse(error: GatewayHttpError): { status: number; body: unknown };
}
