import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';

import { parseRequestJson } from '../../common/json/request-json-parser';
import { RESERVED_TENANT_SLUGS } from '../../common/reserved-names';
import type { ClientIpResolver } from '../../core/http/client-ip';
import { lingerAfterAnswer } from '../../core/http/lingering-close';
import type { HistogramChild } from '../system/fast-histogram';
import { httpDurationHistogram } from '../system/http-metrics';
import { requestIdOf } from '../system/request-id';
import type { GatewayHttpReply, GatewayHttpRequest } from './gateway-http';
import { preHandlerErrorResponse } from './gateway-paths';
import type { GatewayService } from './gateway.service';
import { ANTHROPIC_MESSAGES_ROUTE } from './ingress/anthropic-messages.ingress';
import type { IngressRoute } from './ingress/gateway-ingress';
import { OPENAI_ROUTES } from './ingress/openai.ingress';

/** The POST data-plane paths after the `/v1` prefix; everything else goes to Fastify. */
const ROUTES = new Map<string, IngressRoute>([...OPENAI_ROUTES, ['/messages', ANTHROPIC_MESSAGES_ROUTE]]);
/** Tenant slugs taken on the lean path; anything else (encoded, long, reserved) is Fastify's to route. */
const PLAIN_SLUG = /^[A-Za-z0-9][\w-]{0,99}$/;

type BodyParser = (
  req: unknown,
  body: string,
  done: (error: (Error & { code?: string; statusCode?: number }) | null, body?: unknown) => void,
) => void;

export interface LeanDataPlaneOptions {
  /** With CORS on, @fastify/cors decorates every answer: the lean path stays off. */
  cors: boolean;
  /** The same client-IP function the rest of the app uses (TRUST_PROXY). */
  clientIp: ClientIpResolver;
}

/**
 * Serves the POST data-plane routes (`/v1/*`, `/api/v1/*`, `/api/:tenant/v1/*`: chat/completions,
 * completions, embeddings, messages) straight from the server's `request` event, without Fastify's
 * request lifecycle (router, request/reply objects, content-type parser, hooks), which cost more per
 * request than the gateway's own stages. Everything else, and every request these rules do not
 * cover exactly (another content type, an encoded tenant), goes to Fastify, where
 * the same routes stay registered (and `inject()` keeps using them). What Fastify did for these
 * routes is done here the same way: the request id, the client IP (`ClientIpResolver`, TRUST_PROXY), the JSON body
 * with the same size limit, parser and OpenAI/Anthropic-shaped errors, and the
 * `http_request_duration_seconds` observation under the same route template. With CORS configured
 * it is not installed (every answer then carries @fastify/cors's headers).
 */
export function installLeanDataPlane(
  fastify: FastifyInstance,
  gateway: GatewayService,
  options: LeanDataPlaneOptions,
): boolean {
  const server = fastify.server as typeof fastify.server | undefined;
  if (options.cors || !server || typeof fastify.getDefaultJsonParser !== 'function') return false;
  const listeners = server.listeners('request');
  if (listeners.length !== 1) return false;
  const fastifyHandler = listeners[0] as (req: IncomingMessage, res: ServerResponse) => void;
  const parseJson = fastify.getDefaultJsonParser('error', 'error') as unknown as BodyParser;
  const histogram = httpDurationHistogram();
  // Every lean route by its full path (`/v1/...`, `/api/v1/...`), and by the path after
  // `/api/:tenant/v1`: no string is built per request to find the route or its template.
  const fixedRoutes = new Map<string, LeanRoute>();
  const tenantRoutes = new Map<string, LeanRoute>();
  for (const [rest, route] of ROUTES) {
    for (const prefix of ['/v1', '/api/v1']) fixedRoutes.set(prefix + rest, leanRoute(route, prefix + rest));
    tenantRoutes.set(rest, leanRoute(route, `/api/:tenant/v1${rest}`));
  }
  const bodyLimit = fastify.initialConfig.bodyLimit ?? 1024 * 1024;
  server.removeListener('request', fastifyHandler);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || !serveLean(req, res)) fastifyHandler.call(server, req, res);
  });
  return true;

  function serveLean(req: IncomingMessage, res: ServerResponse): boolean {
    const headers = req.headers;
    if (!isJson(headers['content-type'])) return false;
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    let lean: LeanRoute | undefined;
    let tenant: string | undefined;
    if (path.startsWith('/v1/') || path.startsWith('/api/v1/')) {
      lean = fixedRoutes.get(path);
    } else if (path.startsWith('/api/')) {
      const end = path.indexOf('/', 5);
      if (end < 0 || !path.startsWith('/v1/', end)) return false;
      tenant = path.slice(5, end);
      if (!PLAIN_SLUG.test(tenant) || RESERVED_TENANT_SLUGS.has(tenant)) return false;
      lean = tenantRoutes.get(path.slice(end + 3));
    }
    if (!lean) return false;
    serve(req, res, lean, tenant);
    return true;
  }

  function serve(
    req: IncomingMessage,
    res: ServerResponse,
    lean: LeanRoute,
    tenant: string | undefined,
  ): void {
    const started = performance.now();
    const route = lean.route;
    const reply = new LeanReply(res, requestIdOf(req));
    // `on`, not `once`: a response finishes once, and `once` wraps the listener per request.
    res.on('finish', () => {
      const status = res.statusCode;
      let series = lean.byStatus.get(status);
      if (!series) {
        series = histogram.labels({ method: 'POST', route: lean.template, status_code: String(status) });
        lean.byStatus.set(status, series);
      }
      series.observe((performance.now() - started) / 1000);
    });
    readBody(req, bodyLimit, parseJson, (error, body, raw) => {
      if (error) {
        reply.headers({ connection: 'close' });
        // A 413 goes out while the client may still be sending: close without a reset.
        if (error.statusCode === 413) lingerAfterAnswer(req);
        bodyError(reply, error, route);
        return;
      }
      const request: GatewayHttpRequest = {
        id: reply.requestId,
        headers: req.headers,
        ip: options.clientIp.of(req),
        socket: req.socket,
        body,
        rawBody: raw,
      };
      gateway.handle(route, request, reply, tenant).catch(() => {
        if (!reply.sent && !res.headersSent) {
          bodyError(reply, Object.assign(new Error('Internal server error'), { statusCode: 500 }), route);
        }
      });
    });
  }
}

