import {
  type ProviderAdapter,
  type ProviderConnection,
  type OpenAIRequestBody,
  type UpstreamCallOptions,
  UpstreamError,
  type UpstreamStream,
} from '../../providers/adapters/provider-adapter';
import type { FastCounter } from '../../system/fast-counter';
import type { CostInfo } from '../cost/cost-calculator';
import type { CircuitBreakers } from '../dispatch/circuit-breaker';
import type { ClientAbort } from '../dispatch/client-abort';
import { ClientAbortedError, type DispatchResult } from '../dispatch/resilient-dispatcher';
import type { GatewayHttpReply } from '../gateway-http';
import type { GatewayContext } from '../pipeline/gateway-context';
import { SseProcessor } from '../streaming/sse-processor';
import type { Outcome } from './gateway-outcome';
import { write } from './reply-writers';
import { type ResponseEnricher, usageFrom } from './response-enricher';

/** An upstream stream whose first chunk already arrived (so the dispatcher could still retry before). */
export interface OpenedStream {
  stream: UpstreamStream;
  iterator: AsyncIterator<Uint8Array>;
  first: Uint8Array;
}

/**
 * Opens a streamed call and waits for its first chunk: nothing reached the client yet, so a failure
 * here may still be retried elsewhere by the dispatcher.
 */
export async function openStream(
  endpoint: GatewayContext['endpoint'],
  adapter: ProviderAdapter,
  provider: ProviderConnection,
  body: OpenAIRequestBody,
  opts: UpstreamCallOptions,
): Promise<OpenedStream> {
  const stream =
    endpoint === 'chat'
      ? await adapter.chatStream(provider, body, opts)
      : await adapter.completionsStream(provider, body, opts);
  const iterator = stream.body[Symbol.asyncIterator]();
  let first: IteratorResult<Uint8Array>;
  try {
    first = await iterator.next();
  } catch (error) {
    stream.abort();
    throw error;
  }
  if (first.done) {
    stream.abort();
    throw new UpstreamError('server', `Provider '${provider.slug}' ended the stream without data`);
  }
  return { stream, iterator, first: first.value };
}

/**
 * Relays an opened upstream stream to the client with back-pressure, through the ingress's
 * processor (the OpenAI one is the SSE processor itself): usage is taken from (or added to) the stream,
 * the cost goes into the final usage chunk and the `x-prism-cost-usd` trailer, and a stream that
 * breaks after the first byte ends with an error event.
 */
export class StreamRelay {
  constructor(
    private readonly enricher: ResponseEnricher,
    private readonly breakers: CircuitBreakers,
    private readonly upstreamErrors: FastCounter<'provider' | 'kind'>,
  ) {}

  async relay(
    ctx: GatewayContext,
    reply: GatewayHttpReply,
    abort: ClientAbort,
    result: DispatchResult<OpenedStream>,
  ): Promise<Outcome> {
    const { stream, iterator, first } = result.value;
    const deployment = result.target.deployment;
    let cost: CostInfo | undefined;
    const streamOptions = ctx.body.stream_options as { include_usage?: unknown } | undefined;
    const sse = new SseProcessor({
      clientWantsUsage: streamOptions?.include_usage === true,
      decorateUsage: (usage) => {
        cost = this.enricher.costOf(
          ctx,
          deployment,
          usageFrom(usage, ctx, () => 0),
        );
        return { cost_info: cost };
      },
    });
    const processor = ctx.ingress.wrapStream(sse, ctx);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': ctx.requestId,
      trailer: 'x-prism-cost-usd',
      ...this.enricher.headers(ctx, result, undefined),
    });
    let ttftMs: number | undefined;
    let failure: string | undefined;
    const relayStarted = performance.now();
    try {
      const firstText = processor.push(first);
      if (firstText) {
        await write(raw, firstText, abort);
        ttftMs = performance.now() - ctx.startedAt;
      }
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        const text = processor.push(next.value);
        if (!text) continue;
        if (ttftMs === undefined) ttftMs = performance.now() - ctx.startedAt;
        await write(raw, text, abort);
      }
    } catch (error) {
      stream.abort();
      if (abort.aborted || error instanceof ClientAbortedError) failure = 'aborted';
      else failure = error instanceof Error ? error.message : String(error);
    }
    const usage = usageFrom(processor.usage, ctx, () => processor.estimatedCompletionTokens());
    cost ??= this.enricher.costOf(ctx, deployment, usage);
    // After the first chunk the gateway only relays: the rest of the stream's time is the upstream's.
    const upstreamMs = result.upstreamMs + (performance.now() - relayStarted);
    const base = { target: result.target, attempts: result.attempts, upstreamMs, ttftMs, usage, cost };
    if (failure === 'aborted') {
      raw.destroy();
      return {
        ...base,
        status: 'aborted',
        httpStatus: 499,
        errorType: 'client_closed',
        errorMessage: 'Client closed the stream',
      };
    }
    if (failure !== undefined) {
      this.upstreamErrors.inc({ provider: result.target.provider.slug, kind: 'stream_interrupted' });
      this.breakers.failure(result.target.key, 'call');
      const message = `The upstream stream failed: ${failure}`;
      raw.end(ctx.ingress.streamError(message));
      return {
        ...base,
        status: 'error',
        httpStatus: 200,
        errorType: 'upstream_error',
        errorCode: 'stream_interrupted',
        errorMessage: failure,
      };
    }
    const tail = processor.finish(() => ({
      prompt_tokens: usage.input,
      completion_tokens: usage.output,
      total_tokens: usage.input + usage.output,
    }));
    raw.addTrailers({ 'x-prism-cost-usd': String(cost.cost_usd) });
    raw.end(tail);
    if (processor.upstreamError) {
      return {
        ...base,
        status: 'error',
        httpStatus: 200,
        errorType: 'upstream_error',
        errorCode: 'upstream_stream_error',
        errorMessage: processor.upstreamError,
      };
    }
    return { ...base, status: 'success', httpStatus: 200 };
  }
}
