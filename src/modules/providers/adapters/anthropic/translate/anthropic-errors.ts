import { anthropicErrorBody } from '../../../../../core/http/error-shapes';
import type {
  AnthropicErrorObject,
  AnthropicErrorType,
  AnthropicHttpError,
} from '../../wire/anthropic.types';
import { isContextOverflowMessage } from '../../wire/context-overflow';
import type { OpenAIErrorObject, OpenAIHttpError } from '../../wire/openai.types';

const OPENAI_BY_ANTHROPIC_TYPE: Record<AnthropicErrorType, [status: number, type: string, code: string]> = {
  invalid_request_error: [400, 'invalid_request_error', 'invalid_request'],
  authentication_error: [401, 'authentication_error', 'invalid_api_key'],
  billing_error: [402, 'insufficient_quota', 'insufficient_quota'],
  permission_error: [403, 'permission_error', 'forbidden'],
  not_found_error: [404, 'not_found_error', 'model_not_found'],
  request_too_large: [413, 'invalid_request_error', 'request_too_large'],
  rate_limit_error: [429, 'rate_limit_error', 'rate_limit_exceeded'],
  timeout_error: [504, 'timeout_error', 'upstream_timeout'],
  api_error: [500, 'server_error', 'upstream_error'],
  overloaded_error: [503, 'service_unavailable', 'upstream_overloaded'],
};

/**
 * An Anthropic error (HTTP status + body, or a stream `error` event's `error`) → OpenAI error.
 * Anthropic's 529 "overloaded" becomes 503; a too-long prompt keeps 400 with code
 * `context_length_exceeded` so the gateway can retry on a larger model.
 */
export function anthropicErrorToOpenAI(status: number | undefined, body: unknown): OpenAIHttpError {
  const error = readAnthropicError(body);
  const known = error && (OPENAI_BY_ANTHROPIC_TYPE as Record<string, [number, string, string]>)[error.type];
  const [mappedStatus, type, code] = known ?? fallbackByStatus(status ?? 500);
  const message =
    error?.message ?? (typeof body === 'string' && body !== '' ? body : 'Upstream provider error');
  const httpStatus = status === 529 || status === undefined ? mappedStatus : status;
  const result: OpenAIErrorObject = isContextOverflowMessage(message)
    ? { message, type: 'invalid_request_error', code: 'context_length_exceeded' }
    : { message, type, code };
  return { status: httpStatus, body: { error: result } };
}

function fallbackByStatus(status: number): [number, string, string] {
  const byStatus = Object.values(OPENAI_BY_ANTHROPIC_TYPE).find(([s]) => s === status);
  if (byStatus) return byStatus;
  if (status === 529) return OPENAI_BY_ANTHROPIC_TYPE.overloaded_error;
  return status >= 500
    ? [status, 'server_error', 'upstream_error']
    : [status, 'invalid_request_error', 'invalid_request'];
}

function readAnthropicError(body: unknown): AnthropicErrorObject | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const candidate = 'error' in body ? body.error : body;
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const { type, message } = candidate as Partial<Record<'type' | 'message', unknown>>;
  if (typeof type !== 'string' || typeof message !== 'string') return undefined;
  return { type, message };
}

// ─── OpenAI → Anthropic (the `/v1/messages` ingress) ──────────────────────────────────────────

const STATUS_BY_OPENAI_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  insufficient_quota: 402,
  permission_error: 403,
  not_found_error: 404,
  rate_limit_error: 429,
  service_unavailable: 503,
  timeout_error: 504,
};

/** The HTTP status an OpenAI error `type` implies (for mid-stream errors, which carry no status). */
export function statusForOpenAIErrorType(type: string): number {
  return STATUS_BY_OPENAI_TYPE[type] ?? 500;
}

/**
 * The status the ingress answers with for a gateway/OpenAI status: 503 becomes Anthropic's 529
 * "overloaded", which Anthropic clients (Claude Code) retry; everything else is unchanged.
 */
export function anthropicStatusFor(openAIStatus: number): number {
  return openAIStatus === 503 ? 529 : openAIStatus;
}

/** OpenAI-shaped gateway/upstream error → Anthropic `{type:'error', error:{type, message}}`. */
export function openAIErrorToAnthropic(status: number, body: unknown): AnthropicHttpError {
  const anthropicStatus = anthropicStatusFor(status);
  const message = readOpenAIMessage(body) ?? 'Upstream provider error';
  return {
    status: anthropicStatus,
    body: anthropicErrorBody(anthropicStatus, message),
  };
}

function readOpenAIMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body === '' ? undefined : body;
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const { error } = body;
  if (typeof error === 'string') return error;
  if (
    typeof error === 'object' &&
    error !== null &&
    'message' in error &&
    typeof error.message === 'string'
  ) {
    return error.message;
  }
  return undefined;
}
