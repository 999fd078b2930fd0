/** One request, start to end: read, record, authorise, pick a reply (script → magic → default), answer. */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

import { buildAnswer, type RequestInfo, toolCallsFromDeclared } from './answer';
import { isHttpAnswer, type MockContext, type MockState, resetConnection, send, sleep } from './context';
import {
  authError,
  contextOverflowError,
  type HttpAnswer,
  maxOutputError,
  renderError,
  validationError,
} from './errors';
import { magicFor, type MagicBehaviour } from './magic';
import type { Recorder } from './recorder';
import { findRoute, type RouteMatch } from './routes';
import type { RuleStore } from './scripting';
import type { Dialect, MockReply, RecordedRequest } from './types';

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const EMPTY_QUERY: Record<string, string> = Object.freeze({});
const DEFAULT_OVERFLOW_WINDOW = 8192;

export interface PipelineDeps {
  state: MockState;
  rules: RuleStore;
  recorder: Recorder;
  /** Control endpoints under `/__mock/` (handled before anything else). */
  control: (ctx: MockContext) => void;
  isClosing: () => boolean;
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined)
    return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk);
  }
  if (chunks.length === 0) return undefined;
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

interface ParsedBody {
  value: unknown;
  invalidJson: boolean;
}

function parseBody(raw: Buffer | undefined): ParsedBody {
  if (!raw || raw.length === 0) return { value: undefined, invalidJson: false };
  const text = raw.toString('utf8');
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return { value: text, invalidJson: false };
  try {
    return { value: JSON.parse(text) as unknown, invalidJson: false };
  } catch {
    return { value: text, invalidJson: true };
  }
}

function parseQuery(url: string, q: number): Record<string, string> {
  if (q < 0) return EMPTY_QUERY;
  return Object.fromEntries(new URLSearchParams(url.slice(q + 1)));
}

function authorised(dialect: Dialect, headers: IncomingHttpHeaders, key: string): boolean {
  const bearer = headers.authorization === `Bearer ${key}`;
  switch (dialect) {
    case 'bedrock':
      return headers.authorization?.startsWith('AWS4-HMAC-SHA256') === true;
    case 'azure':
      return headers['api-key'] === key || bearer;
    case 'anthropic':
      return headers['x-api-key'] === key || bearer;
    case 'openai':
    case 'ollama':
      return bearer;
  }
}

type Decision = { reply: MockReply } | { http: HttpAnswer } | undefined;

/** What a magic model id asks for, given the request. */
function magicDecision(magic: MagicBehaviour, info: RequestInfo | undefined, dialect: Dialect): Decision {
  if (magic.reset) return { reply: { kind: 'reset' } };
  if (magic.hang) return { reply: { kind: 'hang' } };
  if (magic.failStatus !== undefined) {
    return magic.failStatus === 429
      ? { reply: { kind: 'rateLimit', retryAfter: 1 } }
      : { reply: { kind: 'error', status: magic.failStatus } };
  }
  if (!info) return undefined;
  const window = magic.contextWindow;
  if (window !== undefined) {
    const needed = info.promptTokens + (info.maxTokens ?? 0);
    if (needed > window) {
      return {
        http: contextOverflowError(dialect, info.model ?? '', window, info.promptTokens, info.maxTokens),
      };
    }
  }
  const limit = magic.maxOutputTokens;
  if (limit !== undefined && info.maxTokens !== undefined && info.maxTokens > limit) {
    return { http: maxOutputError(dialect, info.model ?? '', info.maxTokens, limit) };
  }
  return undefined;
}

function renderReply(
  ctx: MockContext,
  reply: MockReply,
  dialect: Dialect,
  info: RequestInfo | undefined,
): void {
  switch (reply.kind) {
    case undefined:
    case 'raw': {
      const body = reply.body;
      const isText = typeof body === 'string' || body === undefined;
      send(ctx, {
        status: reply.status ?? 200,
        headers: { ...(isText ? {} : { 'content-type': 'application/json' }), ...reply.headers },
        body: body === undefined ? '' : isText ? body : JSON.stringify(body),
      });
      return;
    }
    case 'error':
      send(ctx, renderError(dialect, reply));
      return;
    case 'rateLimit':
      send(ctx, renderError(dialect, { status: 429, ...reply }));
      return;
    case 'contextOverflow': {
      const window = reply.contextWindow ?? DEFAULT_OVERFLOW_WINDOW;
      const prompt = reply.promptTokens ?? Math.max(info?.promptTokens ?? 0, window + 808);
      send(ctx, contextOverflowError(dialect, info?.model ?? '', window, prompt, undefined));
      return;
    }
    case 'reset':
      resetConnection(ctx);
      return;
    case 'hang':
    case 'answer':
      return;
  }
}

