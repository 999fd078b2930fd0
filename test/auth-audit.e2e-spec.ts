import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { AuditService } from '../src/modules/audit';
import { startTestApp } from './support/app';
import { bearer, createUser, loginOverHttp, setupFirstAdmin, type TestUser } from './support/auth';

interface AuditEvent {
  id: string;
  at: string;
  actor: { id: string | null; username: string; role: string | null };
  action: string;
  targetType: string;
  targetId: string | null;
  targetLabel: string | null;
  changes: Record<string, { from: unknown; to: unknown }> | null;
  details: Record<string, unknown> | null;
  outcome: 'success' | 'failure';
  ip: string | null;
  requestId: string | null;
}

describe('audit log', () => {
  let app: NestFastifyApplication;
  let admin: TestUser;
  let auditor: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ NODE_ROLE: 'control', AUTH_RATE_LIMIT_PER_MIN: '1000' });
    admin = await setupFirstAdmin(app);
    auditor = await createUser(app, 'auditor');
  });
  afterAll(async () => {
    await app.close();
  });

  async function audit(
    query = '',
  ): Promise<{ items: AuditEvent[]; total: number; page: number; pageSize: number }> {
    const res = await app.inject({
      method: 'GET',
      url: `/api/prism/admin/audit${query}`,
      headers: bearer(auditor.token),
    });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  it('records who created a user, from where, with which request id, without the password', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/prism/admin/users',
      headers: { ...bearer(admin.token), 'x-request-id': 'req-create-user-1' },
      remoteAddress: '192.0.2.7',
      payload: { username: 'audited-user', password: 'a-secret-password', role: 'finops' },
    });
    expect(res.statusCode).toBe(201);
    const { items } = await audit(`?action=user.create&targetId=${res.json().id}`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      actor: { id: admin.id, username: admin.username, role: 'admin' },
      action: 'user.create',
      targetType: 'user',
      targetLabel: 'audited-user',
      outcome: 'success',
      ip: '192.0.2.7',
      requestId: 'req-create-user-1',
      changes: { username: { from: null, to: 'audited-user' }, role: { from: null, to: 'finops' } },
    });
    expect(JSON.stringify(items)).not.toMatch(/a-secret-password|\$2[aby]\$/);
  });

  it('records field diffs of updates and password resets without secrets', async () => {
    const user = await createUser(app, 'tenant-viewer', { tenantIds: ['t1'] });
    await app.inject({
      method: 'PATCH',
      url: `/api/prism/admin/users/${user.id}`,
      headers: bearer(admin.token),
      payload: { role: 'tenant-admin', tenantIds: ['t1', 't2'] },
    });
    await app.inject({
      method: 'POST',
      url: `/api/prism/admin/users/${user.id}/reset-password`,
      headers: bearer(admin.token),
      payload: { password: 'reset-password-123' },
    });
    const { items } = await audit(`?targetType=user&targetId=${user.id}`);
    const update = items.find((e) => e.action === 'user.update')!;
    expect(update.changes).toEqual({
      role: { from: 'tenant-viewer', to: 'tenant-admin' },
      tenantIds: { from: ['t1'], to: ['t1', 't2'] },
    });
    const reset = items.find((e) => e.action === 'user.reset_password')!;
    expect(reset.details).toMatchObject({ passwordChanged: true });
    expect(JSON.stringify(items)).not.toMatch(/reset-password-123|\$2[aby]\$/);
  });

  it('masks secrets in settings diffs', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/api/prism/admin/settings/ldap',
      headers: bearer(admin.token),
      payload: { url: 'ldap://directory.example.org', bindDn: 'cn=svc', bindPassword: 'ldap-bind-secret' },
    });
    expect(res.statusCode).toBe(200);
    const { items } = await audit('?action=settings.ldap.update');
    expect(items[0]!.changes).toMatchObject({
      url: { from: '', to: 'ldap://directory.example.org' },
      bindPassword: { from: null, to: '********' },
    });
    expect(JSON.stringify(items)).not.toMatch(/ldap-bind-secret|enc:/);
  });

  it('keeps diffs whose field paths or keys contain dots (nested settings, model names)', async () => {
    await app.get(AuditService).record({
      action: 'tenant.update',
      target: { type: 'tenant', id: 'dotted', label: 'dotted' },
      before: { auth: { type: 'bearer' }, aliases: { 'gpt-4.1': 'a' } },
      after: { auth: { type: 'none' }, aliases: { 'gpt-4.1': 'b', 'claude-3.5': 'c' } },
      details: { 'model.name': 'gpt-4.1' },
    });
    const { items } = await audit('?targetType=tenant&targetId=dotted');
    expect(items).toHaveLength(1);
    expect(items[0]!.changes).toMatchObject({ 'auth.type': { from: 'bearer', to: 'none' } });
    expect(Object.keys(items[0]!.changes ?? {}).length).toBeGreaterThanOrEqual(3);
    expect(items[0]!.details).toEqual({ 'model.name': 'gpt-4.1' });
  });

  it('records logins and failed logins', async () => {
    const user = await createUser(app, 'maintainer');
    await loginOverHttp(app, user.username, 'definitely-wrong');
    await loginOverHttp(app, user.username, user.password);
    const failed = await audit(`?action=auth.login_failed&actor=${user.username}`);
    expect(failed.items[0]).toMatchObject({
      outcome: 'failure',
      actor: { username: user.username },
      details: { reason: 'invalid_credentials' },
    });
    const ok = await audit(`?action=auth.login&actor=${user.username.toUpperCase()}`);
    expect(ok.items[0]).toMatchObject({ outcome: 'success', actor: { id: user.id, role: 'maintainer' } });
  });

  it('filters by action prefix, date range and pages newest first', async () => {
    const all = await audit('?action=user.*&pageSize=200');
    expect(all.items.length).toBeGreaterThan(2);
    expect(all.items.every((e) => e.action.startsWith('user.'))).toBe(true);
    const times = all.items.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const page2 = await audit('?action=user.*&pageSize=1&page=2');
    expect(page2).toMatchObject({ page: 2, pageSize: 1, total: all.total });
    expect(page2.items[0]!.id).toBe(all.items[1]!.id);

    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await audit(`?from=${encodeURIComponent(future)}`)).total).toBe(0);
    const past = new Date(Date.now() - 3600_000).toISOString();
    expect((await audit(`?to=${encodeURIComponent(past)}`)).total).toBe(0);
  });

  it('rejects bad filters with 400 and field messages', async () => {
    for (const [query, field] of [
      ['?pageSize=0', 'pageSize'],
      ['?pageSize=1000', 'pageSize'],
      ['?page=abc', 'page'],
      ['?from=yesterday', 'from'],
      ['?action=drop%20table', 'action'],
      ['?outcome=maybe', 'outcome'],
      ['?unknown=1', 'unknown'],
      [
        `?from=${encodeURIComponent(new Date().toISOString())}&to=${encodeURIComponent(new Date(0).toISOString())}`,
        'from',
      ],
    ] as const) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/prism/admin/audit${query}`,
        headers: bearer(auditor.token),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });
});
