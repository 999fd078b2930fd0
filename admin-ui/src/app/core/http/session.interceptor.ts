import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, throwError } from 'rxjs';

import { SessionEvents } from '../auth/session-events';

const ADMIN_API = '/api/prism/';
/** Cookie-authenticated mutations must carry this header (the server's CSRF check). */
export const CSRF_HEADER = 'x-prism-csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Calls whose 401 means "wrong credentials" or "no session yet", not "your session expired". */
const SESSION_PROBES = [
  '/api/prism/auth/login',
  '/api/prism/auth/me',
  '/api/prism/auth/logout',
  '/api/prism/setup/',
];

/**
 * Adds the CSRF header to admin API mutations, and turns a 401 from any other admin call into
 * "the session expired or was revoked" so the console returns to the login page.
 */
export const sessionInterceptor: HttpInterceptorFn = (request, next) => {
  const events = inject(SessionEvents);
  const isAdminApi = request.url.includes(ADMIN_API);
  const outgoing =
    isAdminApi && !SAFE_METHODS.has(request.method)
      ? request.clone({ setHeaders: { [CSRF_HEADER]: '1' } })
      : request;
  return next(outgoing).pipe(
    catchError((error: unknown) => {
      if (
        error instanceof HttpErrorResponse &&
        error.status === 401 &&
        isAdminApi &&
        !SESSION_PROBES.some((probe) => request.url.includes(probe))
      ) {
        events.reportUnauthorized();
      }
      return throwError(() => error);
    }),
  );
};
