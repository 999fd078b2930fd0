import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { UsersService } from '../src/modules/auth/users/users.service';
import { startTestApp } from './support/app';
import {
  bearer,
  createUser,
  loginOverHttp,
  setupFirstAdmin,
  TEST_PASSWORD,
  type TestUser,
} from './support/auth';

describe('admin/users', () => {
  let app: NestFastifyApplication;
  let admin: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ NODE_ROLE: 'control', AUTH_RATE_LIMIT_PER_MIN: '1000' });
    admin = await setupFirstAdmin(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const as = (user: TestUser | string) => bearer(typeof user === 'string' ? user : user.token);
  const me = (token: string) =>
    app.inject({ method: 'GET', url: '/api/prism/auth/me', headers: bearer(token) });

  it('an admin creates a local user who must change the chosen password at first login', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/prism/admin/users',
      headers: as(admin),
      payload: {
        username: 'New.Viewer',
        password: 'temporary-password',
        role: 'tenant-viewer',
        tenantIds: ['t1', 't1', 't2'],
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      username: 'new.viewer',
      role: 'tenant-viewer',
      tenantIds: ['t1', 't2'],
      source: 'local',
      active: true,
      mustChangePassword: true,
      rolePinned: false,
    });
    expect(res.body).not.toMatch(/passwordHash|temporary-password|\$2[aby]\$/);
    const login = await loginOverHttp(app, 'new.viewer', 'temporary-password');
    expect(login.body.user).toMatchObject({ mustChangePassword: true, tenantIds: ['t1', 't2'] });

    const duplicate = await app.inject({
      method: 'POST',
      url: '/api/prism/admin/users',
      headers: as(admin),
      payload: { username: 'NEW.VIEWER', password: 'temporary-password', role: 'finops' },
    });
    expect(duplicate.statusCode).toBe(409);
  });

  it('lists users without password hashes; reads 404 for unknown ids', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/prism/admin/users', headers: as(admin) });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toMatch(/passwordHash|\$2[aby]\$/);
    expect(list.json()).toMatchObject({ page: 1, pageSize: 50 });
    expect(list.json().items.length).toBeGreaterThanOrEqual(2);
    expect(list.json().total).toBe(list.json().items.length);
    for (const id of ['0123456789abcdef01234567', 'not-an-id']) {
      expect(
        (await app.inject({ method: 'GET', url: `/api/prism/admin/users/${id}`, headers: as(admin) }))
          .statusCode,
      ).toBe(404);
    }
  });

  it('pages and filters the list on the server (search, role, source, active)', async () => {
    const names = ['pager-a', 'pager-b', 'pager-c', 'pager-d', 'pager-e'];
    for (const [i, username] of names.entries()) {
      const user = await createUser(app, i < 3 ? 'finops' : 'tenant-viewer', { username });
      if (i !== 4) continue;
      const disabled = await app.inject({
        method: 'POST',
        url: `/api/prism/admin/users/${user.id}/disable`,
        headers: as(admin),
      });
      expect(disabled.statusCode).toBe(200);
    }
    const list = async (query: string) => {
      const res = await app.inject({
        method: 'GET',
        url: `/api/prism/admin/users?${query}`,
        headers: as(admin),
      });
      expect(res.statusCode).toBe(200);
      return res.json<{ items: { username: string }[]; total: number; page: number; pageSize: number }>();
    };
    const usernames = (page: { items: { username: string }[] }) => page.items.map((u) => u.username);

    const first = await list('search=PAGER&pageSize=2');
    expect(first).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(usernames(first)).toEqual(['pager-a', 'pager-b']);
    expect(usernames(await list('search=pager&pageSize=2&page=3'))).toEqual(['pager-e']);
    expect(usernames(await list('search=pager&role=tenant-viewer'))).toEqual(['pager-d', 'pager-e']);
    expect(usernames(await list('search=pager&active=false'))).toEqual(['pager-e']);
    expect((await list('search=pager&active=true&role=finops&source=local')).total).toBe(3);
    expect((await list('search=pager&source=ldap')).total).toBe(0);
    // The search is a literal substring, not a regular expression.
    expect((await list('search=pager.*')).total).toBe(0);

    for (const [query, field] of [
      ['page=0', 'page'],
      ['pageSize=500', 'pageSize'],
      ['role=root', 'role'],
      ['source=saml', 'source'],
      ['active=maybe', 'active'],
      ['search=' + 'x'.repeat(65), 'search'],
      ['sort=username', 'sort'],
    ]) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/prism/admin/users?${query}`,
        headers: as(admin),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });

  it('role and tenant changes apply to existing sessions at once (roles are not frozen in the token)', async () => {
    const user = await createUser(app, 'tenant-viewer', { tenantIds: ['a'] });
    expect((await me(user.token)).json()).toMatchObject({ role: 'tenant-viewer', tenantIds: ['a'] });
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/prism/admin/users/${user.id}`,
      headers: as(admin),
      payload: { role: 'finops', tenantIds: [] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().rolePinned).toBe(false);
    expect((await me(user.token)).json()).toMatchObject({ role: 'finops', tenantIds: [] });
  });

  it('only admins manage users: no privilege escalation for any other role', async () => {
    for (const role of ['maintainer', 'auditor', 'finops', 'tenant-admin', 'tenant-viewer'] as const) {
      const user = await createUser(app, role);
      const create = await app.inject({
        method: 'POST',
        url: '/api/prism/admin/users',
        headers: as(user),
        payload: { username: `sneaky-${role}`, password: TEST_PASSWORD, role: 'admin' },
      });
      expect(create.statusCode).toBe(403);
      const promote = await app.inject({
        method: 'PATCH',
        url: `/api/prism/admin/users/${user.id}`,
        headers: as(user),
        payload: { role: 'admin' },
      });
      expect(promote.statusCode).toBe(403);
      expect((await me(user.token)).json().role).toBe(role);
    }
  });

  it('nobody can demote, disable or delete themselves', async () => {
    const self = `/api/prism/admin/users/${admin.id}`;
    const demote = await app.inject({
      method: 'PATCH',
      url: self,
      headers: as(admin),
      payload: { role: 'auditor' },
    });
    expect(demote.statusCode).toBe(403);
    expect(demote.json().details).toEqual({ code: 'self_modification' });
    expect(
      (await app.inject({ method: 'POST', url: `${self}/disable`, headers: as(admin) })).statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ method: 'PATCH', url: self, headers: as(admin), payload: { active: false } }))
        .statusCode,
    ).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: self, headers: as(admin) })).statusCode).toBe(403);
    expect((await me(admin.token)).json().role).toBe('admin');
  });

  it('the last active admin can never be demoted, disabled or deleted', async () => {
    const service = app.get(UsersService);
    const admins = (await service.list({ role: 'admin', active: true, skip: 0, limit: 200 })).items;
    // Leave exactly one active admin (the setup admin), then let a stale admin session try.
    const stale = {
      id: '0123456789abcdef01234567',
      username: 'ghost',
      role: 'admin' as const,
      tenantIds: [],
      source: 'local' as const,
      mustChangePassword: false,
    };
    for (const other of admins.filter((u) => u._id.toString() !== admin.id)) {
      await service.update(stale, other._id.toString(), { role: 'auditor' });
    }
    await expect(service.update(stale, admin.id, { role: 'finops' })).rejects.toMatchObject({ status: 409 });
    await expect(service.update(stale, admin.id, { active: false })).rejects.toMatchObject({ status: 409 });
    await expect(service.delete(stale, admin.id)).rejects.toMatchObject({ status: 409 });
    expect((await me(admin.token)).json().role).toBe('admin');
  });

  it('deleting a user ends their sessions; admins can delete other admins while one remains', async () => {
    const second = await createUser(app, 'admin');
    const res = await app.inject({
      method: 'DELETE',
      url: `/api/prism/admin/users/${second.id}`,
      headers: as(admin),
    });
    expect(res.statusCode).toBe(204);
    expect((await me(second.token)).statusCode).toBe(401);
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/prism/admin/users/${second.id}`, headers: as(admin) }))
        .statusCode,
    ).toBe(404);
  });

  it('reset-password revokes the old sessions and forces a change at next login', async () => {
    const user = await createUser(app, 'maintainer');
    const res = await app.inject({
      method: 'POST',
      url: `/api/prism/admin/users/${user.id}/reset-password`,
      headers: as(admin),
      payload: { password: 'reset-by-the-admin' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().mustChangePassword).toBe(true);
    expect((await me(user.token)).statusCode).toBe(401);
    expect((await loginOverHttp(app, user.username, TEST_PASSWORD)).statusCode).toBe(401);
    const login = await loginOverHttp(app, user.username, 'reset-by-the-admin');
    expect(login.body.user).toMatchObject({ mustChangePassword: true });
  });

  it('rejects bad input with 400 and field messages (never 500)', async () => {
    const target = await createUser(app, 'finops');
    const cases: [string, string, object, string][] = [
      [
        'POST',
        '/api/prism/admin/users',
        { username: 'x1-user', password: TEST_PASSWORD, role: 'root' },
        'role',
      ],
      [
        'POST',
        '/api/prism/admin/users',
        { username: 'x2-user', password: TEST_PASSWORD, role: 'finops', tenantIds: 'a' },
        'tenantIds',
      ],
      [
        'POST',
        '/api/prism/admin/users',
        { username: 'x3-user', password: TEST_PASSWORD, role: 'finops', tenantIds: ['$where'] },
        'tenantIds',
      ],
      [
        'POST',
        '/api/prism/admin/users',
        { username: 'x4-user', password: TEST_PASSWORD, role: 'finops', extra: 1 },
        'extra',
      ],
      [
        'POST',
        '/api/prism/admin/users',
        { username: { $ne: null }, password: TEST_PASSWORD, role: 'finops' },
        'username',
      ],
      [
        'POST',
        '/api/prism/admin/users',
        { username: 'x5-user', password: 'p'.repeat(1_000_000), role: 'finops' },
        'password',
      ],
      ['PATCH', `/api/prism/admin/users/${target.id}`, { active: 'no' }, 'active'],
      [
        'PATCH',
        `/api/prism/admin/users/${target.id}`,
        { tenantIds: Array.from({ length: 500 }, (_, i) => `t${i}`) },
        'tenantIds',
      ],
      ['PATCH', `/api/prism/admin/users/${target.id}`, { passwordHash: 'x' }, 'passwordHash'],
      ['POST', `/api/prism/admin/users/${target.id}/reset-password`, { password: 'short' }, 'password'],
    ];
    for (const [method, url, payload, field] of cases) {
      const res = await app.inject({ method: method as 'POST', url, headers: as(admin), payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });
});
