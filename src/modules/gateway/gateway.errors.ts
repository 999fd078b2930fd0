import { GatewayHttpError } from '../../core/http/gateway-http.error';

/**
 * These errors are expected answers (a 429 under load is normal), not bugs: building them without a
 * stack trace keeps refusing cheap when a client floods the gateway.
 */
function answer(...args: ConstructorParameters<typeof GatewayHttpError>): GatewayHttpError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new GatewayHttpError(...args);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * Every error the gateway answers with, in one place: HTTP status, OpenAI `type` and `code`
 * (DESIGN.md §3). Clients and the docs rely on these codes; change them only deliberately.
 */
export const GatewayErrors = {
  missingApiKey: () =>
    answer(
      401,
      'authentication_error',
      'missing_api_key',
      'No API key given. Send it as "Authorization: Bearer <key>".',
    ),
  invalidApiKey: () => answer(401, 'authentication_error', 'invalid_api_key', 'Invalid API key.'),
  keyDisabled: () => answer(401, 'authentication_error', 'key_disabled', 'This API key is disabled.'),
  keyExpired: () => answer(401, 'authentication_error', 'key_expired', 'This API key has expired.'),
  tenantDisabled: () =>
    answer(401, 'authentication_error', 'tenant_disabled', 'The tenant of this API key is disabled.'),
  invalidRequest: (message: string, param?: string) =>
    answer(400, 'invalid_request_error', 'invalid_request', message, {}, param),
  rateLimited: (message: string, headers: Record<string, string>) =>
    answer(429, 'rate_limit_error', 'rate_limit_exceeded', message, headers),
  ipRateLimited: (headers: Record<string, string>) =>
    answer(
      429,
      'rate_limit_error',
      'rate_limit_exceeded',
      'Too many requests from this address. Slow down and retry later.',
      headers,
    ),
  budgetExceeded: (message: string, headers: Record<string, string>) =>
    answer(429, 'budget_exceeded', 'budget_exceeded', message, headers),
  quotaExceeded: (message: string, headers: Record<string, string>) =>
    answer(429, 'quota_exceeded', 'quota_exceeded', message, headers),
  budgetGuardTier: (message: string, headers: Record<string, string>) =>
    answer(429, 'budget_exceeded', 'budget_guard_tier_blocked', message, headers),
  modelNotAllowed: (model: string) =>
    answer(
      403,
      'permission_error',
      'model_not_allowed',
      `The model '${model}' is not allowed for this API key.`,
      {},
      'model',
    ),
  modelNotFound: (model: string, hint = '') =>
    answer(
      404,
      'invalid_request_error',
      'model_not_found',
      `The model '${model}' does not exist or is not available to this API key.${hint}`,
      {},
      'model',
    ),
  contextLengthExceeded: (message: string) =>
    answer(400, 'invalid_request_error', 'context_length_exceeded', message, {}, 'messages'),
  upstreamBadRequest: (status: number, message: string) =>
    answer(status, 'invalid_request_error', 'upstream_bad_request', message),
  upstreamError: (message: string) => answer(502, 'upstream_error', 'upstream_error', message),
  upstreamTimeout: (message: string) => answer(504, 'timeout_error', 'upstream_timeout', message),
  upstreamRateLimited: (message: string, headers: Record<string, string>) =>
    answer(429, 'rate_limit_error', 'upstream_rate_limited', message, headers),
  providersUnavailable: (message: string, headers: Record<string, string>) =>
    answer(503, 'service_unavailable', 'provider_unavailable', message, headers),
  overloaded: () =>
    answer(503, 'service_unavailable', 'overloaded', 'The gateway is at capacity. Retry shortly.', {
      'retry-after': '1',
    }),
  routeNotFound: (method: string, url: string) =>
    answer(404, 'not_found_error', 'not_found', `Route ${method}:${url} not found`),
  /** An unexpected failure (a bug): the message names the request id to find it in the logs. */
  internal: (requestId: string) =>
    answer(500, 'server_error', 'internal_error', `Internal error (request id ${requestId})`),
  shuttingDown: () =>
    answer(503, 'service_unavailable', 'shutting_down', 'This gateway instance is shutting down.', {
      'retry-after': '1',
    }),
} as const;
