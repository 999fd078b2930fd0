import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { startTestApp } from './support/app';
import { bearer, createUser, loginOverHttp, setupFirstAdmin, TEST_PASSWORD } from './support/auth';

describe('auth: login, sessions and revocation', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startTestApp({ NODE_ROLE: 'control', AUTH_RATE_LIMIT_PER_MIN: '1000' });
    await setupFirstAdmin(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const me = (token: string) =>
    app.inject({ method: 'GET', url: '/api/prism/auth/me', headers: bearer(token) });

  it('logs a local user in with a case-insensitive username and returns token, expiry and user', async () => {
    const user = await createUser(app, 'finops', { username: 'Alice.Finops' });
    expect(user.username).toBe('alice.finops');
    const { statusCode, body } = await loginOverHttp(app, 'ALICE.finops', TEST_PASSWORD);
    expect(statusCode).toBe(200);
    expect(body).toMatchObject({
      session: 'bearer',
      user: {
        id: user.id,
        username: 'alice.finops',
        role: 'finops',
        tenantIds: [],
        source: 'local',
        mustChangePassword: false,
      },
    });
    expect(typeof body.accessToken).toBe('string');
    const expiresAt = Date.parse(body.expiresAt as string);
    expect(expiresAt - Date.now()).toBeGreaterThan(11 * 3600_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(12 * 3600_000);
    const res = await me(body.accessToken as string);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ username: 'alice.finops', role: 'finops' });
    expect(res.json().permissions).toContain('analytics.read');
    expect(res.json().permissions).not.toContain('users.write');
  });

  it('refuses a wrong password and an unknown user with the same 401', async () => {
    const user = await createUser(app, 'auditor');
    const wrong = await loginOverHttp(app, user.username, 'not-the-password');
    const unknown = await loginOverHttp(app, 'nobody-here', 'not-the-password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
  });

  it('anonymous, garbage and forged tokens get 401', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/prism/auth/me' })).statusCode).toBe(401);
    expect((await me('not-a-jwt')).statusCode).toBe(401);
    const user = await createUser(app, 'maintainer');
    const [h, p] = user.token.split('.');
    expect((await me(`${h}.${p}.forgedsignature`)).statusCode).toBe(401);
  });

  it('a disabled user is refused on the very next request', async () => {
    const admin = await setupFirstAdmin(app);
    const victim = await createUser(app, 'maintainer');
    expect((await me(victim.token)).statusCode).toBe(200);
    const res = await app.inject({
      method: 'POST',
      url: `/api/prism/admin/users/${victim.id}/disable`,
      headers: bearer(admin.token),
    });
    expect(res.statusCode).toBe(200);
    expect((await me(victim.token)).statusCode).toBe(401);
    const login = await loginOverHttp(app, victim.username, TEST_PASSWORD);
    expect(login.statusCode).toBe(403);
    // Re-enabling does not bring the old token back.
    await app.inject({
      method: 'POST',
      url: `/api/prism/admin/users/${victim.id}/enable`,
      headers: bearer(admin.token),
    });
    expect((await me(victim.token)).statusCode).toBe(401);
    expect((await loginOverHttp(app, victim.username, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('logout revokes every token of the user', async () => {
    const user = await createUser(app, 'finops');
    const second = (await loginOverHttp(app, user.username, TEST_PASSWORD)).body.accessToken as string;
    const res = await app.inject({
      method: 'POST',
      url: '/api/prism/auth/logout',
      headers: bearer(user.token),
    });
    expect(res.statusCode).toBe(204);
    expect((await me(user.token)).statusCode).toBe(401);
    expect((await me(second)).statusCode).toBe(401);
  });

  it('password change revokes old tokens, returns a new one and the new password works', async () => {
    const user = await createUser(app, 'auditor');
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/prism/auth/password',
      headers: bearer(user.token),
      payload: { currentPassword: 'wrong-password-x', newPassword: 'another-long-password' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().details[0].field).toBe('currentPassword');
    const res = await app.inject({
      method: 'POST',
      url: '/api/prism/auth/password',
      headers: bearer(user.token),
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'another-long-password' },
    });
    expect(res.statusCode).toBe(200);
    expect((await me(user.token)).statusCode).toBe(401);
    expect((await me(res.json().accessToken)).statusCode).toBe(200);
    expect((await loginOverHttp(app, user.username, TEST_PASSWORD)).statusCode).toBe(401);
    expect((await loginOverHttp(app, user.username, 'another-long-password')).statusCode).toBe(200);
  });

  it('a user who must change the password gets 403 password_change_required elsewhere until they do', async () => {
    const user = await createUser(app, 'admin', { mustChangePassword: true });
    const blocked = await app.inject({
      method: 'GET',
      url: '/api/prism/admin/users',
      headers: bearer(user.token),
    });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().details).toEqual({ code: 'password_change_required' });
    expect((await me(user.token)).json().mustChangePassword).toBe(true);
    const changed = await app.inject({
      method: 'POST',
      url: '/api/prism/auth/password',
      headers: bearer(user.token),
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'my-own-secret-pass' },
    });
    expect(changed.statusCode).toBe(200);
    const token = changed.json().accessToken as string;
    const ok = await app.inject({ method: 'GET', url: '/api/prism/admin/users', headers: bearer(token) });
    expect(ok.statusCode).toBe(200);
  });
});
