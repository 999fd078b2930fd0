import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

import type { AuthenticatedUser } from './authenticated-user';
import type { RequestWithUser } from './permission.guard';

/** The caller set by PermissionGuard; only valid on routes behind @RequirePermission/@RequireLogin. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser => {
    const user = context.switchToHttp().getRequest<RequestWithUser>().user;
    if (!user) throw new Error('CurrentUser used on a route without @RequirePermission');
    return user;
  },
);
