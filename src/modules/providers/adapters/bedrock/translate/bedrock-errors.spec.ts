import { bedrockErrorToOpenAI, converseStreamExceptionToOpenAI } from './bedrock-errors';

describe('bedrockErrorToOpenAI', () => {
  it.each([
    [
      'ThrottlingException',
      'Too many requests, please wait before trying again.',
      429,
      'rate_limit_error',
      'rate_limit_exceeded',
    ],
    [
      'ValidationException',
      'The model returned the following errors: max_tokens: 300000 > 64000',
      400,
      'invalid_request_error',
      'invalid_request',
    ],
    [
      'ValidationException',
      'Input is too long for requested model.',
      400,
      'invalid_request_error',
      'context_length_exceeded',
    ],
    [
      'AccessDeniedException',
      "You don't have access to the model with the specified model ID.",
      403,
      'permission_error',
      'forbidden',
    ],
    [
      'ResourceNotFoundException',
      'Could not resolve the foundation model',
      404,
      'not_found_error',
      'model_not_found',
    ],
    ['ModelTimeoutException', 'Model has timed out', 504, 'timeout_error', 'upstream_timeout'],
    ['ServiceUnavailableException', 'Service unavailable', 503, 'service_unavailable', 'service_unavailable'],
    ['InternalServerException', 'Internal error', 500, 'server_error', 'upstream_error'],
  ])('%s → %i %s/%s', (name, message, status, type, code) => {
    expect(bedrockErrorToOpenAI({ name, message })).toEqual({
      status,
      body: { error: { message, type, code } },
    });
  });

  it('keeps the HTTP status of an unknown exception and never answers with an empty message', () => {
    expect(bedrockErrorToOpenAI({ name: 'SomethingNewException', message: '', status: 418 })).toEqual({
      status: 418,
      body: {
        error: {
          message: 'Bedrock error: SomethingNewException',
          type: 'invalid_request_error',
          code: 'invalid_request',
        },
      },
    });
    expect(bedrockErrorToOpenAI({ name: 'TimeoutError', message: 'socket hang up' }).status).toBe(502);
  });

  it('maps stream exception events by name', () => {
    expect(converseStreamExceptionToOpenAI('serviceUnavailableException', { message: 'busy' }).status).toBe(
      503,
    );
    expect(converseStreamExceptionToOpenAI('validationException', {}).body.error.message).toBe(
      'Bedrock error: ValidationException',
    );
  });
});
