import { ForbiddenException, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-jwt';

import { AppConfig } from '../../../core/config/app-config';
import type { AuthenticatedUser } from '../rbac/authenticated-user';
import {
  SESSION_CHECK,
  SESSION_STRATEGY,
  type SessionCheck,
  type SessionRequest,
} from '../rbac/permission.guard';
import { UserCache } from '../users/user-cache';
import { CSRF_HEADER, readSessionCookie } from './session-cookie';
import { type CredentialKind, toAuthenticatedUser } from './session-user';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

interface StrategyRequest extends SessionRequest {
  credentialKind?: CredentialKind;
}

function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}

/** `Authorization: Bearer <jwt>` first, else the `prism_session` cookie. */
function sessionToken(request: StrategyRequest): string | null {
  return bearerToken(request.headers.authorization) ?? readSessionCookie(request.headers.cookie) ?? null;
}

/**
 * Passport strategy of the admin API: passport-jwt checks the HS256 signature and expiry of the
 * Bearer token or session cookie; the account is then checked on every request (cached a few
 * seconds), so a disabled, deleted or logged-out user (token version bumped) is refused at once,
 * and a cookie-authenticated mutation must carry the CSRF header. Token claims: `sub` (user id),
 * `tv` (token version), `exp`; the role is deliberately absent and read from the user.
 */
@Injectable()
export class JwtSessionStrategy extends PassportStrategy(Strategy, SESSION_STRATEGY) implements SessionCheck {
  readonly secret: string;

  constructor(
    config: AppConfig,
    private readonly users: UserCache,
  ) {
    super({
      jwtFromRequest: sessionToken,
      secretOrKeyProvider: (request: StrategyRequest, _token: string, done: (e: null, s: string) => void) =>
        done(null, checkOf(request, this).secret),
      algorithms: ['HS256'],
      passReqToCallback: true,
    });
    this.secret = config.jwtSecret;
  }

  /** Passport's verify step: the check of the app that received the request (see SessionCheck). */
  validate(request: StrategyRequest, claims: Record<string, unknown>): Promise<AuthenticatedUser | null> {
    return checkOf(request, this).userFor(request, claims);
  }

  async userFor(
    request: StrategyRequest,
    claims: Record<string, unknown>,
  ): Promise<AuthenticatedUser | null> {
    const { sub, tv, exp } = claims;
    if (typeof sub !== 'string' || typeof tv !== 'number' || typeof exp !== 'number') return null;
    const user = await this.users.get(sub);
    if (!user || !user.active || user.tokenVersion !== tv) return null;
    const bearer = bearerToken(request.headers.authorization) !== undefined;
    if (!bearer) {
      // Browsers attach cookies to cross-site requests; a custom header proves the console sent it.
      const method = (request.method ?? 'GET').toUpperCase();
      if (!SAFE_METHODS.has(method) && request.headers[CSRF_HEADER] !== '1') {
        throw new ForbiddenException({
          message: `Cookie-authenticated ${method} requests must send the header ${CSRF_HEADER}: 1`,
          details: { code: 'csrf_header_required' },
        });
      }
    }
    request.credentialKind = bearer ? 'bearer' : 'cookie';
    return { ...toAuthenticatedUser(user), sessionExpiresAt: new Date(exp * 1000) };
  }
}

function checkOf(request: StrategyRequest, fallback: SessionCheck): SessionCheck {
  return request[SESSION_CHECK] ?? fallback;
}
