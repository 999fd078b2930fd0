import { openAIErrorBody, type OpenAIErrorBody } from '../../../core/http/error-shapes';
import { GatewayHttpError } from '../../../core/http/gateway-http.error';
import { GatewayErrors } from '../gateway.errors';
import { validateRequestBody } from '../gateway.validation';
import { errorEvent } from '../streaming/sse-processor';
import type { GatewayIngress, IngressRoute } from './gateway-ingress';

/** OpenAI's `{error:{message, type, code, param}}` answer for a gateway error. */
export function openAIErrorResponse(error: GatewayHttpError): { status: number; body: OpenAIErrorBody } {
  return {
    status: error.status,
    body: openAIErrorBody(error.message, error.type, error.code, error.param ?? null),
  };
}

/**
 * The OpenAI ingress (`/chat/completions`, `/completions`, `/embeddings`, `/models`): the pipeline's
 * own protocol, so requests and answers pass untranslated (the body is the client's object, the
 * stream processor and JSON answer are returned as they are) and only validation and errors are
 * its own. Its routes are in openai.routes.ts and gateway.lean-http.ts.
 */
export const OPENAI_INGRESS: GatewayIngress = {
  rawDialect: 'openai',

  prepare(raw, endpoint) {
    const body = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    try {
      validateRequestBody(endpoint, raw);
      return { body };
    } catch (error) {
      return {
        body,
        error:
          error instanceof GatewayHttpError
            ? error
            : GatewayErrors.invalidRequest('The request is not a valid OpenAI request.'),
      };
    }
  },

  renderJson: (body) => body,

  answersAsIs: true,

  wrapStream: (processor) => processor,

  streamError: (message) => errorEvent(message),

  errorResponse: openAIErrorResponse,
};

/** The OpenAI POST routes' protocol and pipeline endpoint, by path after the `/v1` prefix. */
export const OPENAI_ROUTES: ReadonlyMap<string, IngressRoute> = new Map([
  ['/chat/completions', { endpoint: 'chat', ingress: OPENAI_INGRESS }],
  ['/completions', { endpoint: 'completions', ingress: OPENAI_INGRESS }],
  ['/embeddings', { endpoint: 'embeddings', ingress: OPENAI_INGRESS }],
]);
