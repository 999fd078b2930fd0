import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { type AuthenticatedUser, AuthenticatedUserResolver } from './authenticated-user';
import { type Permission, roleHasPermission } from './permissions';
import {
  ALLOWED_DURING_PASSWORD_CHANGE,
  AUTHENTICATED_ONLY,
  REQUIRED_PERMISSION_KEY,
} from './require-permission.decorator';

export interface RequestWithUser {
  headers: Record<string, string | string[] | undefined>;
  method?: string;
  user?: AuthenticatedUser;
}

/**
 * 401 without valid credentials, 403 when the role lacks the route's permission, 403
 * `password_change_required` while the user must change the password (except on the routes that
 * let them do so: `auth/me`, `auth/password`, `auth/logout`).
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly resolver: AuthenticatedUserResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const required = this.reflector.getAllAndOverride<Permission | typeof AUTHENTICATED_ONLY | undefined>(
      REQUIRED_PERMISSION_KEY,
      [context.getHandler(), context.getClass()],
    );
    const request = context.switchToHttp().getRequest<RequestWithUser>();
    const user = await this.resolver.resolve(request);
    if (!user) throw new UnauthorizedException('Authentication required');
    request.user = user;
    if (
      user.mustChangePassword &&
      !this.reflector.getAllAndOverride<boolean | undefined>(ALLOWED_DURING_PASSWORD_CHANGE, [
        context.getHandler(),
        context.getClass(),
      ])
    ) {
      throw new ForbiddenException({
        message: 'You must change your password first (POST /api/prism/auth/password)',
        details: { code: 'password_change_required' },
      });
    }
    if (required === undefined || required === AUTHENTICATED_ONLY) return true;
    if (!roleHasPermission(user.role, required)) {
      throw new ForbiddenException(`Your role (${user.role}) lacks the ${required} permission`);
    }
    return true;
  }
}
