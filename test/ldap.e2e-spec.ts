import { getConnectionToken } from '@nestjs/mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Connection } from 'mongoose';

import { startTestApp } from './support/app';
import { bearer, loginOverHttp, setupFirstAdmin, type TestUser } from './support/auth';
import { LDAP_USERS, startSlapd, type TestLdapServer } from './support/ldap/slapd';
import { freePort } from './support/test-database';

describe('LDAP login against a real slapd', () => {
  let app: NestFastifyApplication;
  let ldap: TestLdapServer;
  let admin: TestUser;

  const put = (payload: object) =>
    app.inject({
      method: 'PUT',
      url: '/api/prism/admin/settings/ldap',
      headers: bearer(admin.token),
      payload,
    });
  const testLdap = (payload: object) =>
    app.inject({
      method: 'POST',
      url: '/api/prism/admin/settings/ldap/test',
      headers: bearer(admin.token),
      payload,
    });
  const users = async () =>
    (
      await app.inject({
        method: 'GET',
        url: '/api/prism/admin/users?pageSize=200',
        headers: bearer(admin.token),
      })
    ).json<{ items: { id: string; username: string; role: string; rolePinned: boolean; source: string }[] }>()
      .items;

  beforeAll(async () => {
    ldap = await startSlapd();
    app = await startTestApp({ NODE_ROLE: 'control', AUTH_RATE_LIMIT_PER_MIN: '1000' });
    admin = await setupFirstAdmin(app);
    const res = await put({
      enabled: true,
      url: ldap.url,
      bindDn: ldap.bindDn,
      bindPassword: ldap.bindPassword,
      searchBase: ldap.baseDn,
      searchFilter: '(uid={{username}})',
      groupSearchBase: `ou=groups,${ldap.baseDn}`,
      groupSearchFilter: '(member={{dn}})',
      groupMappings: [
        { group: `cn=prism-admins,ou=groups,${ldap.baseDn}`, role: 'admin' },
        { group: 'finance', role: 'finops' },
        { group: 'team-a', role: 'tenant-admin', tenantIds: ['tenant-a'] },
      ],
      defaultRole: null,
    });
    expect(res.statusCode).toBe(200);
  });
  afterAll(async () => {
    try {
      await app?.close();
    } finally {
      await ldap?.stop();
    }
  });

  it('stores the bind password encrypted and never returns it', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/prism/admin/settings/ldap',
      headers: bearer(admin.token),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ enabled: true, url: ldap.url, bindPassword: '********' });
    expect(res.body).not.toContain(ldap.bindPassword);
    const stored = await app
      .get<Connection>(getConnectionToken())
      .collection('auth_settings')
      .findOne({ _id: 'ldap' as never });
    expect(stored?.bindPassword).toMatch(/^enc:[0-9a-f]+:[0-9a-f]+:[0-9a-f]+$/);
    expect(JSON.stringify(stored)).not.toContain(ldap.bindPassword);
    // Sending the mask back keeps the password: logins keep working after an unrelated edit.
    expect((await put({ bindPassword: '********', timeoutMs: 4000 })).statusCode).toBe(200);
    const status = await app.inject({ method: 'GET', url: '/api/prism/setup/status' });
    expect(status.json()).toEqual({ needsSetup: false, setupComplete: false, ldapEnabled: true });
  });

  it('a good password logs in, creates the user from LDAP and maps the group to a role', async () => {
    const res = await loginOverHttp(app, 'alice', LDAP_USERS.alice.password);
    expect(res.statusCode).toBe(200);
    expect(res.body.user).toMatchObject({
      username: 'alice',
      role: 'admin',
      source: 'ldap',
      mustChangePassword: false,
    });
    const created = (await users()).find((u) => u.username === 'alice');
    expect(created).toMatchObject({ source: 'ldap', role: 'admin', rolePinned: false });
    const me = await app.inject({
      method: 'GET',
      url: '/api/prism/auth/me',
      headers: bearer(res.body.accessToken as string),
    });
    expect(me.json()).toMatchObject({ username: 'alice', role: 'admin' });
  });

  it('maps other groups (finops; tenant-admin with its tenants) and refuses users in no mapped group', async () => {
    const bob = await loginOverHttp(app, 'Bob', LDAP_USERS.bob.password);
    expect(bob.statusCode).toBe(200);
    expect(bob.body.user).toMatchObject({ username: 'bob', role: 'finops', tenantIds: [] });
    const carol = await loginOverHttp(app, 'carol', LDAP_USERS.carol.password);
    expect(carol.body.user).toMatchObject({ role: 'tenant-admin', tenantIds: ['tenant-a'] });
    const dave = await loginOverHttp(app, 'dave', LDAP_USERS.dave.password);
    expect(dave.statusCode).toBe(401);
    expect((await users()).some((u) => u.username === 'dave')).toBe(false);
  });

  it('concurrent first logins of the same directory user create one account', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () => loginOverHttp(app, 'erin', LDAP_USERS.erin.password)),
    );
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect((await users()).filter((u) => u.username === 'erin')).toHaveLength(1);
  });

  it('a bad password or an unknown user is refused with 401', async () => {
    expect((await loginOverHttp(app, 'alice', 'wrong-password')).statusCode).toBe(401);
    expect((await loginOverHttp(app, 'mallory', 'whatever-password')).statusCode).toBe(401);
  });

  it('filter injection attempts are escaped and rejected', async () => {
    for (const attempt of ['*)(uid=*', '*', 'alice)(|(uid=*', 'al*', '*)(|(objectClass=*)', 'alice\\2a']) {
      const res = await loginOverHttp(app, attempt, LDAP_USERS.alice.password);
      expect(res.statusCode).toBe(401);
    }
    const names = (await users()).map((u) => u.username);
    expect(names.filter((n) => n.includes('*') || n.includes('('))).toEqual([]);
  });

  it('later logins refresh the group role, but never override a role an admin pinned', async () => {
    const bob = (await users()).find((u) => u.username === 'bob')!;
    const pinned = await app.inject({
      method: 'PATCH',
      url: `/api/prism/admin/users/${bob.id}`,
      headers: bearer(admin.token),
      payload: { role: 'auditor' },
    });
    expect(pinned.statusCode).toBe(200);
    expect(pinned.json()).toMatchObject({ role: 'auditor', rolePinned: true });
    expect((await loginOverHttp(app, 'bob', LDAP_USERS.bob.password)).body.user).toMatchObject({
      role: 'auditor',
    });

    await app.inject({
      method: 'PATCH',
      url: `/api/prism/admin/users/${bob.id}`,
      headers: bearer(admin.token),
      payload: { rolePinned: false },
    });
    expect((await loginOverHttp(app, 'bob', LDAP_USERS.bob.password)).body.user).toMatchObject({
      role: 'finops',
    });
  });

  it('LDAP users cannot have a local password set or changed', async () => {
    const carol = (await users()).find((u) => u.username === 'carol')!;
    const res = await app.inject({
      method: 'POST',
      url: `/api/prism/admin/users/${carol.id}/reset-password`,
      headers: bearer(admin.token),
      payload: { password: 'a-local-password-1' },
    });
    expect(res.statusCode).toBe(400);
  });

  it('settings/ldap/test reports each step: connect, bind, search, authenticate, role', async () => {
    const basic = await testLdap({});
    expect(basic.statusCode).toBe(200);
    expect(basic.json().ok).toBe(true);
    expect(basic.json().steps.map((s: { step: string }) => s.step)).toEqual(['connect', 'bind', 'search']);

    const full = await testLdap({ username: 'carol', password: LDAP_USERS.carol.password });
    expect(full.json().ok).toBe(true);
    expect(full.json().steps.map((s: { step: string }) => s.step)).toEqual([
      'connect',
      'bind',
      'search',
      'authenticate',
      'role',
    ]);
    expect(full.json().steps.at(-1).details).toMatchObject({ role: 'tenant-admin', tenantIds: ['tenant-a'] });
    expect(full.body).not.toContain(ldap.bindPassword);

    const lookup = await testLdap({ username: 'bob' });
    expect(lookup.json().steps.map((s: { step: string }) => s.step)).toEqual([
      'connect',
      'bind',
      'search',
      'groups',
      'role',
    ]);

    const badBind = await testLdap({ settings: { bindPassword: 'not-the-secret' } });
    expect(badBind.json().ok).toBe(false);
    expect(badBind.json().steps.at(-1)).toMatchObject({ step: 'bind', ok: false });

    const noUser = await testLdap({ username: '*)(uid=*' });
    expect(noUser.json().ok).toBe(false);
    expect(noUser.json().steps.at(-1)).toMatchObject({ step: 'search', ok: false });

    const closedPort = await freePort();
    const down = await testLdap({ settings: { url: `ldap://127.0.0.1:${closedPort}`, timeoutMs: 1000 } });
    expect(down.statusCode).toBe(200);
    expect(down.json()).toMatchObject({ ok: false, steps: [{ step: 'connect', ok: false }] });
  });

  it('TLS: checks the server certificate against the configured CA; skip-verify really skips', async () => {
    const alice = { username: 'alice', password: LDAP_USERS.alice.password };
    const untrusted = await testLdap({ settings: { url: ldap.ldapsUrl }, ...alice });
    expect(untrusted.json()).toMatchObject({ ok: false, steps: [{ step: 'connect', ok: false }] });
    const trusted = await testLdap({ settings: { url: ldap.ldapsUrl, tlsCaCert: ldap.caPem }, ...alice });
    expect(trusted.json()).toMatchObject({ ok: true });
    const skipped = await testLdap({ settings: { url: ldap.ldapsUrl, tlsSkipVerify: true }, ...alice });
    expect(skipped.json()).toMatchObject({ ok: true });

    const startTlsUntrusted = await testLdap({ settings: { startTls: true }, ...alice });
    expect(startTlsUntrusted.json().steps.at(-1)).toMatchObject({ step: 'starttls', ok: false });
    const startTls = await testLdap({ settings: { startTls: true, tlsCaCert: ldap.caPem }, ...alice });
    expect(startTls.json().ok).toBe(true);
    expect(startTls.json().steps.map((s: { step: string }) => s.step)).toContain('starttls');

    // The real login path honours the same settings.
    expect((await put({ url: ldap.ldapsUrl, tlsCaCert: ldap.caPem })).statusCode).toBe(200);
    expect((await loginOverHttp(app, 'alice', LDAP_USERS.alice.password)).statusCode).toBe(200);
    expect((await put({ tlsCaCert: '' })).statusCode).toBe(200);
    expect((await loginOverHttp(app, 'alice', LDAP_USERS.alice.password)).statusCode).toBe(503);
    expect((await put({ url: ldap.url })).statusCode).toBe(200);
  });

  it('rejects bad settings with 400 and field messages', async () => {
    const cases: [object, string][] = [
      [{ url: 'http://ldap.example.org' }, 'url'],
      [{ searchFilter: '(uid=admin)' }, 'searchFilter'],
      [{ searchFilter: '(uid={{username}}' }, 'searchFilter'],
      [{ defaultRole: 'admin' }, 'defaultRole'],
      [{ groupMappings: [{ group: 'x', role: 'superuser' }] }, 'groupMappings[0].role'],
      [{ timeoutMs: 'soon' }, 'timeoutMs'],
      [{ enabled: 'yes' }, 'enabled'],
      [{ tlsCaCert: 'not a pem' }, 'tlsCaCert'],
      [{ url: `ldap://${'a'.repeat(10_000)}` }, 'url'],
      [{ surprise: true }, 'surprise'],
    ];
    for (const [payload, field] of cases) {
      const res = await put(payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });

  it('answers 503 (not 500) when the directory is unreachable', async () => {
    const closedPort = await freePort();
    expect((await put({ url: `ldap://127.0.0.1:${closedPort}`, timeoutMs: 1000 })).statusCode).toBe(200);
    const res = await loginOverHttp(app, 'somebody', 'some-password');
    expect(res.statusCode).toBe(503);
    expect(res.body.details).toEqual({ code: 'ldap_unavailable' });
    await put({ url: ldap.url });
  });
});
