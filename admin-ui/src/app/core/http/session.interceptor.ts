import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, throwError } from 'rxjs';

import { SessionEvents } from '../auth/session-events';

/** Calls whose 401 means "wrong credentials" or "no session yet", not "your session expired". */
const SESSION_PROBES = [
  '/api/prism/auth/login',
  '/api/prism/auth/me',
  '/api/prism/auth/logout',
  '/api/prism/setup/',
];

/** A 401 from any other admin call means the cookie expired or was revoked: end the session. */
export const sessionInterceptor: HttpInterceptorFn = (request, next) => {
  const events = inject(SessionEvents);
  return next(request).pipe(
    catchError((error: unknown) => {
      if (
        error instanceof HttpErrorResponse &&
        error.status === 401 &&
        request.url.includes('/api/prism/') &&
        !SESSION_PROBES.some((probe) => request.url.includes(probe))
      ) {
        events.reportUnauthorized();
      }
      return throwError(() => error);
    }),
  );
};
