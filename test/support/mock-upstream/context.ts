import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants } from 'node:http2';

import type { Answer, RequestInfo } from './answer';
import type { HttpAnswer } from './errors';
import type { ListBodies } from './lists';
import type { Dialect, MockUpstreamOptions, RecordedRequest, StreamBehaviour } from './types';

const { NGHTTP2_INTERNAL_ERROR } = constants;
const RESET_GRACE_MS = 25;

/** Settings and per-instance state shared by all handlers. */
export interface MockState {
  readonly options: Required<Omit<MockUpstreamOptions, 'port' | 'host' | 'requireKey'>> & {
    requireKey: string | undefined;
  };
  /** Prompt-cache prefixes already "written" (Anthropic / Bedrock cache accounting). */
  readonly cachedPrefixes: Set<string>;
  /** Precomputed bodies for list endpoints. */
  readonly lists: Readonly<ListBodies>;
  readonly created: number;
}

/** One request being answered. */
export interface MockContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly record: RecordedRequest;
  // any: request bodies are arbitrary JSON; each handler reads the fields of its API defensively.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
  readonly params: readonly string[];
  readonly query: Readonly<Record<string, string>>;
  readonly state: MockState;
  /** The connection is gone (client abort, reset on purpose, or shutdown). */
  closed: boolean;
}

export interface RouteDef {
  readonly method: 'GET' | 'POST';
  /** Exact path, or a regex whose groups become `params`. */
  readonly path: string | RegExp;
  readonly dialect: Dialect;
  /** Extra condition on the request (e.g. Anthropic's `/v1/models` is told apart by its headers). */
  readonly when?: (req: IncomingMessage) => boolean;
  /** Generation routes: validate the body (an error answer) or describe it. */
  readonly inspect?: (ctx: MockContext) => RequestInfo | HttpAnswer;
  readonly respond: (
    ctx: MockContext,
    answer: Answer | undefined,
    info: RequestInfo | undefined,
  ) => void | Promise<void>;
}

export function isHttpAnswer(value: RequestInfo | HttpAnswer): value is HttpAnswer {
  return 'status' in value;
}

export function send(ctx: MockContext, answer: HttpAnswer): void {
  if (ctx.closed) return;
  ctx.record.status = answer.status;
  ctx.res.setHeader('content-length', Buffer.byteLength(answer.body));
  ctx.res.writeHead(answer.status, answer.headers);
  ctx.res.end(answer.body);
}

const JSON_HEADERS = { 'content-type': 'application/json' };

export function sendJson(ctx: MockContext, status: number, body: unknown): void {
  send(ctx, { status, headers: JSON_HEADERS, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** Waits `ms`, or less when the connection closes meanwhile. */
export function sleep(ctx: MockContext, ms: number): Promise<void> {
  if (ms <= 0 || ctx.closed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      ctx.res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    ctx.res.once('close', done);
  });
}

/** Destroys the connection on purpose (not counted as a client abort). */
export function resetConnection(ctx: MockContext): void {
  ctx.record.done = true;
  ctx.closed = true;
  // HTTP/2: reset only this stream (RST_STREAM), not the session the client shares between requests.
  const h2stream = (ctx.res as unknown as { stream?: { close(code: number): void } }).stream;
  if (h2stream) h2stream.close(NGHTTP2_INTERNAL_ERROR);
  else ctx.req.socket.destroy();
}

/**
 * Writes a streamed body frame by frame, honouring delays and scripted mid-stream failures.
 * Without delays or failures everything goes out in one write (the benchmark's fast path).
 */
export async function writeStream(
  ctx: MockContext,
  contentType: string,
  frames: string[] | Buffer[],
  behaviour: StreamBehaviour,
  errorFrame: () => string | Buffer,
): Promise<void> {
  if (ctx.closed) return;
  const { res } = ctx;
  ctx.record.status = 200;
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-cache' });
  const failAt = behaviour.failAfterChunks;
  const delay = behaviour.chunkDelayMs ?? 0;
  const first = behaviour.firstChunkDelayMs ?? 0;
  if (failAt === undefined && delay <= 0 && first <= 0) {
    res.end(joinFrames(frames));
    return;
  }
  res.flushHeaders();
  await sleep(ctx, first);
  for (let i = 0; i < frames.length; i++) {
    if (ctx.closed) return;
    if (i === failAt) {
      failStream(ctx, behaviour.failWith ?? 'reset', errorFrame);
      return;
    }
    if (i > 0) await sleep(ctx, delay);
    if (ctx.closed) return;
    res.write(frames[i]);
  }
  if (failAt !== undefined && failAt >= frames.length) {
    failStream(ctx, behaviour.failWith ?? 'reset', errorFrame);
    return;
  }
  res.end();
}

function failStream(
  ctx: MockContext,
  how: 'reset' | 'error' | 'hang',
  errorFrame: () => string | Buffer,
): void {
  switch (how) {
    case 'reset':
      // Give the frames already written time to reach the client before the connection dies.
      void sleep(ctx, RESET_GRACE_MS).then(() => resetConnection(ctx));
      return;
    case 'error':
      ctx.res.end(errorFrame());
      return;
    case 'hang':
      return;
  }
}

function joinFrames(frames: string[] | Buffer[]): string | Buffer {
  if (frames.length === 0) return '';
  return typeof frames[0] === 'string' ? (frames as string[]).join('') : Buffer.concat(frames as Buffer[]);
}

export function sseFrame(data: unknown, event?: string): string {
  const json = typeof data === 'string' ? data : JSON.stringify(data);
  return event === undefined ? `data: ${json}\n\n` : `event: ${event}\ndata: ${json}\n\n`;
}

export const SSE_TYPE = 'text/event-stream';
