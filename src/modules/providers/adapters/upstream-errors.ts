import { UpstreamError } from './provider-adapter';

const CONTEXT_OVERFLOW =
  /context[ _-]?length|maximum context|context window|too many tokens|prompt is too long|input is too long|reduce the length of the (?:messages|prompt|input)|exceeds? the (?:model'?s? )?(?:maximum|max)(?: context)?|max_model_len/i;

/** True when an upstream error message says the prompt does not fit the model's window. */
export function isContextOverflowMessage(message: string): boolean {
  return CONTEXT_OVERFLOW.test(message);
}

/** Seconds from `retry-after-ms` / `retry-after` (delta seconds or an HTTP date); undefined if absent. */
export function parseRetryAfter(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  now: number = Date.now(),
): number | undefined {
  const ms = first(headers['retry-after-ms']);
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms) / 1000;
  const value = first(headers['retry-after'])?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - now) / 1000);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Extracts a message from an upstream error body (OpenAI, Anthropic, vLLM and plain-text shapes). */
export function upstreamErrorMessage(body: unknown, fallback: string): string {
  if (typeof body === 'string') return body.trim().slice(0, 500) || fallback;
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const error = record.error;
    if (typeof error === 'string') return error;
    if (error && typeof error === 'object') {
      const message = (error as Record<string, unknown>).message;
      if (typeof message === 'string') return message;
    }
    if (typeof record.message === 'string') return record.message;
    if (typeof record.detail === 'string') return record.detail;
  }
  return fallback;
}

/** Classifies a non-2xx upstream answer into an {@link UpstreamError}. */
export function errorFromStatus(
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  providerSlug: string,
): UpstreamError {
  const message = upstreamErrorMessage(body, `HTTP ${status}`);
  const text = `Provider '${providerSlug}' answered ${status}: ${message}`;
  if (status === 429) return new UpstreamError('rate_limited', text, status, parseRetryAfter(headers), body);
  if ((status === 400 || status === 413 || status === 422) && isContextOverflowMessage(message)) {
    return new UpstreamError('context_overflow', text, status, undefined, body);
  }
  if (status >= 500) return new UpstreamError('server', text, status, parseRetryAfter(headers), body);
  if (status === 401 || status === 403) return new UpstreamError('auth', text, status, undefined, body);
  if (status === 404) return new UpstreamError('not_found', text, status, undefined, body);
  if (status === 408) return new UpstreamError('timeout', text, status, undefined, body);
  return new UpstreamError('bad_request', text, status, undefined, body);
}

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_INFO',
  'UND_ERR_PRX_TLS',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/** Classifies a thrown transport error (undici, socket, TLS, abort) into an {@link UpstreamError}. */
export function errorFromTransport(
  error: unknown,
  providerSlug: string,
  signal?: { readonly aborted: boolean },
): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const err = error as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  const detail = err.message ?? String(error);
  if (signal?.aborted || err.name === 'AbortError' || code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') {
    return new UpstreamError('aborted', `Request to provider '${providerSlug}' was aborted`);
  }
  if (TIMEOUT_CODES.has(code)) {
    return new UpstreamError('timeout', `Provider '${providerSlug}' did not answer in time (${code})`);
  }
  if (CONNECT_CODES.has(code) || /certificate|self[- ]signed/i.test(detail)) {
    return new UpstreamError('connect', `Cannot reach provider '${providerSlug}': ${code || detail}`);
  }
  return new UpstreamError('connect', `Cannot reach provider '${providerSlug}': ${detail}`);
}
