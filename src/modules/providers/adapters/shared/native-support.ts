import { openAIErrorBody } from '../../../../core/http/error-shapes';
import { GatewayHttpError } from '../../../../core/http/gateway-http.error';
import { UpstreamError } from '../provider-adapter';

/**
 * Runs a request translation; a {@link GatewayHttpError} it throws (a `TranslationError`: content
 * or a parameter the vendor cannot take) becomes a non-retryable `bad_request` UpstreamError, so the
 * dispatcher answers the client 400 instead of treating it as a connection failure.
 */
export function translateRequest<T>(translate: () => T): T {
  try {
    return translate();
  } catch (error) {
    throw asUpstreamError(error);
  }
}

/** A GatewayHttpError thrown while translating → UpstreamError; anything else is returned as is. */
export function asUpstreamError(error: unknown): unknown {
  if (!(error instanceof GatewayHttpError)) return error;
  const body = openAIErrorBody(error.message, error.type, error.code, error.param ?? null);
  const kind = error.status >= 500 ? 'server' : 'bad_request';
  return new UpstreamError(kind, error.message, error.status, undefined, body);
}

/** The call the vendor has no API for (e.g. embeddings on Anthropic): a 400 the client sees. */
export function unsupportedCall(vendor: string, what: string): UpstreamError {
  return new UpstreamError('bad_request', `${vendor} does not support ${what}`, 400);
}
