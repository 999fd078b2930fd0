import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  type LoggerService,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import {
  type AdminErrorBody,
  type AnthropicErrorBody,
  anthropicErrorBody,
  clientErrorMessage,
  defaultOpenAIError,
  openAIErrorBody,
  isAnthropicPath,
  isGatewayPath,
  type OpenAIErrorBody,
} from './error-shapes';
import { GatewayHttpError } from './gateway-http.error';
import type { SpaFallback } from './spa';

interface NormalizedError {
  status: number;
  message: string;
  error: string;
  details?: unknown;
  type?: string;
  code?: string;
  param?: string;
  headers?: Record<string, string>;
  /** The exception's own body, kept for probes whose consumers expect Terminus' format. */
  raw?: object;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * The one place errors become HTTP responses. Admin routes answer `{statusCode, error, message,
 * details?}`; gateway routes answer OpenAI's `{error:{message,type,code}}` (Anthropic's shape on
 * `/v1/messages`). Unknown errors are logged with the request id and never leak internals.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(
    private readonly logger: LoggerService,
    private readonly spaFallback?: SpaFallback,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const normalized = this.normalize(exception, request);
    if (normalized.status === 404 && this.spaFallback?.(request, reply)) return;
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.destroy();
      return;
    }
    for (const [name, value] of Object.entries(normalized.headers ?? {})) void reply.header(name, value);
    void reply.status(normalized.status).send(this.render(normalized, request));
  }

  private normalize(exception: unknown, request: FastifyRequest): NormalizedError {
    if (exception instanceof GatewayHttpError) {
      return {
        status: exception.status,
        message: exception.message,
        error: STATUS_NAMES[exception.status] ?? 'Error',
        type: exception.type,
        code: exception.code,
        param: exception.param,
        headers: exception.headers,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const body =
        typeof response === 'string' ? { message: response } : (response as Record<string, unknown>);
      const rawMessage = body.message;
      const message = Array.isArray(rawMessage)
        ? rawMessage.join('; ')
        : typeof rawMessage === 'string'
          ? rawMessage
          : exception.message;
      return {
        status,
        message,
        error: STATUS_NAMES[status] ?? (typeof body.error === 'string' ? body.error : 'Error'),
        details: body.details,
        raw: typeof response === 'object' ? response : undefined,
        code: typeof body.code === 'string' ? body.code : undefined,
        type: typeof body.type === 'string' ? body.type : undefined,
      };
    }
    if (isIdCastError(exception)) {
      // A path id that is not even an ObjectId names nothing: 404 like an unknown one, never 500.
      return { status: 404, message: 'Not found', error: STATUS_NAMES[404] ?? 'Not Found' };
    }
    const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
    if (
      typeof fastifyError.statusCode === 'number' &&
      fastifyError.statusCode >= 400 &&
      fastifyError.statusCode < 500
    ) {
      // Fastify's own errors (invalid JSON, body too large, bad content type) are client errors.
      return {
        status: fastifyError.statusCode,
        message: clientErrorMessage({
          code: fastifyError.code,
          message: fastifyError.message ?? 'Bad request',
        }),
        error: STATUS_NAMES[fastifyError.statusCode] ?? 'Error',
      };
    }
    this.logger.error(
      {
        msg: 'Unhandled error',
        requestId: request.id,
        method: request.method,
        url: request.url,
        err: exception,
      },
      'AllExceptionsFilter',
    );
    return {
      status: 500,
      message: `Internal server error (request id ${request.id})`,
      error: 'Internal Server Error',
    };
  }

  private render(
    e: NormalizedError,
    request: FastifyRequest,
  ): AdminErrorBody | OpenAIErrorBody | AnthropicErrorBody {
    const url = request.url;
    if (url.startsWith('/health') && e.raw) return e.raw as AdminErrorBody;
    if (isAnthropicPath(url)) {
      return anthropicErrorBody(e.status, e.message);
    }
    if (isGatewayPath(url)) {
      const [type, code] = defaultOpenAIError(e.status);
      return openAIErrorBody(e.message, e.type ?? type, e.code ?? code, e.param ?? null);
    }
    const body: AdminErrorBody = { statusCode: e.status, error: e.error, message: e.message };
    if (e.details !== undefined) body.details = e.details;
    if (e.status >= 500) body.requestId = String(request.id);
    return body;
  }
}

/** Mongoose's CastError for `_id` (a malformed id reached a query): Schemathesis found one (issue 15). */
function isIdCastError(exception: unknown): boolean {
  const error = exception as { name?: unknown; path?: unknown; kind?: unknown } | null;
  return error?.name === 'CastError' && error.path === '_id' && error.kind === 'ObjectId';
}
