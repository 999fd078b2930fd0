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
import { AUTHENTICATED_ONLY, REQUIRED_PERMISSION_KEY } from './require-permission.decorator';

export interface RequestWithUser {
  headers: Record<string, string | string[] | undefined>;
  user?: AuthenticatedUser;
}

/** 401 without valid credentials, 403 when the role lacks the route's permission. */
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
    if (required === undefined || required === AUTHENTICATED_ONLY) return true;
    if (!roleHasPermission(user.role, required)) {
      throw new ForbiddenException(`Your role (${user.role}) lacks the ${required} permission`);
    }
    return true;
  }
}
