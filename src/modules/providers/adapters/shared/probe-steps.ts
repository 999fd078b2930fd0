import { type NetworkFailure, type ProbeStep, UpstreamError } from '../provider-adapter';
import { upstreamErrorMessage } from '../upstream-errors';

/**
 * The wording of model-listing steps (admin check and discovery): failures are named by what an
 * admin can fix (credentials, host, certificate, proxy), not by library error codes.
 */

/** `1 model`, `3 models`. */
export function modelCount(count: number): string {
  return `${count} model${count === 1 ? '' : 's'}`;
}

export function elapsedSince(started: number): number {
  return Math.round(performance.now() - started);
}

/** The caller's signal (if any), also aborted after `timeoutMs`. */
export function withTimeout(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/** The upstream's error message (OpenAI, Anthropic, Bedrock shapes) on one line, cut to 300 characters. */
export function readableErrorMessage(body: unknown, fallback: string): string {
  const bedrock = (body as { Message?: unknown } | undefined)?.Message;
  const message = upstreamErrorMessage(body, typeof bedrock === 'string' ? bedrock : fallback);
  return message.replace(/\s+/g, ' ').trim().slice(0, 300) || 'no details';
}

/** A step for a non-2xx answer: rejected credentials, a missing route, or another HTTP error. */
export function stepFromStatus(step: ProbeStep, status: number, body: unknown, text: string): ProbeStep {
  const failed = { ...step, ok: false, status };
  if (status === 401 || status === 403) {
    return {
      ...failed,
      cause: 'auth',
      message: `Credentials rejected (HTTP ${status}): ${readableErrorMessage(body, text)}`,
    };
  }
  if (status === 404) return { ...failed, cause: 'not_found', message: 'Not found (HTTP 404)' };
  return { ...failed, cause: 'http', message: `HTTP ${status}: ${readableErrorMessage(body, text)}` };
}

/** A step for a call that got no answer: the network cause, timeouts with the time waited. */
export function stepFromNetworkError(step: ProbeStep, error: unknown, timeoutMs: number): ProbeStep {
  const { cause, message } = classifyNetworkError(error);
  return {
    ...step,
    ok: false,
    cause,
    message: cause === 'timeout' ? `No answer within ${timeoutMs} ms` : message,
  };
}

/**
 * A step from an adapter's thrown failure (SDK-based adapters): HTTP answers by status, transport
 * failures by the error code found in the message.
 */
export function stepFromFailure(
  step: ProbeStep,
  error: unknown,
  latencyMs: number,
  timeoutMs: number,
): ProbeStep {
  const upstream = error instanceof UpstreamError ? error : undefined;
  if (upstream?.status !== undefined) {
    return { ...stepFromStatus(step, upstream.status, upstream.upstreamBody, upstream.message), latencyMs };
  }
  if (upstream?.kind === 'timeout' || upstream?.kind === 'aborted')
    return { ...step, ok: false, cause: 'timeout', message: `No answer within ${timeoutMs} ms` };
  const message = error instanceof Error ? error.message : String(error);
  const code = /\b(E[A-Z]{3,}|UND_ERR_[A-Z_]+|[A-Z_]*CERT[A-Z_]*)\b/.exec(message)?.[1];
  const classified = classifyNetworkError({ code, message });
  return { ...step, ok: false, cause: classified.cause, message: classified.message };
}

/** Names the cause of a failed call in words an admin can act on. */
export function classifyNetworkError(error: unknown): { cause: NetworkFailure; message: string } {
  const err = error as {
    code?: unknown;
    name?: string;
    message?: string;
    cause?: { code?: unknown; message?: string };
  };
  // DOMException (AbortSignal.timeout) has a numeric code; only Node's string codes mean anything here.
  const code =
    typeof err.code === 'string' ? err.code : typeof err.cause?.code === 'string' ? err.cause.code : '';
  const message = err.cause?.message ?? err.message ?? String(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return { cause: 'dns', message: `DNS lookup failed (${code})` };
  if (code === 'ECONNREFUSED') return { cause: 'refused', message: 'Connection refused' };
  if (
    (code.startsWith('UND_ERR_') && code.includes('TIMEOUT')) ||
    err.name === 'TimeoutError' ||
    code === 'ETIMEDOUT' ||
    code === 'UND_ERR_ABORTED'
  ) {
    return { cause: 'timeout', message: 'Timed out' };
  }
  if (
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|EPROTO/.test(code) ||
    /certificate|SSL|TLS/i.test(message)
  ) {
    return { cause: 'tls', message: `TLS error: ${message}` };
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return { cause: 'reset', message: 'Connection closed by the server' };
  }
  if (/proxy/i.test(message) || code === 'UND_ERR_PRX_TLS')
    return { cause: 'proxy', message: `Proxy error: ${message}` };
  return { cause: 'network', message: message || 'Network error' };
}

/** The error a failed listing throws, classified like any upstream failure (from its last step). */
export function listingError(slug: string, step: ProbeStep | undefined): UpstreamError {
  const text = `Provider '${slug}' did not list its models: ${step?.message ?? 'no answer'}`;
  switch (step?.cause) {
    case 'auth':
      return new UpstreamError('auth', text, step.status);
    case 'not_found':
      return new UpstreamError('not_found', text, step.status);
    case 'timeout':
      return new UpstreamError('timeout', text);
    case 'http':
      return new UpstreamError((step.status ?? 500) >= 500 ? 'server' : 'bad_request', text, step.status);
    case 'bad_response':
      return new UpstreamError('server', text, step.status);
    case 'config':
      return new UpstreamError('auth', text);
    case 'dns':
    case 'refused':
    case 'tls':
    case 'reset':
    case 'proxy':
    case 'network':
    case undefined:
      return new UpstreamError('connect', text);
  }
}
