import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiExtension,
  ApiForbiddenResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

import { PermissionGuard } from './permission.guard';
import type { Permission } from './permissions';

export const REQUIRED_PERMISSION_KEY = 'prism:required-permission';

/**
 * Puts a route behind authentication and one permission, and documents both in Swagger
 * (`x-required-permission` is read by the console to hide what a role cannot do).
 */
export function RequirePermission(permission: Permission): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_PERMISSION_KEY, permission),
    UseGuards(PermissionGuard),
    ApiBearerAuth('jwt'),
    ApiCookieAuth('cookie'),
    ApiExtension('x-required-permission', permission),
    ApiUnauthorizedResponse({ description: 'Not logged in, or the session was revoked' }),
    ApiForbiddenResponse({ description: `Requires the ${permission} permission` }),
  );
}

/** For routes that only need a logged-in user (e.g. `auth/me`), whatever the role. */
export const AUTHENTICATED_ONLY = 'authenticated';
export function RequireLogin(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_PERMISSION_KEY, AUTHENTICATED_ONLY),
    UseGuards(PermissionGuard),
    ApiBearerAuth('jwt'),
    ApiCookieAuth('cookie'),
    ApiExtension('x-required-permission', AUTHENTICATED_ONLY),
    ApiUnauthorizedResponse({ description: 'Not logged in, or the session was revoked' }),
  );
}

export const ALLOWED_DURING_PASSWORD_CHANGE = 'prism:allowed-during-password-change';
/** Lets a user whose password must be changed call this route (only `auth/me`, `password`, `logout`). */
export function AllowDuringPasswordChange(): MethodDecorator & ClassDecorator {
  return SetMetadata(ALLOWED_DURING_PASSWORD_CHANGE, true);
}
