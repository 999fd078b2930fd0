/** Admin API error body (DESIGN.md: `{statusCode, error, message, details?}`). */
export interface AdminErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
  requestId?: string;
}

/** OpenAI-style error body used by every gateway route. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string | null; param?: string | null };
}

/** Anthropic-style error body used by the `/v1/messages` ingress. */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

/** Gateway paths: `/v1/*`, `/api/v1/*` and `/api/:tenant/v1/*` (but never `/api/prism/*`). */
const GATEWAY_PATH = /^\/(?:v1(?:\/|$)|api\/(?!prism(?:\/|$))[^/]+\/v1(?:\/|$)|api\/v1(?:\/|$))/;

export function isGatewayPath(url: string): boolean {
  return GATEWAY_PATH.test(url);
}

export function isAnthropicPath(url: string): boolean {
  return isGatewayPath(url) && /\/v1\/messages(?:[/?]|$)/.test(url);
}

const OPENAI_TYPE_BY_STATUS: Record<number, [type: string, code: string]> = {
  400: ['invalid_request_error', 'invalid_request'],
  401: ['authentication_error', 'invalid_api_key'],
  403: ['permission_error', 'forbidden'],
  404: ['not_found_error', 'not_found'],
  405: ['invalid_request_error', 'method_not_allowed'],
  408: ['timeout_error', 'request_timeout'],
  409: ['invalid_request_error', 'conflict'],
  413: ['invalid_request_error', 'request_too_large'],
  415: ['invalid_request_error', 'unsupported_media_type'],
  422: ['invalid_request_error', 'unprocessable_entity'],
  429: ['rate_limit_error', 'rate_limit_exceeded'],
  502: ['upstream_error', 'bad_gateway'],
  503: ['service_unavailable', 'service_unavailable'],
  504: ['timeout_error', 'upstream_timeout'],
};

export function defaultOpenAIError(status: number): [type: string, code: string] {
  return (
    OPENAI_TYPE_BY_STATUS[status] ??
    (status >= 500 ? ['server_error', 'internal_error'] : ['invalid_request_error', 'bad_request'])
  );
}

/**
 * The one builder of OpenAI error bodies (`{error:{message, type, code, param}}`) for every gateway
 * answer: HTTP errors, pre-handler errors, stream error events and translated adapter errors.
 */
export function openAIErrorBody(
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
): OpenAIErrorBody {
  return { error: { message, type, code, param } };
}

const ANTHROPIC_TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** Anthropic's error `type` for an HTTP status (Anthropic's own 529 is "overloaded"). */
export function anthropicErrorType(status: number): string {
  return ANTHROPIC_TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/**
 * The one builder of Anthropic error bodies (`{type:'error', error:{type, message}}`), for HTTP
 * answers and, as the same object, stream `error` events; the type follows from `status`.
 */
export function anthropicErrorBody(status: number, message: string): AnthropicErrorBody {
  return { type: 'error', error: { type: anthropicErrorType(status), message } };
}

/** A readable message for the errors Fastify raises before a handler runs (body parsing, size, type). */
export function clientErrorMessage(error: { code?: string; message: string }): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'Request body is not valid JSON';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'Request body is too large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported content type; send application/json';
    case undefined:
    default:
      return error.message;
  }
}
