import type { OpenAIRequestBody, UpstreamStream } from '../provider-adapter';
import type { UpstreamBody } from './upstream-http';

/**
 * Streaming helpers of the adapters whose upstream speaks OpenAI's own format (OpenAI-compatible
 * servers and Azure OpenAI): ask for the final usage chunk, and hand the SSE bytes through.
 */

/** Asks for the usage chunk at the end of the stream (kept if the client already asked). */
export function withStreamUsage(body: OpenAIRequestBody): OpenAIRequestBody {
  const existing = body.stream_options;
  // Already as needed: the same object, so the client's bytes can go out unchanged.
  if (body.stream === true && (existing as { include_usage?: unknown } | undefined)?.include_usage === true)
    return body;
  const options = existing && typeof existing === 'object' ? (existing as Record<string, unknown>) : {};
  return { ...body, stream: true, stream_options: { ...options, include_usage: true } };
}

/** The upstream's SSE bytes, untouched; a server that ignored `stream: true` has its JSON re-framed as one chunk. */
export async function passThrough(response: UpstreamBody): Promise<UpstreamStream> {
  if (!response.contentType.includes('application/json')) {
    return { status: response.status, headers: response.headers, body: response.body, abort: response.abort };
  }
  const parsed = await response.json();
  return {
    status: response.status,
    headers: response.headers,
    body: jsonAsSse(parsed),
    abort: () => undefined,
  };
}

async function* jsonAsSse(parsed: unknown): AsyncGenerator<Uint8Array> {
  yield Buffer.from(`data: ${JSON.stringify(completionAsChunk(parsed))}\n\ndata: [DONE]\n\n`);
}

/** A whole chat completion as one `chat.completion.chunk` (message → delta, usage kept). */
export function completionAsChunk(parsed: unknown): unknown {
  if (!parsed || typeof parsed !== 'object') return parsed;
  const body = parsed as Record<string, unknown>;
  if (body.object !== 'chat.completion' || !Array.isArray(body.choices)) return parsed;
  const choices = (body.choices as Record<string, unknown>[]).map((choice) => {
    const message = (choice.message ?? {}) as Record<string, unknown>;
    const delta: Record<string, unknown> = { ...message };
    if (Array.isArray(message.tool_calls)) {
      delta.tool_calls = (message.tool_calls as Record<string, unknown>[]).map((call, index) => ({
        index,
        ...call,
      }));
    }
    return { index: choice.index ?? 0, delta, finish_reason: choice.finish_reason ?? null };
  });
  return { ...body, object: 'chat.completion.chunk', choices };
}
