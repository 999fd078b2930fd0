import type { RawJsonDialect } from '../../../common/json/raw-json-body';
import type { GatewayHttpError } from '../../../core/http/gateway-http.error';
import type { UpstreamUsage } from '../../providers/adapters/provider-adapter';
import type { GatewayContext, GatewayEndpoint } from '../pipeline/gateway-context';
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
 * A client protocol in front of the pipeline: OpenAI's own (`openai.ingress.ts`), Anthropic
 * Messages on `/v1/messages`, the console playground. The pipeline always works on an OpenAI body;
 * the ingress reads the request in, and renders the answers, streams and errors out, so the
 * pipeline never asks which protocol the client speaks. Ingresses are stateless singletons: they
 * add no per-request allocation beyond the work their protocol needs.
 */
export interface GatewayIngress {
  /** The `endpoint` recorded in analytics and metrics (e.g. `messages`); default: the route's. */
  readonly endpoint?: string;
  /** The client's wire format, when an adapter can forward the client's bytes (issue 18). */
  readonly rawDialect?: RawJsonDialect;
  /**
   * Validates the client's body and gives the OpenAI body the pipeline runs on. Never throws: on
   * invalid input, `error` is set (raised after the access stages, so a bad key still answers 401)
   * and `body` holds what could be read (`model`, `stream`) so the refusal is still recorded.
   */
  prepare(
    raw: unknown,
    endpoint: GatewayEndpoint,
  ): { body: Record<string, unknown>; error?: GatewayHttpError };
  /** The (enriched) OpenAI answer in the client's format. */
  renderJson(body: Record<string, unknown>, usage: { input: number; output: number }): unknown;
  /**
   * `renderJson` gives the OpenAI answer itself: the gateway may then send the upstream's own JSON
   * text with its members appended (`ResponseEnricher.enrichText`) instead of rendering the answer
   * and serialising it again.
   */
  readonly answersAsIs?: boolean;
  /** The processor whose output the client gets, around the OpenAI SSE processor. */
  wrapStream(processor: SseProcessor, ctx: GatewayContext): IngressStreamProcessor;
  /** The last event of a stream that broke after the first byte. */
  streamError(message: string): string;
  /** Status and body of an error answer in the client's format. */
  errorResponse(error: GatewayHttpError): { status: number; body: unknown };
}

/** A gateway route's protocol and pipeline endpoint (one constant per route, never per request). */
export interface IngressRoute {
  readonly endpoint: GatewayEndpoint;
  readonly ingress: GatewayIngress;
}
