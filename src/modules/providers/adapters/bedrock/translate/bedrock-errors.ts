import type {
  BedrockServiceError,
  ConverseStreamExceptionName,
  ConverseStreamExceptionPayload,
} from '../../wire/bedrock.types';
import { isContextOverflowMessage } from '../../wire/context-overflow';
import type { OpenAIHttpError } from '../../wire/openai.types';

const BY_EXCEPTION: Record<string, [status: number, type: string, code: string]> = {
  ValidationException: [400, 'invalid_request_error', 'invalid_request'],
  UnrecognizedClientException: [401, 'authentication_error', 'invalid_api_key'],
  ExpiredTokenException: [401, 'authentication_error', 'invalid_api_key'],
  AccessDeniedException: [403, 'permission_error', 'forbidden'],
  ResourceNotFoundException: [404, 'not_found_error', 'model_not_found'],
  ThrottlingException: [429, 'rate_limit_error', 'rate_limit_exceeded'],
  ServiceQuotaExceededException: [429, 'rate_limit_error', 'quota_exceeded'],
  InternalServerException: [500, 'server_error', 'upstream_error'],
  ModelErrorException: [502, 'server_error', 'upstream_error'],
  ModelStreamErrorException: [502, 'server_error', 'upstream_error'],
  ServiceUnavailableException: [503, 'service_unavailable', 'service_unavailable'],
  ModelNotReadyException: [503, 'service_unavailable', 'model_not_ready'],
  ModelTimeoutException: [504, 'timeout_error', 'upstream_timeout'],
};

/**
 * A Bedrock SDK exception (`name`, `message`, `$metadata.httpStatusCode`) → OpenAI error. A prompt
 * over the model's window becomes 400 `context_length_exceeded` so the gateway can retry larger.
 */
export function bedrockErrorToOpenAI(error: BedrockServiceError): OpenAIHttpError {
  const message = error.message.trim() === '' ? `Bedrock error: ${error.name}` : error.message;
  const known = BY_EXCEPTION[error.name];
  const status = known?.[0] ?? error.status ?? 502;
  if (status === 400 && isContextOverflowMessage(message)) {
    return {
      status,
      body: { error: { message, type: 'invalid_request_error', code: 'context_length_exceeded' } },
    };
  }
  const [, type, code] = known ?? byStatus(status);
  return { status, body: { error: { message, type, code } } };
}

function byStatus(status: number): [number, string, string] {
  const sameStatus = Object.values(BY_EXCEPTION).find(([known]) => known === status);
  if (sameStatus) return sameStatus;
  return status >= 500
    ? [status, 'server_error', 'upstream_error']
    : [status, 'invalid_request_error', 'invalid_request'];
}

/** A ConverseStream exception event (`{ throttlingException: { message } }`) → OpenAI error. */
export function converseStreamExceptionToOpenAI(
  name: ConverseStreamExceptionName,
  payload: ConverseStreamExceptionPayload,
): OpenAIHttpError {
  const message = payload.originalMessage ?? payload.message ?? '';
  const original = payload.originalStatusCode;
  if (original !== undefined && original >= 400 && original < 500) {
    // The model rejected the input mid-stream: answer as the model did (e.g. a too-long prompt).
    return bedrockErrorToOpenAI({ name: 'ModelInputError', message, status: original });
  }
  return bedrockErrorToOpenAI({ name: name.charAt(0).toUpperCase() + name.slice(1), message });
}
