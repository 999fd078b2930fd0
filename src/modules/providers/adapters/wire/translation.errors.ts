import { GatewayHttpError } from '../../../../core/http/gateway-http.error';

/**
 * A client request that cannot be expressed in the upstream's protocol (e.g. an http image URL for
 * Bedrock, `n: 3` for Anthropic). Always a 400 in OpenAI's error shape; the gateway's error filter
 * renders it like any other {@link GatewayHttpError}.
 */
export class TranslationError extends GatewayHttpError {
  constructor(code: string, message: string, param?: string) {
    super(400, 'invalid_request_error', code, message, {}, param);
    this.name = 'TranslationError';
  }
}

/** The request carries content the upstream cannot accept (audio, remote images on Bedrock, …). */
export class UnsupportedContentError extends TranslationError {
  constructor(message: string, param?: string) {
    super('unsupported_content', message, param);
    this.name = 'UnsupportedContentError';
  }
}

/** A parameter value the upstream has no equivalent for (e.g. `n > 1`, legacy `functions`). */
export class UnsupportedParameterError extends TranslationError {
  constructor(param: string, message: string) {
    super('unsupported_parameter', message, param);
    this.name = 'UnsupportedParameterError';
  }
}