function notFound(ctx: MockContext, dialect: Dialect): void {
  send(
    ctx,
    renderError(dialect, {
      status: 404,
      code: 'not_found',
      message: `mock upstream: no route for ${ctx.record.method} ${ctx.record.path}`,
    }),
  );
}

export async function handleRequest(
  deps: PipelineDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const method = req.method ?? 'GET';
  let parsed: ParsedBody;
  let rawBody: Buffer | undefined;
  try {
    rawBody = await readBody(req);
    parsed = parseBody(rawBody);
  } catch {
    res.destroy();
    return;
  }
  const route: RouteMatch | undefined = findRoute(req, method, path);
  const dialect: Dialect = route?.def.dialect ?? 'openai';
  const bodyObject = parsed.value !== null && typeof parsed.value === 'object' ? parsed.value : undefined;
  const record: RecordedRequest = {
    seq: deps.recorder.nextSeq(),
    method,
    path,
    query: parseQuery(url, q),
    headers: req.headers,
    body: parsed.value,
    rawBody,
    timestamp: Date.now(),
    dialect: route?.def.dialect,
    model:
      typeof (bodyObject as { model?: unknown } | undefined)?.model === 'string'
        ? (bodyObject as { model: string }).model
        : undefined,
    stream: false,
    status: undefined,
    aborted: false,
    done: false,
  };
  const ctx: MockContext = {
    req,
    res,
    record,
    body: bodyObject ?? {},
    params: route?.params ?? [],
    query: record.query,
    state: deps.state,
    closed: false,
  };
  res.once('close', () => {
    // writableEnded, not writableFinished: HTTP/2 compat responses report "finished" even when the peer reset them.
    if (!record.done && !res.writableEnded && !deps.isClosing()) record.aborted = true;
    record.done = true;
    ctx.closed = true;
    deps.recorder.notify();
  });

  if (path.startsWith('/__mock/')) {
    deps.control(ctx);
    return;
  }

  let info: RequestInfo | undefined;
  let invalid: HttpAnswer | undefined;
  if (parsed.invalidJson) {
    invalid = validationError(dialect, 'We could not parse the JSON body of your request.');
  } else if (route?.def.inspect) {
    const inspected = route.def.inspect(ctx);
    if (isHttpAnswer(inspected)) invalid = inspected;
    else {
      info = inspected;
      record.model = inspected.model;
      record.stream = inspected.stream;
    }
  }
  deps.recorder.add(record);

  const key = deps.state.options.requireKey;
  if (key !== undefined && route && !authorised(dialect, req.headers, key)) {
    send(ctx, authError(dialect));
    return;
  }

  const scripted = deps.rules.take(record);
  const magic = scripted ? null : magicFor(record.model);
  const decision: Decision = scripted
    ? { reply: scripted }
    : invalid
      ? { http: invalid }
      : magic
        ? magicDecision(magic, info, dialect)
        : undefined;

  await sleep(ctx, (scripted ? scripted.delayMs : magic?.delayMs) ?? 0);
  if (ctx.closed) return;

  if (decision && 'http' in decision) {
    send(ctx, decision.http);
    return;
  }
  const reply = decision?.reply;
  if (reply && reply.kind !== 'answer') {
    renderReply(ctx, reply, dialect, info);
    return;
  }
  if (!route) {
    notFound(ctx, dialect);
    return;
  }
  if (invalid) {
    // A scripted answer cannot be rendered for a body the route could not read.
    send(ctx, invalid);
    return;
  }
  if (!info) {
    await route.def.respond(ctx, undefined, undefined);
    return;
  }
  let cache: { creation: number; read: number } | undefined;
  if (info.cachePrefix) {
    const seen = deps.state.cachedPrefixes.has(info.cachePrefix.key);
    if (!seen) deps.state.cachedPrefixes.add(info.cachePrefix.key);
    cache = seen
      ? { creation: 0, read: info.cachePrefix.tokens }
      : { creation: info.cachePrefix.tokens, read: 0 };
  }
  const answer = buildAnswer({
    info,
    reply,
    magicToolCalls:
      magic?.toolCalls && info.tools.length > 0
        ? toolCallsFromDeclared(info.tools, magic.toolCalls === 'parallel')
        : undefined,
    magicStream: magic?.stream,
    cache,
  });
  await route.def.respond(ctx, answer, info);
}
