import { ForbiddenException, Injectable } from '@nestjs/common';

import { type AuthenticatedUser, AuthenticatedUserResolver } from '../rbac/authenticated-user';
import { UserCache } from '../users/user-cache';
import type { UserRecord } from '../users/user.schema';
import { CSRF_HEADER, readSessionCookie } from './session-cookie';
import { TokenService } from './token.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** How the caller proved its identity; logout uses it to also clear the cookie. */
export type CredentialKind = 'bearer' | 'cookie';

export function toAuthenticatedUser(user: UserRecord): AuthenticatedUser {
  return {
    id: user._id.toString(),
    username: user.username,
    role: user.role,
    tenantIds: [...user.tenantIds],
    source: user.source,
    mustChangePassword: user.mustChangePassword,
  };
}

/**
 * Resolves `Authorization: Bearer <jwt>` or the `prism_session` cookie to the current user. The
 * account is checked on every request (cached a few seconds): a disabled, deleted or logged-out
 * user (token version bumped) is refused at once.
 */
@Injectable()
export class JwtUserResolver extends AuthenticatedUserResolver {
  constructor(
    private readonly tokens: TokenService,
    private readonly users: UserCache,
  ) {
    super();
  }

  override async resolve(request: {
    headers: Record<string, string | string[] | undefined>;
    method?: string;
    credentialKind?: CredentialKind;
  }): Promise<AuthenticatedUser | null> {
    const bearer = bearerToken(request.headers.authorization);
    const token = bearer ?? readSessionCookie(request.headers.cookie);
    if (!token) return null;
    const claims = this.tokens.verify(token);
    if (!claims) return null;
    const user = await this.users.get(claims.sub);
    if (!user || !user.active || user.tokenVersion !== claims.tv) return null;
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
    return { ...toAuthenticatedUser(user), sessionExpiresAt: new Date(claims.exp * 1000) };
  }
}

function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}
