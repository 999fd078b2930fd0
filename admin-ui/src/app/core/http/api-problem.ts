import { HttpErrorResponse } from '@angular/common/http';

/** A failed admin API call, reduced to what a page shows: one message plus per-field messages. */
export interface ApiProblem {
  /** HTTP status; 0 when the server could not be reached. */
  status: number;
  message: string;
  /** Messages per field path (`name`, `config.baseUrl`, `keys[0].label`) from the server's validation. */
  fieldErrors: Readonly<Record<string, readonly string[]>>;
}

interface FieldErrorDetail {
  field: string;
  messages: string[];
}

function isFieldErrorDetail(value: unknown): value is FieldErrorDetail {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<FieldErrorDetail>;
  return (
    typeof candidate.field === 'string' &&
    Array.isArray(candidate.messages) &&
    candidate.messages.every((m) => typeof m === 'string')
  );
}

function fallbackMessage(status: number): string {
  if (status === 0) return 'The server could not be reached. Check your connection and try again.';
  if (status === 401) return 'Your session has ended. Please sign in again.';
  if (status === 403) return 'Your role is not allowed to do this.';
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many requests. Wait a moment and try again.';
  if (status >= 500) return 'The server failed to handle the request. Try again or check the server log.';
  return 'The request was not accepted.';
}

/**
 * Turns anything thrown by a generated API call into an ApiProblem. Understands the admin error
 * body `{statusCode, error, message, details?: [{field, messages}]}` and never throws itself.
 */
export function toApiProblem(error: unknown): ApiProblem {
  if (!(error instanceof HttpErrorResponse)) {
    const message = error instanceof Error ? error.message : 'Unexpected error';
    return { status: -1, message, fieldErrors: {} };
  }
  const body: unknown = error.error;
  const fieldErrors: Record<string, string[]> = {};
  let message: string | undefined;
  if (typeof body === 'object' && body !== null) {
    const record = body as { message?: unknown; details?: unknown };
    if (typeof record.message === 'string') message = record.message;
    else if (Array.isArray(record.message))
      message = record.message.filter((m) => typeof m === 'string').join('; ');
    if (Array.isArray(record.details)) {
      for (const detail of record.details) {
        if (isFieldErrorDetail(detail)) (fieldErrors[detail.field] ??= []).push(...detail.messages);
      }
    }
  }
  if (Object.keys(fieldErrors).length > 0 && message?.startsWith('Validation failed')) {
    message = 'Please correct the highlighted fields.';
  }
  return { status: error.status, message: message ?? fallbackMessage(error.status), fieldErrors };
}
