import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { loadConfig } from '../src/core/config';
import { escapeFilterValue } from '../src/modules/auth/ldap/ldap-filter';
import { bearer, createUserAndLogin, type TestUser } from './support/auth';
import { useDefectsHarness } from './support/defects';
import { publishConfig, seedProvider, seedTenant, type SeededTenant } from './support/gateway';
import type { MockUpstream } from './support/mock-upstream';

/**
 * Issue 15 item 12: the reference system's defect list (shared/reference/seed-system.md §11), one
 * describe block per applicable item, named `§11.<n> <what went wrong>`, each proving that this
 * system lacks it. Security, audit, metrics and configuration items are here; routing items in
 * defects-routing, gateway items (streams, cost, embeddings, upstream bodies) in defects-gateway,
 * limits, budgets and keys in defects-limits. Items 26–28 are missing features, not defects; the
 * mapping of every item to its test is in docs/security.md.
 */
describe('reference defect list (seed-system.md §11): security', () => {
  const h = useDefectsHarness({
    env: { CORS_ORIGINS: 'https://console.example' },
    models: [{ id: 'gpt-4o-mini' }],
  });
  let app: NestFastifyApplication;
  let mock: MockUpstream;
  let base: string;
  let admin: TestUser;
  let tenant: SeededTenant;
  let otherTenant: SeededTenant;

  beforeAll(async () => {
    ({ app, mock, base, admin } = h);
    tenant = await seedTenant(app, [h.provider.id]);
    otherTenant = await seedTenant(app, [h.provider.id]);
    await publishConfig(app);
  });

  const inject = (method: 'GET' | 'POST' | 'DELETE', url: string, token?: string, payload?: object) =>
    h.inject(method, url, token, payload);

  describe('§11.1 user admin routes without an admin guard (privilege escalation)', () => {
    it.each(['maintainer', 'auditor', 'finops'] as const)(
      'a %s cannot create an admin user',
      async (role) => {
        const token = await createUserAndLogin(app, role);
        const res = await inject('POST', '/api/prism/admin/users', token, {
          username: `escalate-${role}`,
          password: 'a-long-enough-password',
          role: 'admin',
        });
        expect(res.statusCode).toBe(403);
      },
    );
  });

  describe('§11.2 tenant API keys returned in plaintext / stored reversibly', () => {
    it('a key is shown once at creation; lists show only its prefix', async () => {
      const created = await inject('POST', `/api/prism/admin/tenants/${tenant.id}/keys`, admin.token, {});
      expect(created.statusCode).toBe(201);
      const apiKey = created.json<{ apiKey: string }>().apiKey;
      const list = await inject('GET', `/api/prism/admin/tenants/${tenant.id}/keys`, admin.token);
      expect(list.body).not.toContain(apiKey);
      expect(list.body).not.toMatch(/apiKey|plaintext/i);
      const tenants = await inject('GET', '/api/prism/admin/tenants', admin.token);
      expect(tenants.body).not.toContain(apiKey);
    });
  });

  describe('§11.3 the default tenant ships with the fixed key "model-prism" (open /api/v1)', () => {
    it('the fixed key gets 401 on /api/v1 and /v1', async () => {
      for (const path of ['/api/v1/chat/completions', '/v1/chat/completions']) {
        const res = await fetch(`${base}${path}`, {
          method: 'POST',
          headers: { authorization: 'Bearer model-prism', 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }),
        });
        expect(res.status).toBe(401);
      }
    });
  });

  describe('§11.4 setup lets anyone create admins, complete setup, or read dev defaults', () => {
    it('setup/admin is closed once an admin exists; setup/complete needs an admin; no dev-defaults', async () => {
      const more = await inject('POST', '/api/prism/setup/admin', undefined, {
        username: 'second-admin',
        password: 'a-long-enough-password',
      });
      expect(more.statusCode).toBe(409);
      expect((await inject('POST', '/api/prism/setup/complete')).statusCode).toBe(401);
      expect((await inject('GET', '/api/prism/setup/dev-defaults')).statusCode).toBe(404);
      expect((await inject('GET', '/api/prism/setup/status')).body).not.toMatch(/secret|key|password/i);
    });
  });

  describe('§11.5 /config/* accepts any non-empty apiKey (leaks model catalogues)', () => {
    it('client configurations need a login and the tenant permission', async () => {
      const url = `/api/prism/admin/tenants/${tenant.id}/client-config/opencode`;
      expect((await inject('GET', url)).statusCode).toBe(401);
      expect(
        (await app.inject({ method: 'GET', url, headers: { 'x-api-key': 'anything' } })).statusCode,
      ).toBe(401);
      const models = await fetch(`${base}/v1/models`, { headers: { authorization: 'Bearer anything' } });
      expect(models.status).toBe(401);
    });
  });

  describe('§11.6 tenant-scoped users see other tenants (and prompts)', () => {
    it('a tenant admin reaches only the tenants assigned to them and no prompts', async () => {
      const token = await createUserAndLogin(app, 'tenant-admin', { tenantIds: [tenant.id] });
      expect((await inject('GET', `/api/prism/portal/tenants/${tenant.id}`, token)).statusCode).toBe(200);
      expect([403, 404]).toContain(
        (await inject('GET', `/api/prism/portal/tenants/${otherTenant.id}`, token)).statusCode,
      );
      const list = await inject('GET', '/api/prism/portal/tenants', token);
      expect(list.body).not.toContain(otherTenant.id);
      expect((await inject('GET', '/api/prism/admin/tenants', token)).statusCode).toBe(403);
      const summary = await inject(
        'GET',
        `/api/prism/admin/dashboard/summary?tenant=${otherTenant.id}`,
        token,
      );
      expect([403, 404]).toContain(summary.statusCode);
    });
  });

  describe('§11.7 insecure default secrets, CORS reflecting any origin, roles frozen in the token', () => {
    it('production refuses a missing or short JWT_SECRET', () => {
      const env = { NODE_ENV: 'production', ENCRYPTION_KEY: '0'.repeat(64), MONGODB_URI: 'mongodb://db/x' };
      expect(() => loadConfig(env)).toThrow(/JWT_SECRET/);
      expect(() => loadConfig({ ...env, JWT_SECRET: 'short-secret-1234' })).toThrow(/JWT_SECRET/);
    });

    it('CORS answers only the configured origin', async () => {
      const preflight = (origin: string) =>
        app.inject({
          method: 'OPTIONS',
          url: '/api/prism/auth/me',
          headers: { origin, 'access-control-request-method': 'GET' },
        });
      expect(
        (await preflight('https://evil.example')).headers['access-control-allow-origin'],
      ).toBeUndefined();
      expect((await preflight('https://console.example')).headers['access-control-allow-origin']).toBe(
        'https://console.example',
      );
    });

    it('a role change applies to the token already issued', async () => {
      const user = await createUserAndLogin(app, 'maintainer');
      const me = await inject('GET', '/api/prism/auth/me', user);
      const id = me.json<{ id: string }>().id;
      expect((await inject('GET', '/api/prism/admin/providers', user)).statusCode).toBe(200);
      const patch = await app.inject({
        method: 'PATCH',
        url: `/api/prism/admin/users/${id}`,
        headers: bearer(admin.token),
        payload: { role: 'tenant-viewer' },
      });
      expect(patch.statusCode).toBe(200);
      expect((await inject('GET', '/api/prism/admin/providers', user)).statusCode).toBe(403);
    });
  });

  describe('§11.8 SSRF through provider base URLs', () => {
    it('a provider at the cloud metadata address is refused with 400', async () => {
      const res = await inject('POST', '/api/prism/admin/providers', admin.token, {
        name: 'Metadata',
        type: 'openai',
        baseUrl: 'http://169.254.169.254/latest',
      });
      expect(res.statusCode).toBe(400);
    });
  });

  describe('§11.9 partial LDAP filter escaping', () => {
    it('every RFC 4515 special character is escaped', () => {
      expect(escapeFilterValue('*)(uid=*\\\0')).toBe('\\2a\\29\\28uid=\\2a\\5c\\00');
    });
  });

  describe('§11.10 model "auto" is not routed', () => {
    it('model "auto" answers 200 through the router', async () => {
      const res = await fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'Say hello' }] }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { model: string }).model).toEqual(expect.any(String));
    });
  });

  describe('§11.22 provider deletions missing from the audit log', () => {
    it('deleting a provider is audited', async () => {
      const provider = await seedProvider(app, mock.url, [{ id: 'to-delete' }]);
      expect(
        (await inject('DELETE', `/api/prism/admin/providers/${provider.id}`, admin.token)).statusCode,
      ).toBe(204);
      const audit = await inject('GET', `/api/prism/admin/audit?targetId=${provider.id}`, admin.token);
      const actions = audit.json<{ items: { action: string }[] }>().items.map((i) => i.action);
      expect(actions.some((a) => a.startsWith('provider'))).toBe(true);
    });
  });

  describe('§11.24 HTTP Prometheus metrics never incremented', () => {
    it('served requests show up in http_request_duration_seconds', async () => {
      await inject('GET', '/api/prism/setup/status');
      const metrics = await inject('GET', '/metrics');
      expect(metrics.body).toMatch(/http_request_duration_seconds_count\{[^}]*\} [1-9]/);
    });
  });

  describe('§11.25 Dockerfile copying a missing CHANGELOG.md; inconsistent MONGODB_URI / MONGO_URI', () => {
    it('production names MONGODB_URI, and MONGO_URI alone is not taken for it', () => {
      const env = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), ENCRYPTION_KEY: '0'.repeat(64) };
      expect(() => loadConfig({ ...env, MONGO_URI: 'mongodb://db/x' })).toThrow(/MONGODB_URI must be set/);
    });

    it('every file the Dockerfile copies from the build context exists', () => {
      const root = join(__dirname, '..');
      const sources = readFileSync(join(root, 'Dockerfile'), 'utf8')
        .split('\n')
        .filter((line) => /^COPY\s/.test(line) && !line.includes('--from='))
        .flatMap((line) => line.trim().split(/\s+/).slice(1, -1));
      expect(sources.length).toBeGreaterThan(3);
      for (const source of sources) expect([source, existsSync(join(root, source))]).toEqual([source, true]);
    });
  });
});
