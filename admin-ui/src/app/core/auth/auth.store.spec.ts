import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';

import { loginResponse, sessionUser } from '../../../testing/session';
import { sessionInterceptor } from '../http/session.interceptor';
import { AuthStore, SESSION_WARNING_MS } from './auth.store';

describe('AuthStore', () => {
  let store: AuthStore;
  let http: HttpTestingController;
  let router: Router;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([sessionInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    store = TestBed.inject(AuthStore);
    http = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    vi.spyOn(router, 'navigate').mockResolvedValue(true);
  });

  afterEach(() => {
    http.verify();
    vi.useRealTimers();
  });

  it('asks for a cookie session (never a token in JavaScript) and exposes the user and permissions', async () => {
    const login = store.login('alice', 'secret-password');
    const request = http.expectOne('/api/prism/auth/login');
    expect(request.request.body).toEqual({
      username: 'alice',
      password: 'secret-password',
      session: 'cookie',
    });
    expect(request.request.headers.get('x-prism-csrf')).toBe('1');
    request.flush(loginResponse(sessionUser({ permissions: ['providers.read'] })));

    await expect(login).resolves.toBe(true);
    expect(store.isAuthenticated()).toBe(true);
    expect(store.user()?.username).toBe('alice');
    expect(store.can('providers.read')).toBe(true);
    expect(store.can('users.write')).toBe(false);
  });

  it('explains a 401 login as wrong credentials and stays signed out', async () => {
    const login = store.login('alice', 'nope');
    http
      .expectOne('/api/prism/auth/login')
      .flush(
        { statusCode: 401, message: 'Invalid username or password' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await expect(login).resolves.toBe(false);
    expect(store.error()?.message).toBe('Wrong username or password.');
    expect(store.isAuthenticated()).toBe(false);
    expect(store.busy()).toBe(false);
  });

  it('restores the session from auth/me once, and treats a 401 as signed out', async () => {
    const first = store.restore();
    const second = store.restore();
    http.expectOne('/api/prism/auth/me').flush(null, { status: 401, statusText: 'Unauthorized' });
    await expect(first).resolves.toBe('anonymous');
    await expect(second).resolves.toBe('anonymous');
    await expect(store.restore()).resolves.toBe('anonymous');
  });

  it('sends tenant roles to their portal and staff to the dashboard', async () => {
    const restore = store.restore();
    http
      .expectOne('/api/prism/auth/me')
      .flush(sessionUser({ role: 'tenant-viewer', permissions: ['portal.read'] }));
    await restore;
    expect(store.isTenantScoped()).toBe(true);
    expect(store.homeUrl()).toBe('/portal');
  });

  it('sends a user who must change the password to the password page first', async () => {
    const login = store.login('bob', 'temporary-password');
    http.expectOne('/api/prism/auth/login').flush(loginResponse(sessionUser({ mustChangePassword: true })));
    await login;
    expect(store.homeUrl()).toBe('/change-password');
  });

  it('keeps the session after a password change (the server answers with a fresh one)', async () => {
    const login = store.login('bob', 'temporary-password');
    http.expectOne('/api/prism/auth/login').flush(loginResponse(sessionUser({ mustChangePassword: true })));
    await login;

    const change = store.changePassword('temporary-password', 'a-much-better-password');
    const request = http.expectOne('/api/prism/auth/password');
    expect(request.request.headers.get('x-prism-csrf')).toBe('1');
    request.flush(loginResponse(sessionUser({ mustChangePassword: false })));
    await expect(change).resolves.toBeNull();
    expect(store.mustChangePassword()).toBe(false);
    expect(store.isAuthenticated()).toBe(true);
  });

  it('returns the server field errors of a rejected password change', async () => {
    const change = store.changePassword('wrong', 'a-much-better-password');
    http.expectOne('/api/prism/auth/password').flush(
      {
        statusCode: 400,
        message: 'Validation failed: current password is wrong',
        details: [{ field: 'currentPassword', messages: ['current password is wrong'] }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    const problem = await change;
    expect(problem?.fieldErrors).toEqual({ currentPassword: ['current password is wrong'] });
  });

  it('ends the session and returns to login when the expiry time passes', async () => {
    vi.useFakeTimers();
    const login = store.login('alice', 'secret-password');
    http
      .expectOne('/api/prism/auth/login')
      .flush(loginResponse(sessionUser(), new Date(Date.now() + 60_000).toISOString()));
    await login;
    expect(store.isAuthenticated()).toBe(true);

    await vi.advanceTimersByTimeAsync(60_001);
    expect(store.isAuthenticated()).toBe(false);
    expect(store.logoutReason()).toBe('expired');
    expect(router.navigate).toHaveBeenCalledWith(['/login'], {});
  });

  it('warns five minutes before the session ends, then ends it (expiry from auth/me after a reload)', async () => {
    vi.useFakeTimers();
    vi.spyOn(router, 'url', 'get').mockReturnValue('/categories');
    const restore = store.restore();
    http
      .expectOne('/api/prism/auth/me')
      .flush(sessionUser({ expiresAt: new Date(Date.now() + 10 * 60_000).toISOString() }));
    await restore;
    expect(store.expiresAt()).not.toBeNull();
    expect(store.expiryWarning()).toBe(false);

    await vi.advanceTimersByTimeAsync(SESSION_WARNING_MS - 1_000);
    expect(store.expiryWarning()).toBe(false);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(store.expiryWarning()).toBe(true);
    expect(store.isAuthenticated()).toBe(true);

    await vi.advanceTimersByTimeAsync(SESSION_WARNING_MS);
    expect(store.isAuthenticated()).toBe(false);
    expect(store.expiryWarning()).toBe(false);
    expect(store.logoutReason()).toBe('expired');
    expect(router.navigate).toHaveBeenCalledWith(['/login'], { queryParams: { returnUrl: '/categories' } });
  });

  it('warns at once when the session is already close to its end; a dismissed warning stays hidden', async () => {
    vi.useFakeTimers();
    const login = store.login('alice', 'secret-password');
    http
      .expectOne('/api/prism/auth/login')
      .flush(loginResponse(sessionUser(), new Date(Date.now() + 120_000).toISOString()));
    await login;
    expect(store.expiryWarning()).toBe(true);

    store.dismissExpiryWarning();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(store.expiryWarning()).toBe(false);
    expect(store.isAuthenticated()).toBe(true);
    await vi.advanceTimersByTimeAsync(60_001);
    expect(store.isAuthenticated()).toBe(false);
  });

  it('"sign in again" ends the session and returns to the current page after login', async () => {
    vi.spyOn(router, 'url', 'get').mockReturnValue('/routing');
    const login = store.login('alice', 'secret-password');
    http.expectOne('/api/prism/auth/login').flush(loginResponse());
    await login;

    const renew = store.signInAgain();
    http.expectOne('/api/prism/auth/logout').flush(null, { status: 204, statusText: 'No Content' });
    await renew;
    expect(store.isAuthenticated()).toBe(false);
    expect(store.logoutReason()).toBe('renew');
    expect(router.navigate).toHaveBeenCalledWith(['/login'], { queryParams: { returnUrl: '/routing' } });
  });

  it('ends the session when any admin call answers 401 (revoked elsewhere)', async () => {
    const login = store.login('alice', 'secret-password');
    http.expectOne('/api/prism/auth/login').flush(loginResponse());
    await login;

    TestBed.inject(HttpClient)
      .get('/api/prism/admin/users')
      .subscribe({ error: () => undefined });
    http.expectOne('/api/prism/admin/users').flush(null, { status: 401, statusText: 'Unauthorized' });
    await Promise.resolve();

    expect(store.isAuthenticated()).toBe(false);
    expect(store.logoutReason()).toBe('expired');
  });

  it('signs out even when the server session had already ended', async () => {
    const login = store.login('alice', 'secret-password');
    http.expectOne('/api/prism/auth/login').flush(loginResponse());
    await login;

    const logout = store.logout();
    http.expectOne('/api/prism/auth/logout').flush(null, { status: 401, statusText: 'Unauthorized' });
    await logout;
    expect(store.isAuthenticated()).toBe(false);
    expect(store.logoutReason()).toBe('signed-out');
    expect(router.navigate).toHaveBeenCalledWith(['/login'], {});
  });
});
