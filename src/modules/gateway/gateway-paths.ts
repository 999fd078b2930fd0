import { clientErrorMessage, defaultOpenAIError, openAIErrorBody } from '../../core/http/error-shapes';
import { GatewayHttpError } from '../../core/http/gateway-http.error';
import { anthropicErrorResponse } from './ingress/anthropic-messages.ingress';

/** `/api/:tenant/v1` names the tenant; `/api/v1` and `/v1` take it from the key. */
export const GATEWAY_PREFIXES = ['/api/:tenant/v1', '/api/v1', '/v1'] as const;

/**
 * The answer to an error raised before a gateway handler ran (bad JSON, body too large, wrong
 * content type), in OpenAI's shape or, on the Anthropic routes, Anthropic's. Shared by the Fastify
 * routes' error handlers and the lean data-plane path.
 */
export function preHandlerErrorResponse(
  error: { statusCode?: number; code?: string; message: string },
  anthropic: boolean,
): { status: number; body: unknown } {
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  const message = status >= 500 ? 'Internal server error' : clientErrorMessage(error);
  if (anthropic) return anthropicErrorResponse(new GatewayHttpError(status, '', '', message));
  const [type, code] = defaultOpenAIError(status);
  return { status, body: openAIErrorBody(message, type, code) };
}
