import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { USER_CACHE_TTL_MS } from '../src/modules/auth/users/user-cache';
import { startTestApp } from './support/app';
import { bearer, createUser, setupFirstAdmin, type TestUser } from './support/auth';

const POLL_MS = 250;

/** Issue 15 item 3: revocation is immediate on the pod that made it, and reaches other pods by the bus. */
describe('session revocation across two control pods', () => {
  let podA: NestFastifyApplication;
  let podB: NestFastifyApplication;
  let admin: TestUser;

  beforeAll(async () => {
    const env = { NODE_ROLE: 'control', CONFIG_POLL_INTERVAL_MS: String(POLL_MS) };
    podA = await startTestApp(env);
    podB = await startTestApp(env);
    admin = await setupFirstAdmin(podA);
  });
  afterAll(async () => {
    await podB.close();
    await podA.close();
  });

  const me = (pod: NestFastifyApplication, token: string) =>
    pod.inject({ method: 'GET', url: '/api/prism/auth/me', headers: bearer(token) });
  const asAdmin = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    podA.inject({ method, url: `/api/prism/${url}`, headers: bearer(admin.token), payload });

  /** Polls pod B until it answers `status`; returns how long that took. */
  async function msUntil(token: string, accept: (status: number, role: string) => boolean): Promise<number> {
    const started = Date.now();
    for (;;) {
      const res = await me(podB, token);
      const role = res.statusCode === 200 ? (res.json<{ role: string }>().role ?? '') : '';
      if (accept(res.statusCode, role)) return Date.now() - started;
      if (Date.now() - started > 10_000) throw new Error(`pod B still answers ${res.statusCode}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Both pods have the user cached (200), then `revoke` runs on pod A. */
  async function revokeAndMeasure(
    user: TestUser,
    revoke: () => Promise<unknown>,
    accept: (status: number, role: string) => boolean = (s) => s === 401,
  ): Promise<{ sameStatus: number; sameRole: string; otherMs: number }> {
    expect((await me(podA, user.token)).statusCode).toBe(200);
    expect((await me(podB, user.token)).statusCode).toBe(200);
    // Requests racing the revocation on pod A must not put the old record back into its cache.
    const racing = Array.from({ length: 10 }, () => me(podA, user.token));
    await revoke();
    await Promise.all(racing);
    const same = await me(podA, user.token);
    return {
      sameStatus: same.statusCode,
      sameRole: same.statusCode === 200 ? same.json<{ role: string }>().role : '',
      otherMs: await msUntil(user.token, accept),
    };
  }

  // Well under the cache TTL: pod B learnt it from the config bus, not from its entry expiring.
  const busBound = Math.min(USER_CACHE_TTL_MS - 1_000, POLL_MS * 8);

  it('logout', async () => {
    const user = await createUser(podA, 'finops');
    const result = await revokeAndMeasure(user, () =>
      podA.inject({ method: 'POST', url: '/api/prism/auth/logout', headers: bearer(user.token) }),
    );
    expect(result.sameStatus).toBe(401);
    expect(result.otherMs).toBeLessThan(busBound);
  });

  it('disable', async () => {
    const user = await createUser(podA, 'finops');
    const result = await revokeAndMeasure(user, () => asAdmin('POST', `admin/users/${user.id}/disable`));
    expect(result.sameStatus).toBe(401);
    expect(result.otherMs).toBeLessThan(busBound);
  });

  it('delete', async () => {
    const user = await createUser(podA, 'finops');
    const result = await revokeAndMeasure(user, () => asAdmin('DELETE', `admin/users/${user.id}`));
    expect(result.sameStatus).toBe(401);
    expect(result.otherMs).toBeLessThan(busBound);
  });

  it('password change (by the user) and password reset (by an admin)', async () => {
    const user = await createUser(podA, 'finops');
    const changed = await revokeAndMeasure(user, () =>
      podA.inject({
        method: 'POST',
        url: '/api/prism/auth/password',
        headers: bearer(user.token),
        payload: { currentPassword: user.password, newPassword: 'a-brand-new-password-1' },
      }),
    );
    expect(changed.sameStatus).toBe(401);
    expect(changed.otherMs).toBeLessThan(busBound);

    const other = await createUser(podA, 'finops');
    const reset = await revokeAndMeasure(other, () =>
      asAdmin('POST', `admin/users/${other.id}/reset-password`, { password: 'an-admin-chosen-password' }),
    );
    expect(reset.sameStatus).toBe(401);
    expect(reset.otherMs).toBeLessThan(busBound);
  });

  it('role change applies at once here and within the bus interval there', async () => {
    const user = await createUser(podA, 'maintainer');
    const result = await revokeAndMeasure(
      user,
      () => asAdmin('PATCH', `admin/users/${user.id}`, { role: 'auditor' }),
      (status, role) => status === 200 && role === 'auditor',
    );
    expect(result.sameStatus).toBe(200);
    expect(result.sameRole).toBe('auditor');
    expect(result.otherMs).toBeLessThan(busBound);
  });
});