/**
 * A lean route under one prefix: its route template (the `route` label) and, per status code, its
 * series of `http_request_duration_seconds`, resolved on the first answer with that status (a
 * series is never removed: the registry's reset zeroes it in place).
 */
interface LeanRoute {
  route: IngressRoute;
  template: string;
  byStatus: Map<number, HistogramChild>;
}

function leanRoute(route: IngressRoute, template: string): LeanRoute {
  return { route, template, byStatus: new Map() };
}

/** `application/json`, with or without parameters (what Fastify's JSON parser takes). */
function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType.length < 16) return false;
  const type = contentType.slice(0, 16).toLowerCase();
  return type === 'application/json' && (contentType.length === 16 || contentType[16] === ';');
}

type BodyError = Error & { code?: string; statusCode?: number };

function httpError(code: string, message: string, statusCode: number): BodyError {
  return Object.assign(new Error(message), { code, statusCode });
}

/**
 * Reads the JSON body as Fastify's raw-body reader does (size limit, length check, the same
 * errors), into one buffer: with a Content-Length the buffer is allocated once and each chunk is
 * copied in as it arrives, so a large body is held once, not as chunks plus their concatenation.
 * A body announced over the limit is refused before any of it is read; one without a length is
 * refused as soon as the count passes the limit. The buffer is kept (`raw`) so an unchanged body
 * can be forwarded as it came; parsing skips base64 payloads (`parseRequestJson`).
 */
function readBody(
  req: IncomingMessage,
  limit: number,
  parse: BodyParser,
  done: (error: BodyError | null, body?: unknown, raw?: Buffer) => void,
): void {
  const contentLength = Number(req.headers['content-length']);
  if (contentLength > limit) {
    done(httpError('FST_ERR_CTP_BODY_TOO_LARGE', 'Request body is too large', 413));
    return;
  }
  const known = Number.isInteger(contentLength) && contentLength >= 0;
  const buffer = known ? Buffer.allocUnsafe(contentLength) : undefined;
  const chunks: Buffer[] = [];
  let received = 0;
  const onData = (chunk: Buffer): void => {
    if (received + chunk.length > limit || (buffer && received + chunk.length > buffer.length)) {
      cleanup();
      done(httpError('FST_ERR_CTP_BODY_TOO_LARGE', 'Request body is too large', 413));
      return;
    }
    if (buffer) chunk.copy(buffer, received);
    else chunks.push(chunk);
    received += chunk.length;
  };
  const onEnd = (error?: BodyError): void => {
    cleanup();
    if (error) {
      if (!(typeof error.statusCode === 'number' && error.statusCode >= 400)) error.statusCode = 400;
      done(error);
      return;
    }
    if (known && received !== contentLength) {
      done(
        httpError(
          'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
          'Request body size did not match Content-Length',
          400,
        ),
      );
      return;
    }
    const raw = buffer ?? (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    let body: unknown;
    try {
      body = parseRequestJson(raw.toString('utf8'), (text) => secureParse(parse, req, text));
    } catch (parseError) {
      done(parseError as BodyError);
      return;
    }
    done(null, body, raw);
  };
  const cleanup = (): void => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onEnd);
  };
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onEnd);
}

/** Fastify's JSON parser (prototype-poisoning checks, its errors) as a function that throws. */
function secureParse(parse: BodyParser, req: IncomingMessage, text: string): unknown {
  let result: unknown;
  let failure: BodyError | null = null;
  parse(req, text, (error, body) => {
    failure = error;
    result = body;
  });
  if (failure) throw failure as BodyError;
  return result;
}

/** What the Fastify routes' error handlers answer for errors before the handler. */
function bodyError(reply: LeanReply, error: BodyError, route: IngressRoute): void {
  const { status, body } = preHandlerErrorResponse(error, route.ingress);
  reply.code(status).send(body);
}

/** FastifyReply's surface the gateway uses, over the raw response; JSON answers carry `x-request-id`. */
export class LeanReply implements GatewayHttpReply {
  private status = 200;
  private hijacked = false;
  private readonly pending: Record<string, string> = {};

  constructor(
    readonly raw: ServerResponse,
    readonly requestId: string,
  ) {}

  get sent(): boolean {
    return this.hijacked || this.raw.writableEnded;
  }

  hijack(): this {
    this.hijacked = true;
    return this;
  }

  getHeaders(): Record<string, string> {
    return this.pending;
  }

  code(statusCode: number): this {
    this.status = statusCode;
    return this;
  }

  headers(values: Record<string, string>): this {
    Object.assign(this.pending, values);
    return this;
  }

  send(payload: unknown): this {
    if (this.sent || this.raw.headersSent) return this;
    const text = JSON.stringify(payload);
    const out: OutgoingHttpHeaders = { ...this.pending };
    out['content-type'] = 'application/json; charset=utf-8';
    out['content-length'] = Buffer.byteLength(text);
    out['x-request-id'] = this.requestId;
    this.raw.writeHead(this.status, out);
    this.raw.end(text);
    return this;
  }
}
