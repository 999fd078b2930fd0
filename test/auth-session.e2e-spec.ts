import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { startTestApp, testConfig } from './support/app';
import { bearer, createUser, TEST_PASSWORD } from './support/auth';

function sessionCookie(setCookie: string | string[] | undefined): string {
  const header = ([] as string[]).concat(setCookie ?? []).find((c) => c.startsWith('prism_session='));
  if (!header) throw new Error('no prism_session cookie set');
  return header;
}

function cookiePair(setCookie: string | string[] | undefined): string {
  return sessionCookie(setCookie).split(';')[0]!;
}

describe('browser session cookie and CSRF header', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startTestApp({ NODE_ROLE: 'control', AUTH_RATE_LIMIT_PER_MIN: '1000' });
  });
  afterAll(async () => {
    await app.close();
  });

  const login = (username: string, password = TEST_PASSWORD) =>
    app.inject({
      method: 'POST',
      url: '/api/prism/auth/login',
      payload: { username, password, session: 'cookie' },
    });

  it('cookie login sets an httpOnly, SameSite=Strict cookie scoped to the admin API, and no token in the body', async () => {
    const user = await createUser(app, 'finops');
    const res = await login(user.username);
    expect(res.statusCode).toBe(200);
    expect(res.json()).not.toHaveProperty('accessToken');
    expect(res.json()).toMatchObject({ session: 'cookie', user: { username: user.username } });
    const cookie = sessionCookie(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/api\/prism(;|$)/);
    expect(cookie).not.toMatch(/Secure/i);
    const maxAge = Number(/Max-Age=(\d+)/i.exec(cookie)?.[1]);
    expect(maxAge).toBeGreaterThan(11 * 3600);
    expect(maxAge).toBeLessThanOrEqual(12 * 3600);

    const me = await app.inject({
      method: 'GET',
      url: '/api/prism/auth/me',
      headers: { cookie: cookiePair(res.headers['set-cookie']) },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().username).toBe(user.username);
    // The console warns before the session ends: auth/me says when, matching the login answer.
    expect(me.json().expiresAt).toBe(res.json().expiresAt);
  });

  it('cookie-authenticated mutations need the x-prism-csrf header; Bearer requests do not', async () => {
    const user = await createUser(app, 'auditor');
    const cookie = cookiePair((await login(user.username)).headers['set-cookie']);
    const withoutHeader = await app.inject({
      method: 'POST',
      url: '/api/prism/auth/logout',
      headers: { cookie },
    });
    expect(withoutHeader.statusCode).toBe(403);
    expect(withoutHeader.json().details).toEqual({ code: 'csrf_header_required' });
    const wrongValue = await app.inject({
      method: 'POST',
      url: '/api/prism/auth/logout',
      headers: { cookie, 'x-prism-csrf': 'yes' },
    });
    expect(wrongValue.statusCode).toBe(403);
    // Still logged in: the refused request changed nothing.
    expect(
      (await app.inject({ method: 'GET', url: '/api/prism/auth/me', headers: { cookie } })).statusCode,
    ).toBe(200);

    const logout = await app.inject({
      method: 'POST',
      url: '/api/prism/auth/logout',
      headers: { cookie, 'x-prism-csrf': '1' },
    });
    expect(logout.statusCode).toBe(204);
    expect(sessionCookie(logout.headers['set-cookie'])).toMatch(/Max-Age=0/i);
    expect(
      (await app.inject({ method: 'GET', url: '/api/prism/auth/me', headers: { cookie } })).statusCode,
    ).toBe(401);

    const other = await createUser(app, 'auditor');
    const bearerLogout = await app.inject({
      method: 'POST',
      url: '/api/prism/auth/logout',
      headers: bearer(other.token),
    });
    expect(bearerLogout.statusCode).toBe(204);
  });

  it('a password change over a cookie session renews the cookie and revokes the old one', async () => {
    const user = await createUser(app, 'maintainer');
    const cookie = cookiePair((await login(user.username)).headers['set-cookie']);
    const res = await app.inject({
      method: 'POST',
      url: '/api/prism/auth/password',
      headers: { cookie, 'x-prism-csrf': '1' },
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'brand-new-password' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).not.toHaveProperty('accessToken');
    const renewed = cookiePair(res.headers['set-cookie']);
    expect(
      (await app.inject({ method: 'GET', url: '/api/prism/auth/me', headers: { cookie } })).statusCode,
    ).toBe(401);
    expect(
      (await app.inject({ method: 'GET', url: '/api/prism/auth/me', headers: { cookie: renewed } }))
        .statusCode,
    ).toBe(200);
  });

  it('rejects malformed login bodies with 400 and field messages', async () => {
    const cases: [object, string][] = [
      [{ username: 'x' }, 'password'],
      [{ username: ['x'], password: 'y' }, 'username'],
      [{ username: 'x', password: 'y', session: 'jwt' }, 'session'],
      [{ username: 'x', password: 'y', remember: true }, 'remember'],
      [{ username: 'x'.repeat(5000), password: 'y' }, 'username'],
    ];
    for (const [payload, field] of cases) {
      const res = await app.inject({ method: 'POST', url: '/api/prism/auth/login', payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });
});

describe('session cookie in production', () => {
  it('is marked Secure', async () => {
    const app = await startTestApp({ NODE_ROLE: 'control', NODE_ENV: 'production' });
    try {
      const user = await createUser(app, 'finops');
      const res = await app.inject({
        method: 'POST',
        url: '/api/prism/auth/login',
        payload: { username: user.username, password: TEST_PASSWORD, session: 'cookie' },
      });
      expect(sessionCookie(res.headers['set-cookie'])).toMatch(/;\s*Secure/i);
    } finally {
      await app.close();
    }
  });
});

describe('control-plane rate limits', () => {
  it('default to 20/min on credential routes and 300/min on the admin API', () => {
    const config = testConfig();
    expect(config.authRateLimitPerMinute).toBe(20);
    expect(config.adminRateLimitPerMinute).toBe(300);
  });

  it('throttle per IP: login attempts, then the whole admin API, but never the gateway or health', async () => {
    const app = await startTestApp({
      NODE_ROLE: 'full',
      AUTH_RATE_LIMIT_PER_MIN: '5',
      ADMIN_RATE_LIMIT_PER_MIN: '40',
    });
    try {
      const attempt = (remoteAddress: string, username = 'nobody') =>
        app.inject({
          method: 'POST',
          url: '/api/prism/auth/login',
          remoteAddress,
          payload: { username, password: 'wrong-password' },
        });
      for (let i = 0; i < 5; i += 1) expect((await attempt('10.0.0.1')).statusCode).toBe(401);
      const limited = await attempt('10.0.0.1');
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Another address has its own budget; reads of setup status are not login attempts.
      // (another account too: five failures have locked `nobody` itself, see security-login.e2e-spec)
      expect((await attempt('10.0.0.2', 'somebody-else')).statusCode).toBe(401);
      const status = await app.inject({
        method: 'GET',
        url: '/api/prism/setup/status',
        remoteAddress: '10.0.0.1',
      });
      expect(status.statusCode).toBe(200);

      const user = await createUser(app, 'admin');
      const codes: number[] = [];
      for (let i = 0; i < 45; i += 1) {
        const res = await app.inject({
          method: 'GET',
          url: '/api/prism/auth/me',
          remoteAddress: '10.0.0.3',
          headers: bearer(user.token),
        });
        codes.push(res.statusCode);
      }
      expect(codes.filter((c) => c === 200)).toHaveLength(40);
      expect(codes.slice(40).every((c) => c === 429)).toBe(true);

      for (let i = 0; i < 60; i += 1) {
        for (const url of ['/health', '/v1/models', '/api/v1/models']) {
          const res = await app.inject({ method: 'GET', url, remoteAddress: '10.0.0.3' });
          expect(res.statusCode).not.toBe(429);
        }
      }
    } finally {
      await app.close();
    }
  });
});
