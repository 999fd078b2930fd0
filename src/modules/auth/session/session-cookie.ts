import fastifyCookie from '@fastify/cookie';

/** The browser console's session cookie: the same JWT as the Bearer token, httpOnly. */
export const SESSION_COOKIE = 'prism_session';
/** Only the admin API needs it; the gateway never sees it. */
export const SESSION_COOKIE_PATH = '/api/prism';
/**
 * Cookie-authenticated requests that change state must carry this header with value `1`. A page on
 * another origin cannot add a custom header without a CORS preflight, which CORS_ORIGINS controls.
 */
export const CSRF_HEADER = 'x-prism-csrf';

export function serializeSessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return fastifyCookie.serialize(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: SESSION_COOKIE_PATH,
    maxAge: maxAgeSeconds,
  });
}

export function clearedSessionCookie(secure: boolean): string {
  return fastifyCookie.serialize(SESSION_COOKIE, '', {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: SESSION_COOKIE_PATH,
    maxAge: 0,
    expires: new Date(0),
  });
}

export function readSessionCookie(cookieHeader: string | string[] | undefined): string | undefined {
  const header = Array.isArray(cookieHeader) ? cookieHeader.join('; ') : cookieHeader;
  if (!header || !header.includes(SESSION_COOKIE)) return undefined;
  try {
    const value = fastifyCookie.parse(header)[SESSION_COOKIE];
    return value === '' ? undefined : value;
  } catch {
    return undefined;
  }
}
