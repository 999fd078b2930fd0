import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { startTestApp } from './support/app';
import { bearer, createUser, setupFirstAdmin, TEST_PASSWORD, type TestUser } from './support/auth';

/** Issue 15 item 2: per-account and per-address lockout, growing delay, audit, admin unlock. */
describe('login protection', () => {
  let app: NestFastifyApplication;
  let admin: TestUser;
  let auditor: TestUser;

  beforeAll(async () => {
    app = await startTestApp({
      NODE_ROLE: 'control',
      AUTH_RATE_LIMIT_PER_MIN: '1000',
      LOGIN_MAX_FAILURES: '3',
      LOGIN_IP_MAX_FAILURES: '6',
      LOGIN_LOCK_MINUTES: '5',
      LOGIN_DELAY_MS: '0',
    });
    admin = await setupFirstAdmin(app);
    auditor = await createUser(app, 'auditor');
  });
  afterAll(() => app.close());

  let address = 0;
  /** A fresh client address per test, so the per-address lock of one test does not leak into another. */
  const freshAddress = (): string => `192.0.2.${++address}`;

  const login = (username: string, password: string, remoteAddress: string) =>
    app.inject({
      method: 'POST',
      url: '/api/prism/auth/login',
      remoteAddress,
      payload: { username, password },
    });

  it('locks an account after repeated failures from any addresses, even for the right password', async () => {
    const user = await createUser(app, 'finops');
    for (let i = 0; i < 3; i++) {
      expect((await login(user.username, 'wrong-password-x', freshAddress())).statusCode).toBe(401);
    }
    const locked = await login(user.username, user.password, freshAddress());
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ statusCode: 429, details: { code: 'login_locked' } });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(200);
  });

  it('answers an unknown account exactly like a locked real one (nothing reveals existence)', async () => {
    const user = await createUser(app, 'finops');
    const ghost = `ghost-${Date.now()}`;
    for (const name of [user.username, ghost]) {
      for (let i = 0; i < 3; i++) await login(name, 'wrong-password-x', freshAddress());
    }
    const real = await login(user.username, 'wrong-password-x', freshAddress());
    const unknown = await login(ghost, 'wrong-password-x', freshAddress());
    expect(real.statusCode).toBe(unknown.statusCode);
    expect(real.json().message).toBe(unknown.json().message);
    expect(real.json().details.code).toBe(unknown.json().details.code);
  });

  it('a success before the limit clears the account count', async () => {
    const user = await createUser(app, 'finops');
    for (let round = 0; round < 3; round++) {
      await login(user.username, 'wrong-password-x', freshAddress());
      await login(user.username, 'wrong-password-x', freshAddress());
      expect((await login(user.username, user.password, freshAddress())).statusCode).toBe(200);
    }
  });

  it('locks a client address that sprays many accounts; other addresses are unaffected', async () => {
    const from = freshAddress();
    for (let i = 0; i < 6; i++) {
      expect((await login(`spray-${i}-${Date.now()}`, 'wrong-password-x', from)).statusCode).toBe(401);
    }
    const user = await createUser(app, 'finops');
    expect((await login(user.username, user.password, from)).statusCode).toBe(429);
    expect((await login(user.username, user.password, freshAddress())).statusCode).toBe(200);
  });

  it('records the lockout in the audit log and lets an admin unlock the account', async () => {
    const user = await createUser(app, 'finops');
    for (let i = 0; i < 3; i++) await login(user.username, 'wrong-password-x', freshAddress());
    const events = await app.inject({
      method: 'GET',
      url: `/api/prism/admin/audit?action=auth.lockout&actor=${user.username}`,
      headers: bearer(auditor.token),
    });
    expect(events.json().items).toHaveLength(1);
    expect(events.json().items[0]).toMatchObject({
      action: 'auth.lockout',
      targetLabel: user.username,
      outcome: 'failure',
      details: { scope: 'account', failures: 3 },
    });

    const denied = await app.inject({
      method: 'POST',
      url: `/api/prism/admin/users/${user.id}/unlock`,
      headers: bearer(auditor.token),
    });
    expect(denied.statusCode).toBe(403);
    const unlocked = await app.inject({
      method: 'POST',
      url: `/api/prism/admin/users/${user.id}/unlock`,
      headers: bearer(admin.token),
    });
    expect(unlocked.statusCode).toBe(200);
    expect(unlocked.json()).toMatchObject({ id: user.id, username: user.username });
    expect((await login(user.username, TEST_PASSWORD, freshAddress())).statusCode).toBe(200);
    const unlockEvents = await app.inject({
      method: 'GET',
      url: `/api/prism/admin/audit?action=user.unlock&targetId=${user.id}`,
      headers: bearer(auditor.token),
    });
    expect(unlockEvents.json().items[0]).toMatchObject({ actor: { username: admin.username } });
  });

  it('unlock of an unknown user is a 404', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/prism/admin/users/000000000000000000000000/unlock',
      headers: bearer(admin.token),
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('login protection: growing delay', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startTestApp({
      NODE_ROLE: 'control',
      AUTH_RATE_LIMIT_PER_MIN: '1000',
      LOGIN_MAX_FAILURES: '10',
      LOGIN_DELAY_MS: '150',
    });
  });
  afterAll(() => app.close());

  it('answers the first failures at once and later ones later and later', async () => {
    const user = await createUser(app, 'finops');
    // One successful login first, so the first measured failure does not also pay the route's
    // cold start (bcrypt, first queries: 726 ms once in CI, longer than the 600 ms delay).
    const warm = await app.inject({
      method: 'POST',
      url: '/api/prism/auth/login',
      payload: { username: user.username, password: user.password },
    });
    expect(warm.statusCode).toBe(200);
    const durations: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const res = await app.inject({
        method: 'POST',
        url: '/api/prism/auth/login',
        payload: { username: user.username, password: 'wrong-password-x' },
      });
      expect(res.statusCode).toBe(401);
      durations.push(Date.now() - started);
    }
    // Failures 1-2 free, then 150, 300, 600 ms.
    expect(durations[2]).toBeGreaterThanOrEqual(150);
    expect(durations[3]).toBeGreaterThanOrEqual(300);
    expect(durations[4]).toBeGreaterThanOrEqual(600);
    expect(durations[0]).toBeLessThan(durations[4]!);
  });
});
