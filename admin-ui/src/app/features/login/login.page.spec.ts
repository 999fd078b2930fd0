import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatIconTestingModule } from '@angular/material/icon/testing';
import { provideRouter, Router } from '@angular/router';

import { loginResponse, sessionUser } from '../../../testing/session';
import { LoginPage, safeReturnUrl } from './login.page';

describe('safeReturnUrl', () => {
  it.each([
    ['/tenants/1?tab=keys', '/tenants/1?tab=keys'],
    ['//evil.example/x', null],
    ['https://evil.example', null],
    ['/login?returnUrl=/x', null],
    [undefined, null],
  ])('%s → %s', (value, expected) => {
    expect(safeReturnUrl(value)).toBe(expected);
  });
});

describe('LoginPage', () => {
  let http: HttpTestingController;
  let router: Router;

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [MatIconTestingModule],
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    vi.spyOn(router, 'navigateByUrl').mockResolvedValue(true);
  });

  async function renderAndSubmit(username: string, password: string, returnUrl?: string) {
    const fixture = TestBed.createComponent(LoginPage);
    if (returnUrl) fixture.componentRef.setInput('returnUrl', returnUrl);
    await fixture.whenStable();
    const host = fixture.nativeElement as HTMLElement;
    const fill = (name: string, value: string) => {
      const input = host.querySelector<HTMLInputElement>(`input[formcontrolname="${name}"]`);
      if (!input) throw new Error(name);
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    fill('username', username);
    fill('password', password);
    host.querySelector('form')?.dispatchEvent(new Event('submit'));
    await fixture.whenStable();
    return { fixture, host };
  }

  it('validates inline without calling the server', async () => {
    const { host } = await renderAndSubmit('', '');
    http.expectNone('/api/prism/auth/login');
    expect(host.textContent).toContain('Username is required.');
    expect(host.textContent).toContain('Password is required.');
  });

  it('signs in and returns to the page the user wanted', async () => {
    const { fixture } = await renderAndSubmit(' alice ', 'secret-password', '/tenants');
    const request = http.expectOne('/api/prism/auth/login');
    expect(request.request.body).toMatchObject({ username: 'alice', password: 'secret-password' });
    request.flush(loginResponse());
    await vi.waitFor(() => {
      expect(router.navigateByUrl).toHaveBeenCalledWith('/tenants');
    });
    await fixture.whenStable();
  });

  it('shows the wrong-credentials message and clears the password', async () => {
    const { host } = await renderAndSubmit('alice', 'nope');
    http
      .expectOne('/api/prism/auth/login')
      .flush({ message: 'Invalid username or password' }, { status: 401, statusText: 'Unauthorized' });
    await vi.waitFor(() => {
      expect(host.querySelector('[role="alert"]')?.textContent).toContain('Wrong username or password.');
    });
    expect(host.querySelector<HTMLInputElement>('input[formcontrolname="password"]')?.value).toBe('');
    expect(router.navigateByUrl).not.toHaveBeenCalled();
  });

  it('sends a user who must change the password to that page, not the return URL', async () => {
    const { fixture } = await renderAndSubmit('bob', 'temporary-password', '/tenants');
    http.expectOne('/api/prism/auth/login').flush(loginResponse(sessionUser({ mustChangePassword: true })));
    await vi.waitFor(() => {
      expect(router.navigateByUrl).toHaveBeenCalledWith('/change-password');
    });
    await fixture.whenStable();
  });
});
