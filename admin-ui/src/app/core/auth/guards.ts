import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';

import { SetupStatusStore } from '../setup/setup-status.store';
import { AuthStore } from './auth.store';
import { type Permission } from './permissions';

// Guards that await must inject() everything first: after an await there is no injection context.

/** Sends everyone to the setup wizard while the installation has no admin. */
export const setupCompleteGuard: CanActivateFn = async () => {
  const setup = inject(SetupStatusStore);
  const router = inject(Router);
  if (setup.wizardActive()) return router.createUrlTree(['/setup']);
  return (await setup.load()) ? router.createUrlTree(['/setup']) : true;
};

/** The wizard is only reachable while setup is needed (or while it is being completed). */
export const setupPendingGuard: CanActivateFn = async () => {
  const setup = inject(SetupStatusStore);
  const router = inject(Router);
  if (setup.wizardActive() || (await setup.load(true))) return true;
  return router.createUrlTree(['/login']);
};

/** Requires a session; otherwise the login page, which returns here afterwards. */
export const authGuard: CanActivateFn = async (_route, state) => {
  const auth = inject(AuthStore);
  const router = inject(Router);
  if ((await auth.restore()) === 'authenticated') return true;
  return router.createUrlTree(['/login'], state.url === '/' ? {} : { queryParams: { returnUrl: state.url } });
};

/** A user whose password must be changed sees nothing else until it is. */
export const passwordChangedGuard: CanActivateFn = () => {
  const auth = inject(AuthStore);
  return auth.mustChangePassword() ? inject(Router).createUrlTree(['/change-password']) : true;
};

/** The login page is for signed-out users; signed-in users go home. */
export const anonymousGuard: CanActivateFn = async () => {
  const auth = inject(AuthStore);
  const router = inject(Router);
  if ((await auth.restore()) !== 'authenticated') return true;
  return router.parseUrl(auth.homeUrl());
};

/** Routes a role cannot use show the "not allowed" page instead of a page full of 403 errors. */
export function permissionGuard(permission: Permission): CanActivateFn {
  return () => {
    const auth = inject(AuthStore);
    return auth.can(permission) ? true : inject(Router).createUrlTree(['/forbidden']);
  };
}

/** The empty path: each role's landing page. */
export const homeRedirectGuard: CanActivateFn = () => {
  const auth = inject(AuthStore);
  return inject(Router).parseUrl(auth.homeUrl());
};
