import { clientErrorMessage, defaultOpenAIError } from '../../core/http/error-shapes';
import { GatewayHttpError } from '../../core/http/gateway-http.error';
import type { GatewayIngress } from './ingress/gateway-ingress';

/** `/api/:tenant/v1` names the tenant; `/api/v1` and `/v1` take it from the key. */
export const GATEWAY_PREFIXES = ['/api/:tenant/v1', '/api/v1', '/v1'] as const;

/**
 * The answer to an error raised before a gateway handler ran (bad JSON, body too large, wrong
 * content type), in the route's ingress's shape. Shared by the Fastify routes' error handlers and
 * the lean data-plane path.
 */
export function preHandlerErrorResponse(
  error: { statusCode?: number; code?: string; message: string },
  ingress: GatewayIngress,
): { status: number; body: unknown } {
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  const message = status >= 500 ? 'Internal server error' : clientErrorMessage(error);
  const [type, code] = defaultOpenAIError(status);
  return ingress.errorResponse(new GatewayHttpError(status, type, code, message));
}
