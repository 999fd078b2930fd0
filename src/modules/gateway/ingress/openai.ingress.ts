import { openAIErrorBody, type OpenAIErrorBody } from '../../../core/http/error-shapes';
import type { GatewayHttpError } from '../../../core/http/gateway-http.error';

/**
 * The OpenAI protocol (`/chat/completions`, `/completions`, `/embeddings`, `/models`) is the
 * pipeline's own: requests and answers pass untranslated (so requests carry no GatewayIngress and
 * pay for none), and only errors need rendering. Its routes are in openai.routes.ts.
 */
export function openAIErrorResponse(error: GatewayHttpError): { status: number; body: OpenAIErrorBody } {
  return {
    status: error.status,
    body: openAIErrorBody(error.message, error.type, error.code, error.param ?? null),
  };
}
