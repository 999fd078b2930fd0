import { type ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';

import type { AuthenticatedUser } from './authenticated-user';
import { type Permission, roleHasPermission } from './permissions';
import {
  ALLOWED_DURING_PASSWORD_CHANGE,
  AUTHENTICATED_ONLY,
  REQUIRED_PERMISSION_KEY,
} from './require-permission.decorator';

/**
 * The Passport strategy this guard authenticates with. The auth module registers it
 * (JwtSessionStrategy); naming it here keeps rbac free of imports from the auth services above it.
 */
export const SESSION_STRATEGY = 'jwt-session';

/**
 * Port implemented by that strategy: the app's own token secret and account check. Passport keeps
 * one strategy registry per process while a process may host several apps (two pods in one test),
 * so the guard hands its app's check to whichever registered instance Passport runs.
 */
export abstract class SessionCheck {
  abstract readonly secret: string;
  /** Null refuses with 401; may throw an HttpException for a more specific refusal. */
  abstract userFor(
    request: SessionRequest,
    claims: Record<string, unknown>,
  ): Promise<AuthenticatedUser | null>;
}

export const SESSION_CHECK = Symbol('prism:session-check');

export interface SessionRequest {
  headers: Record<string, string | string[] | undefined>;
  method?: string;
  [SESSION_CHECK]?: SessionCheck;
}

export interface RequestWithUser extends SessionRequest {
  user?: AuthenticatedUser;
}

/**
 * Authenticates with the session Passport strategy (Bearer JWT or cookie, see JwtSessionStrategy),
 * then authorizes: 401 without valid credentials, 403 when the role lacks the route's permission,
 * 403 `password_change_required` while the user must change the password (except on the routes
 * that let them do so: `auth/me`, `auth/password`, `auth/logout`).
 */
@Injectable()
export class PermissionGuard extends AuthGuard(SESSION_STRATEGY) {
  constructor(
    private readonly reflector: Reflector,
    private readonly check: SessionCheck,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithUser>();
    request[SESSION_CHECK] = this.check;
    await super.canActivate(context);
    const user = request.user!;
    const targets = [context.getHandler(), context.getClass()];
    if (
      user.mustChangePassword &&
      !this.reflector.getAllAndOverride<boolean | undefined>(ALLOWED_DURING_PASSWORD_CHANGE, targets)
    ) {
      throw new ForbiddenException({
        message: 'You must change your password first (POST /api/prism/auth/password)',
        details: { code: 'password_change_required' },
      });
    }
    const required = this.reflector.getAllAndOverride<Permission | typeof AUTHENTICATED_ONLY | undefined>(
      REQUIRED_PERMISSION_KEY,
      targets,
    );
    if (required === undefined || required === AUTHENTICATED_ONLY) return true;
    if (!roleHasPermission(user.role, required)) {
      throw new ForbiddenException(`Your role (${user.role}) lacks the ${required} permission`);
    }
    return true;
  }

  /** Passport's refusal (no, bad, expired or revoked token) becomes one plain 401. */
  override handleRequest<TUser = AuthenticatedUser>(error: unknown, user: TUser | false | null): TUser {
    // The strategy's own refusals (403 csrf_header_required) and real failures pass through.
    if (error instanceof Error) throw error;
    if (error || !user) throw new UnauthorizedException('Authentication required');
    return user;
  }
}
