import type { GatewayHttpError } from '../../../core/http/gateway-http.error';
import type { GatewayIngress, IngressStreamProcessor } from '../ingress/gateway-ingress';
import type { GatewayContext } from '../pipeline/gateway-context';
import { errorEvent, type SseProcessor } from '../streaming/sse-processor';

/** Recorded as the request's endpoint, so playground requests are told apart in the log and metrics. */
export const PLAYGROUND_ENDPOINT = 'playground';

/** The `event: prism` that ends a playground stream: what served the answer and why. */
export interface PlaygroundSummary {
  requestId: string;
  /** The deployment that answered (last successful attempt). */
  model: string | null;
  provider: string | null;
  routing: {
    category: string | null;
    tier: string | null;
    confidence: number | null;
    reason: string;
    overrides: string[];
    routingMs: number;
    traceId: string;
  } | null;
  contextFallback: GatewayContext['contextFallback'] | null;
  attempts: { provider: string; model: string; outcome: string; status?: number; ms: number }[];
  /** Gateway time from arrival to the end of the stream. */
  totalMs: number;
}

const DONE = 'data: [DONE]\n\n';

export function playgroundSummary(ctx: GatewayContext): PlaygroundSummary {
  const served = [...ctx.attempts].reverse().find((a) => a.outcome === 'ok');
  const route = ctx.route;
  return {
    requestId: ctx.requestId,
    model: served?.model ?? null,
    provider: served?.provider ?? null,
    routing: route
      ? {
          category: route.category,
          tier: route.tier,
          confidence: route.confidence,
          reason: route.reason,
          overrides: route.overrides,
          routingMs: Math.round(route.routingMs * 100) / 100,
          traceId: route.traceId ?? ctx.requestId,
        }
      : null,
    contextFallback: ctx.contextFallback ?? null,
    attempts: ctx.attempts.map((a) => ({ ...a, ms: Math.round(a.ms * 100) / 100 })),
    totalMs: Math.round((performance.now() - ctx.startedAt) * 100) / 100,
  };
}

/**
 * The console playground in front of the gateway pipeline. Bodies are OpenAI chat bodies already
 * validated by the admin DTO, and answers pass through as OpenAI's (chunks, `cost_info` in the
 * usage chunk); a stream gets one extra `event: prism` with {@link PlaygroundSummary} before
 * `[DONE]`, and errors use the admin API's shape, since the console is the only client.
 */
export class PlaygroundIngress implements GatewayIngress {
  readonly endpoint = PLAYGROUND_ENDPOINT;

  /** The body was validated by the admin DTO. */
  prepare(raw: unknown): { body: Record<string, unknown> } {
    return { body: raw as Record<string, unknown> };
  }

  renderJson(body: Record<string, unknown>): unknown {
    return body;
  }

  readonly answersAsIs = true;

  wrapStream(processor: SseProcessor, ctx: GatewayContext): IngressStreamProcessor {
    return {
      push: (chunk) => processor.push(chunk),
      finish: (estimate) => {
        const rest = processor.finish(estimate);
        const summary = `event: prism\ndata: ${JSON.stringify(playgroundSummary(ctx))}\n\n`;
        return rest.endsWith(DONE) ? rest.slice(0, -DONE.length) + summary + DONE : rest + summary;
      },
      get usage() {
        return processor.usage;
      },
      get upstreamError() {
        return processor.upstreamError;
      },
      estimatedCompletionTokens: () => processor.estimatedCompletionTokens(),
    };
  }

  streamError(message: string): string {
    return errorEvent(message);
  }

  errorResponse(error: GatewayHttpError): { status: number; body: unknown } {
    return {
      status: error.status,
      body: { statusCode: error.status, error: error.type, code: error.code, message: error.message },
    };
  }
}
