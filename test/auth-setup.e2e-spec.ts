import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { startTestApp } from './support/app';
import { bearer, createUser, loginOverHttp } from './support/auth';

const STRONG = 'first-admin-password';

function withDatabaseSuffix(suffix: string): string {
  const url = new URL(process.env.MONGODB_URI!);
  url.pathname = `${url.pathname}_${suffix}`;
  return url.toString();
}

describe('first-run setup', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startTestApp({ NODE_ROLE: 'control', AUTH_RATE_LIMIT_PER_MIN: '1000' });
  });
  afterAll(async () => {
    await app.close();
  });

  const status = async () => (await app.inject({ method: 'GET', url: '/api/prism/setup/status' })).json();
  const createAdmin = (payload: object) =>
    app.inject({ method: 'POST', url: '/api/prism/setup/admin', payload });

  it('reports that setup is needed on a fresh database, without revealing configuration', async () => {
    expect(await status()).toEqual({ needsSetup: true, setupComplete: false, ldapEnabled: false });
  });

  it('rejects bad input with 400 and field messages, and creates nothing', async () => {
    const cases: [object, string][] = [
      [{ username: 'root', password: 'short' }, 'password'],
      [{ username: 'ab', password: STRONG }, 'username'],
      [{ username: 'bad name!', password: STRONG }, 'username'],
      [{ username: 42, password: STRONG }, 'username'],
      [{ username: 'root', password: ['x'] }, 'password'],
      [{ username: 'root', password: 'ü'.repeat(40) }, 'password'],
      [{ username: 'r'.repeat(100_000), password: STRONG }, 'username'],
      [{ username: 'root', password: STRONG, role: 'admin' }, 'role'],
      [{ password: STRONG }, 'username'],
    ];
    for (const [payload, field] of cases) {
      const res = await createAdmin(payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const notJson = await app.inject({
      method: 'POST',
      url: '/api/prism/setup/admin',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":',
    });
    expect(notJson.statusCode).toBe(400);
    expect((await status()).needsSetup).toBe(true);
  });

  it('of several concurrent attempts exactly one creates the admin; the rest get 409', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) => createAdmin({ username: `racer-${i}`, password: STRONG })),
    );
    const codes = attempts.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409, 409, 409, 409, 409]);
    const winner = attempts.find((r) => r.statusCode === 201)!.json();
    expect(winner).toMatchObject({ role: 'admin', source: 'local', mustChangePassword: false, active: true });
    expect(winner).not.toHaveProperty('passwordHash');
    const login = await loginOverHttp(app, winner.username, STRONG);
    expect(login.statusCode).toBe(200);
    const users = await app.inject({
      method: 'GET',
      url: '/api/prism/admin/users',
      headers: bearer(login.body.accessToken as string),
    });
    expect(users.json().items.filter((u: { role: string }) => u.role === 'admin')).toHaveLength(1);
    expect(await status()).toMatchObject({ needsSetup: false });
  });

  it('stays closed afterwards (409), whatever the username', async () => {
    const res = await createAdmin({ username: 'another-admin', password: STRONG });
    expect(res.statusCode).toBe(409);
    expect(res.json().details).toEqual({ code: 'setup_closed' });
  });

  it('setup/complete needs an admin', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/prism/setup/complete' })).statusCode).toBe(401);
    const maintainer = await createUser(app, 'maintainer');
    const denied = await app.inject({
      method: 'POST',
      url: '/api/prism/setup/complete',
      headers: bearer(maintainer.token),
    });
    expect(denied.statusCode).toBe(403);
    const admin = await createUser(app, 'admin');
    const done = await app.inject({
      method: 'POST',
      url: '/api/prism/setup/complete',
      headers: bearer(admin.token),
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ needsSetup: false, setupComplete: true, ldapEnabled: false });
  });
});

describe('bootstrap admin from BOOTSTRAP_ADMIN_USERNAME/PASSWORD', () => {
  const apps: NestFastifyApplication[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
  });

  it('creates the admin once (even when two pods boot together) and forces a password change', async () => {
    const env = {
      NODE_ROLE: 'control',
      AUTH_RATE_LIMIT_PER_MIN: '1000',
      MONGODB_URI: withDatabaseSuffix('bootstrap'),
      BOOTSTRAP_ADMIN_USERNAME: 'Ops-Admin',
      BOOTSTRAP_ADMIN_PASSWORD: 'bootstrap-password-123',
    };
    apps.push(...(await Promise.all([startTestApp(env), startTestApp(env)])));
    const [app] = apps as [NestFastifyApplication];
    const status = await app.inject({ method: 'GET', url: '/api/prism/setup/status' });
    expect(status.json()).toMatchObject({ needsSetup: false });
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/prism/setup/admin',
          payload: { username: 'x-admin', password: 'x'.repeat(12) },
        })
      ).statusCode,
    ).toBe(409);

    const login = await loginOverHttp(app, 'ops-admin', 'bootstrap-password-123');
    expect(login.statusCode).toBe(200);
    expect(login.body.user).toMatchObject({ username: 'ops-admin', role: 'admin', mustChangePassword: true });
    const token = login.body.accessToken as string;
    const blocked = await app.inject({
      method: 'GET',
      url: '/api/prism/admin/users',
      headers: bearer(token),
    });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().details).toEqual({ code: 'password_change_required' });

    const changed = await app.inject({
      method: 'POST',
      url: '/api/prism/auth/password',
      headers: bearer(token),
      payload: { currentPassword: 'bootstrap-password-123', newPassword: 'my-real-admin-password' },
    });
    expect(changed.statusCode).toBe(200);
    const users = await app.inject({
      method: 'GET',
      url: '/api/prism/admin/users',
      headers: bearer(changed.json().accessToken as string),
    });
    expect(users.statusCode).toBe(200);
    expect(users.json().items.filter((u: { role: string }) => u.role === 'admin')).toHaveLength(1);

    // A restart with the same variables neither adds an admin nor resets the changed password.
    apps.push(await startTestApp(env));
    expect((await loginOverHttp(apps[2]!, 'ops-admin', 'my-real-admin-password')).statusCode).toBe(200);
    expect((await loginOverHttp(apps[2]!, 'ops-admin', 'bootstrap-password-123')).statusCode).toBe(401);
  });
});
