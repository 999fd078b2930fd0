import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import {
  type ActivatedRouteSnapshot,
  type CanActivateFn,
  provideRouter,
  type RouterStateSnapshot,
  type UrlTree,
} from '@angular/router';

import { loginResponse, sessionUser } from '../../../testing/session';
import { AuthStore } from './auth.store';
import { authGuard, passwordChangedGuard, permissionGuard, setupCompleteGuard } from './guards';

function run(guard: CanActivateFn, url = '/'): Promise<boolean | UrlTree> {
  return TestBed.runInInjectionContext(async () => {
    const result = await guard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot);
    return result as boolean | UrlTree;
  });
}

const path = (result: boolean | UrlTree): string =>
  typeof result === 'boolean' ? String(result) : result.toString();

describe('route guards', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
  });

  async function signIn(user = sessionUser()): Promise<void> {
    const login = TestBed.inject(AuthStore).login(user.username, 'password-123456');
    http.expectOne('/api/prism/auth/login').flush(loginResponse(user));
    await login;
  }

  it('sends everyone to the wizard while no admin exists', async () => {
    const result = run(setupCompleteGuard);
    http
      .expectOne('/api/prism/setup/status')
      .flush({ needsSetup: true, setupComplete: false, ldapEnabled: false });
    expect(path(await result)).toBe('/setup');
  });

  it('lets the console load when setup is done', async () => {
    const result = run(setupCompleteGuard);
    http
      .expectOne('/api/prism/setup/status')
      .flush({ needsSetup: false, setupComplete: true, ldapEnabled: false });
    expect(await result).toBe(true);
  });

  it('sends anonymous users to login with the page they wanted', async () => {
    const result = run(authGuard, '/tenants?page=2');
    http.expectOne('/api/prism/auth/me').flush(null, { status: 401, statusText: 'Unauthorized' });
    expect(path(await result)).toBe('/login?returnUrl=%2Ftenants%3Fpage%3D2');
  });

  it('lets a signed-in user through', async () => {
    await signIn();
    expect(await run(authGuard)).toBe(true);
  });

  it('blocks pages outside the role and shows the forbidden page instead', async () => {
    await signIn(sessionUser({ role: 'tenant-viewer', permissions: ['portal.read'] }));
    expect(await run(permissionGuard('portal.read'))).toBe(true);
    expect(path(await run(permissionGuard('users.read')))).toBe('/forbidden');
    expect(path(await run(permissionGuard('providers.read')))).toBe('/forbidden');
  });

  it('holds a user with a forced password change on the password page', async () => {
    await signIn(sessionUser({ mustChangePassword: true }));
    expect(path(await run(passwordChangedGuard))).toBe('/change-password');
  });
});
